"""``review dedup FILE... --out GROUPS.csv``: deduplicate export files, no database.

Record tables (.csv/.tsv, or any file whose content is one) are read by
review.sources.csv_table, the reader `review import` uses (CLI-CONTRACT column
rules; ids from the ID column), other formats by review.sources.readers. The output CSV has one row per input
record: record_id, group_id (the record_id of the group's first record),
group_size, file, rule (how it joined its group) and title. It is written to a
temporary file and renamed at the end, so bad input leaves no output file.
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from review.dedup.engine import DedupResult, find_duplicates
from review.errors import BadInput
from review.models import Record
from review.sources.csv_table import records_with_ids


@dataclass(frozen=True)
class FilesSummary:
    records: int
    groups: int
    duplicates: int
    possible: int
    out: str


def read_inputs(paths: Sequence[str], fmt: str = "auto") -> list[tuple[str, str, Record]]:
    """(record_id, file, Record) for every record of every file; ids must be unique."""
    out: list[tuple[str, str, Record]] = []
    seen: dict[str, str] = {}
    for path in paths:
        rows = _records_of(path, fmt)
        for rid, rec in rows:
            if rid in seen:
                raise BadInput(f"record id {rid!r} is also in {seen[rid]}", where=path)
            seen[rid] = path
            out.append((rid, path, rec))
    if not out:
        raise BadInput("no records in the input files", where=", ".join(paths))
    return out


def _records_of(path: str, fmt: str) -> list[tuple[str, Record]]:
    """(record_id, Record) of one file: a record table (by name or content) keeps
    its ID column (csv_table.records_with_ids); other formats are numbered."""
    from review.sources.readers import parse_bytes, read_bytes

    data = read_bytes(path)
    if fmt == "auto" and Path(path).suffix.lower() in (".csv", ".tsv"):
        fmt = "csv"
    elif fmt == "auto":
        from review.sources.detect import detect_format

        fmt = detect_format(data, path)
    if fmt == "csv":
        return records_with_ids(data, path)
    return [(f"{path}:{k}", r) for k, r in enumerate(parse_bytes(data, path, fmt)[1], start=1)]


def write_groups(out: str | Path, rows: list[tuple[str, str, Record]], res: DedupResult) -> None:
    """Write the groups CSV atomically (temporary file in the same folder, then rename)."""
    out = Path(out)
    rule: dict[int, str] = {}
    for p in res.pairs:
        if p.merged:
            for k in (p.i, p.j):
                rule.setdefault(k, p.verdict.rule)
    sizes: dict[int, int] = {}
    for lab in res.labels:
        sizes[lab] = sizes.get(lab, 0) + 1
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["record_id", "group_id", "group_size", "file", "rule", "title"])
            for k, (rid, path, rec) in enumerate(rows):
                lab = res.labels[k]
                w.writerow([rid, rows[lab][0], sizes[lab], path, rule.get(k, ""), rec.title])
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_pairs(out: str | Path, rows: list[tuple[str, str, Record]], res: DedupResult) -> None:
    """Write the possible pairs (for a person to check) as CSV."""
    out = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent if str(out.parent) else ".")
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["record_a", "record_b", "score", "title_score", "reasons"])
        for p in res.possible():
            w.writerow([rows[p.i][0], rows[p.j][0], p.verdict.score, round(p.comparison.title, 3),
                        "; ".join(p.verdict.reasons)])
    os.replace(tmp, out)


def dedup_files(paths: Sequence[str], out: str, fmt: str = "auto", pairs_out: str | None = None) -> FilesSummary:
    """Read, deduplicate and write the groups CSV (and optionally the possible pairs)."""
    rows = read_inputs(paths, fmt)
    res = find_duplicates([r for _, _, r in rows])
    if pairs_out:
        write_pairs(pairs_out, rows, res)
    write_groups(out, rows, res)
    groups = res.groups()
    return FilesSummary(len(rows), len(groups), sum(len(m) - 1 for m in groups.values()),
                        len(res.possible()), str(out))
