"""CSV input for ``review dedup FILE...`` (CLI-CONTRACT column rules).

Columns are matched case-insensitively: ``ID``/``record_id``, ``title``,
``author``/``authors``, ``year``, ``journal``, ``volume``, ``number``/``issue``,
``pages``, ``doi``, ``pmid``, ``abstract``, ``isbn``/``issn``, ``booktitle``;
``ENTRYTYPE``/``type`` is kept too. Other columns are ignored. The record id is
the ID column when there is one, else ``<file>:<1-based index>``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from review.dedup.normalise import first_year
from review.errors import BadInput
from review.models import Record

ALIASES: dict[str, str] = {
    "id": "id", "record_id": "id",
    "title": "title", "author": "authors", "authors": "authors", "year": "year",
    "journal": "journal", "volume": "volume", "number": "issue", "issue": "issue",
    "pages": "pages", "doi": "doi", "pmid": "pmid", "abstract": "abstract",
    "isbn": "issn", "issn": "issn", "booktitle": "booktitle",
    "entrytype": "entrytype", "type": "entrytype",
}
KNOWN_FIELDS = ("title", "authors", "doi", "pmid", "journal", "booktitle")

MISSING = {"na", "n/a", "null", "none", "nan", "-"}

csv.field_size_limit(2**31 - 1)


def split_authors(text: str) -> tuple[str, ...]:
    """Authors from one cell: ' and ', ';' or newline separated; 'Adeli K.Lewis G. F.' split at '.X'."""
    t = text.strip()
    if not t:
        return ()
    if " and " in t:
        parts = t.split(" and ")
    elif ";" in t:
        parts = t.split(";")
    elif "\n" in t:
        parts = t.split("\n")
    else:
        parts = re.split(r"(?<=\.)(?=[^\W\d_][^\W\d_])", t)
    return tuple(p.strip() for p in parts if p.strip())


def _decode(data: bytes, where: str) -> str:
    """UTF-8 (with or without BOM) or BOM-marked UTF-16 text, else BadInput naming the line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BadInput(f"line {line}: not UTF-8 text (byte {exc.start})", where=where) from None


def read_csv_records(path: str | Path) -> list[tuple[str, Record]]:
    """(record_id, Record) for each row of a CSV export; BadInput names file and line."""
    p = Path(path)
    where = str(p)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise BadInput("no such file", where=where) from None
    except OSError as exc:
        raise BadInput(f"cannot read ({exc.strerror})", where=where) from None
    text = _decode(data, where)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delim = dialect.delimiter
    except csv.Error:
        delim = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise BadInput("empty file: no header row", where=where) from None
    except csv.Error as exc:
        raise BadInput(f"line 1: {exc}", where=where) from None
    cols: dict[str, int] = {}
    for i, name in enumerate(header):
        key = ALIASES.get(name.strip().lower())
        if key and key not in cols:
            cols[key] = i
    if not any(k in cols for k in KNOWN_FIELDS):
        raise BadInput(
            f"line 1: no bibliographic columns (need at least one of title, author, doi, pmid, journal); "
            f"header is {', '.join(header)[:200]!r}",
            where=where,
        )
    out: list[tuple[str, Record]] = []
    seen: set[str] = set()
    index = 0
    try:
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            index += 1
            line = reader.line_num
            if len(row) > len(header):
                raise BadInput(f"line {line}: {len(row)} fields but the header has {len(header)}", where=where)

            def get(key: str) -> str:
                i = cols.get(key)
                v = row[i].strip() if i is not None and i < len(row) else ""
                return "" if v.lower() in MISSING else v.replace(", null", "").replace("null, ", "")

            rid = get("id") or f"{where}:{index}"
            if rid in seen:
                raise BadInput(f"line {line}: record id {rid!r} appears twice", where=where)
            seen.add(rid)
            year_text = get("year")
            year = first_year(year_text)
            if year_text and year is None:
                raise BadInput(f"line {line} (record {rid}): year {year_text!r} is not a year", where=where)
            raw = tuple((k, get(k)) for k in ("booktitle", "entrytype", "issn") if get(k))
            out.append((rid, Record(
                title=get("title"), abstract=get("abstract"), authors=split_authors(get("authors")),
                year=year, journal=get("journal") or get("booktitle"), volume=get("volume"),
                issue=get("issue"), pages=get("pages"), doi=get("doi"), pmid=get("pmid"),
                issn_print=get("issn")[:40], source_ref=rid, raw=raw,
            )))
    except csv.Error as exc:
        raise BadInput(f"line {reader.line_num}: {exc}", where=where) from None
    return out
