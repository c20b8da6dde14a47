"""Read study counts from a CSV or TSV file for ``review pool --data``.

Decoded and split as every table is (review.sources.table): tab-separated
when the name ends in .tsv/.tab or the header line sniffs so; columns are
matched exactly, then case-insensitively. Every problem raises
BadInput naming the file and line. A missing events or n (empty, NA, nan, ...) is
an error too, unless the caller asks to leave such rows out (``drop_missing``):
then they are listed in ``StudyData.skipped``.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from review.errors import BadInput
from review.sources.table import decode_table, rows_of

MISSING = {"", "na", "nan", "null", "none", "."}


@dataclass(frozen=True)
class StudyData:
    """Counts per study as read from a file.

    ``skipped``: "study (line N)" for each row left out for a missing events or n
    (only with ``drop_missing``).
    """

    studies: tuple[str, ...]
    events: tuple[int, ...]
    n: tuple[int, ...]
    groups: tuple[str, ...] | None
    skipped: tuple[str, ...]


def read_table(path: str | Path) -> list[list[str]]:
    """The rows of a CSV or TSV file, decoded and split as every table is read
    (review.sources.table: byte-order mark dropped, UTF-16 with BOM accepted;
    tab for .tsv/.tab, else the delimiter sniffed from the header line);
    BadInput naming the file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read data file: {exc.strerror}", where=str(path)) from None
    if not data.strip():
        return []
    try:
        text = decode_table(data, str(path))
        return list(rows_of(text, path))
    except BadInput as exc:
        raise BadInput(f"cannot read data file: {_without_where(exc, str(path))}", where=str(path)) from None
    except csv.Error as exc:
        raise BadInput(f"cannot read data file: {exc}", where=str(path)) from None


def _without_where(exc: BadInput, where: str) -> str:
    text = str(exc)
    return text[len(where) + 2:] if text.startswith(f"{where}: ") else text


def _column(header: list[str], name: str, path: Path, option: str) -> int:
    if name in header:
        return header.index(name)
    low = [h.lower() for h in header]
    if name.lower() in low:
        return low.index(name.lower())
    raise BadInput(f"no column {name!r} for {option} (columns: {', '.join(header)})", where=f"{path}:1")


MAX_COUNT = 10**10  # a count above ten billion (more than the world's people) is refused


def _count(value: str, label: str, where: str) -> int | None:
    v = value.strip()
    if v.lower() in MISSING:
        return None
    shown = v if len(v) <= 40 else v[:37] + "..."
    try:
        f = float(v)
    except ValueError:
        raise BadInput(f"{label} is not a number: {shown!r}", where=where) from None
    if not math.isfinite(f) or abs(f) > MAX_COUNT:
        raise BadInput(f"{label} {shown!r} is larger than {MAX_COUNT:,} (the limit for a count)", where=where)
    if not f.is_integer():
        raise BadInput(f"{label} must be a whole number, got {shown!r}", where=where)
    if f < 0:
        raise BadInput(f"{label} must not be negative, got {shown!r}", where=where)
    return int(f)


def read_counts(path: str | Path, events: str, n: str, study: str | None = None,
                by: str | None = None, *, drop_missing: bool = False) -> StudyData:
    """Counts from ``path``, one study per non-empty row.

    Errors (a missing or bad number, events > n, n < 1, a missing subgroup) name
    file:line and the study. With ``drop_missing`` rows whose events or n is
    missing are left out and listed in ``skipped`` instead.
    """
    path = Path(path)
    rows = read_table(path)
    if not rows or not any(c.strip() for c in rows[0]):
        raise BadInput("empty data file", where=str(path))
    header = [h.strip() for h in rows[0]]
    ie = _column(header, events, path, "--events")
    inn = _column(header, n, path, "--n")
    ist = _column(header, study, path, "--study") if study else None
    iby = _column(header, by, path, "--by") if by else None
    names, ev, nn, groups, skipped = [], [], [], [], []
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))
        name = row[ist].strip() if ist is not None else str(len(names) + len(skipped) + 1)
        where = f"{path}:{lineno} (study {name!r})"
        x = _count(row[ie], "events", where)
        m = _count(row[inn], "n", where)
        if x is None or m is None:
            what = "events and n" if x is None and m is None else ("events" if x is None else "n")
            if not drop_missing:
                raise BadInput(f"{what} missing (fill it in, or use --drop-missing to leave the study out)",
                               where=where)
            skipped.append(f"{name} (line {lineno})")
            continue
        if m < 1:
            raise BadInput(f"n must be at least 1, got {m}", where=where)
        if x > m:
            raise BadInput(f"events ({x}) exceed n ({m})", where=where)
        if iby is not None:
            g = row[iby].strip()
            if g.lower() in MISSING:
                raise BadInput(f"missing subgroup in column {by!r}", where=where)
            groups.append(g)
        names.append(name)
        ev.append(x)
        nn.append(m)
    if not names:
        raise BadInput("no study with both events and n", where=str(path))
    return StudyData(tuple(names), tuple(ev), tuple(nn), tuple(groups) if iby is not None else None,
                     tuple(skipped))
