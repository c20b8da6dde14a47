"""CSV/TSV tables of records (one row per record, a header row of column
names matched case-insensitively: ID/record_id, title, author(s), year,
journal, volume, number/issue, pages, doi, pmid, abstract, issn/isbn,
keywords, url, language, booktitle)."""

from __future__ import annotations

import csv
import io
from typing import Iterator

from review.errors import BadInput
from review.models import Record
from review.sources.fieldnorm import clean_doi, issns_of, pmid_of, split_packed, unique, year_of
from review.sources.text import decode

COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "record_id"),
    "title": ("title",),
    "authors": ("authors", "author"),
    "year": ("year", "publication_year", "py"),
    "journal": ("journal", "source", "source_title", "journal_title"),
    "volume": ("volume",),
    "issue": ("issue", "number"),
    "pages": ("pages",),
    "doi": ("doi",),
    "pmid": ("pmid",),
    "abstract": ("abstract",),
    "issn": ("issn", "isbn"),
    "keywords": ("keywords",),
    "url": ("url",),
    "language": ("language",),
    "booktitle": ("booktitle",),
}


# cell values that mean "no value" (as review dedup reads them)
MISSING = frozenset({"na", "n/a", "null", "none", "nan", "-"})


def _columns(header: list[str]) -> dict[str, int]:
    lower = {h.strip().lstrip("\ufeff").lower(): i for i, h in enumerate(header)}
    found = {}
    for key, names in COLUMNS.items():
        for name in names:
            if name in lower:
                found[key] = lower[name]
                break
    return found


def parse_csv(data: bytes, where: str) -> Iterator[Record]:
    """Records of a CSV (or tab-separated) table with a header row."""
    text = decode(data, where)
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise BadInput("empty table", where=where) from None
    cols = _columns(header)
    if "title" not in cols:
        raise BadInput(f"line 1: no 'title' column in the header ({', '.join(header)[:200]})", where=where)
    n = 0
    try:
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            n += 1
            if len(row) > len(header):
                raise BadInput(f"{len(row)} cells but the header has {len(header)} (unquoted delimiter?)",
                               where=f"{where}, line {reader.line_num} (record {n})")
            cells = {k: (row[i].strip() if i < len(row) else "") for k, i in cols.items()}
            if cells.get("year", "").lower() in MISSING:
                cells["year"] = ""
            record = _record(cells, n, where)
            if cells.get("year") and record.year is None:
                raise BadInput(f"line {reader.line_num} (record {n}): year {cells['year']!r} is not a year",
                               where=where)
            yield record
    except csv.Error as exc:
        raise BadInput(f"line {reader.line_num}: {exc}", where=where) from None
    if n == 0:
        raise BadInput("no records (only a header row)", where=where)


def _record(f: dict[str, str], n: int, where: str) -> Record:
    authors = f.get("authors", "")
    names = split_packed([authors]) if ";" in authors or "；" in authors else unique(authors.split(" and "))
    issns = issns_of(f.get("issn", ""))
    ref = f.get("id", "")
    return Record(
        title=f.get("title", "") or f.get("booktitle", ""),
        abstract=f.get("abstract", ""),
        authors=names,
        year=year_of(f.get("year", "")),
        journal=f.get("journal", "") or f.get("booktitle", ""),
        volume=f.get("volume", ""),
        issue=f.get("issue", ""),
        pages=f.get("pages", ""),
        doi=clean_doi(f.get("doi", "")),
        pmid=pmid_of(f.get("pmid", "")),
        issn_print=issns[0] if issns else "",
        issn_electronic=issns[1] if len(issns) > 1 else "",
        keywords=split_packed([f.get("keywords", "")]),
        language=f.get("language", ""),
        url=f.get("url", ""),
        source_ref=f"{where}#{ref or n}",
        raw=(("record_id", ref),) if ref else (),
    )
