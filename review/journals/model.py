"""What a metric file holds once read: journals, each with its identifiers and
its metric values, every value knowing the line it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from review.errors import BadInput
from review.journals.names import title_key


@dataclass(frozen=True, slots=True)
class MetricValue:
    """One figure for one journal: ``value`` None when the file lists the
    journal without a value (JCR's ``N/A``); ``qualifier`` '<' for ``<0.1``."""

    kind: str
    year: int
    value: float | None
    qualifier: str = ""
    raw: str = ""
    line: int | None = None


@dataclass(slots=True)
class JournalEntry:
    """A journal as one file names it."""

    title: str
    abbrev: str = ""
    issns: list[tuple[str, str]] = field(default_factory=list)  # (NNNN-NNNN, role)
    nlm_id: str = ""
    metrics: list[MetricValue] = field(default_factory=list)
    line: int | None = None

    @property
    def identity(self) -> str:
        """Journals from different files are one row when title key and ISSNs agree."""
        return title_key(self.title) + "|" + ",".join(sorted({i for i, _ in self.issns}))


@dataclass
class ParsedMetrics:
    """A metric file read whole, before anything is stored."""

    path: str
    sha256: str
    format: str
    kind: str
    entries: list[JournalEntry]
    rows: int
    notes: list[str] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return sorted({m.year for e in self.entries for m in e.metrics})


def collapse(entries: list[JournalEntry], path: str, why: str) -> tuple[list[JournalEntry], int]:
    """Merge rows that name the same journal (JCR has one row per journal and
    category); their values must agree. Returns the journals and how many rows
    were merged away."""
    out: dict[str, JournalEntry] = {}
    merged = 0
    for e in entries:
        key = e.identity
        first = out.get(key)
        if first is None:
            out[key] = e
            continue
        merged += 1
        have = {(m.kind, m.year): m for m in first.metrics}
        for m in e.metrics:
            old = have.get((m.kind, m.year))
            if old is None:
                first.metrics.append(m)
            elif (old.value, old.qualifier) != (m.value, m.qualifier):
                raise BadInput(
                    f"{e.title!r} is listed again ({why}) with {m.raw or 'no value'!r}, but line "
                    f"{old.line} gives {old.raw or 'no value'!r} for {m.year}: one journal has one value",
                    where=f"{path}:{m.line}")
        if not first.abbrev and e.abbrev:
            first.abbrev = e.abbrev
    return list(out.values()), merged


# -- cells and endings shared by the readers ------------------------------------------


def cell_issns(where: str, cells: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """ISSNs of one row from (column, text, role) cells; a cell may hold several,
    separated by commas (SCImago). BadInput names the column at ``where``."""
    from review.journals.issn import parse_issn

    out: list[tuple[str, str]] = []
    for column, text, role in cells:
        for part in text.split(","):
            try:
                v = parse_issn(part)
            except ValueError as exc:
                raise BadInput(f"column {column!r}: {exc}", where=where) from None
            if v and v not in {i for i, _ in out}:
                out.append((v, role))
    return out


def cell_number(where: str, column: str, text: str, style: str):
    """A metric cell parsed in the file's number style (see numbers.py)."""
    from review.journals.numbers import parse_number

    try:
        return parse_number(text, style)
    except ValueError as exc:
        raise BadInput(f"column {column!r}: {exc}", where=where) from None


def finish(path: str, sha256: str, fmt: str, kind: str, entries: list[JournalEntry], empty_at: str,
           why: str) -> ParsedMetrics:
    """The file read: refuse one without journals, merge repeated journals."""
    if not entries:
        raise BadInput("no journals under the header", where=empty_at)
    rows = len(entries)
    entries, merged = collapse(entries, path, why)
    notes = [f"{merged} rows repeat a journal already listed ({why}): merged"] if merged else []
    return ParsedMetrics(path, sha256, fmt, kind, entries, rows, notes)
