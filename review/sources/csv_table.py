"""Record tables: CSV/TSV files of bibliographic records, one row per record.

The one reader for such files, used by ``review import`` (``parse_csv``) and
by ``review dedup FILE...`` (``records_with_ids``, which also gives each
record its id: the ``ID``/``record_id`` column, else ``<file>:<1-based index>``).

One set of rules:
- decoding and delimiter as every table (review.sources.table);
- columns by the header alias table (review.sources.csv_headers), with the
  exporter (Scopus, PubMed, Embase, IEEE Xplore, Springer, Zotero)
  recognised from its header;
- cells that say "no value" (``NA``, ``null``, ``-``, Scopus's ``[No
  abstract available]``...) are empty;
- authors split by fieldnorm.split_authors, DOIs reduced to ``10.xxxx/...``
  (fieldnorm.clean_doi), PMIDs to their digits, ISSNs to ``NNNN-NNNC``;
- a row with more cells than the header is refused (an unquoted delimiter
  would shift every column after it), except exactly one empty cell more at
  the end: the trailing delimiter Scopus writes;
- a year cell without a year is refused. Errors name the file and line.

The csv module reads the cells (quoted cells, line breaks inside quotes) so
that each record's line is known; pandas serves as the check in the tests.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from review.errors import BadInput
from review.models import Record
from review.sources.csv_headers import MULTI, ColumnMap, map_columns
from review.sources.fieldnorm import clean_doi, issns_of, page_range, split_authors, split_packed, year_of
from review.sources.table import count_outside_quotes, decode_table, delimiter_for, reader

# cell values that mean "no value"
MISSING = frozenset({"na", "n/a", "null", "none", "nan", "-", "[no abstract available]",
                     "[no author name available]"})
MISSING_LEN = max(map(len, MISSING))
# at least one of these columns makes a header a record table
BIBLIOGRAPHIC = ("title", "authors", "doi", "pmid", "journal")
_PMID = re.compile(r"^(?:pmid:?\s*)?(\d{1,9})(?:\.0)?$", re.I)
_PMID_IN_TEXT = re.compile(r"(?:\bPMID:?\s*|pubmed\.ncbi\.nlm\.nih\.gov/)(\d{1,9})\b", re.I)
# PubMed's Citation: 'Behav Ther. 2022 Mar;53(2):334-347. doi: ...'
_PUBMED_CITATION = re.compile(r";\s*(?P<volume>[^(:;.\s]*)(?:\((?P<issue>[^)]*)\))?(?::(?P<pages>[^.;\s]+))?")
# Embase's Source: 'Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: 2014'
_EMBASE_SOURCE = re.compile(r"^(?P<journal>.+?)\s+\((?P<year>\d{4})\)\s*(?P<volume>[^:\s(]+)?"
                            r"(?::(?P<issue>[^\s(]+))?\s*(?:\((?P<pages>[^)]*)\))?")


@dataclass
class RecordTable:
    """A record table as read: the records, their ids and where each field came from."""

    records: list[Record]
    ids: list[str]
    lines: list[int]  # the line each record starts on
    columns: ColumnMap


def parse_csv(data: bytes, where: str) -> list[Record]:
    """Records of a CSV (or tab-separated) table with a header row (``review import``)."""
    return read_record_table(data, where).records


def read_records(path: str | Path) -> list[tuple[str, Record]]:
    """(record_id, Record) for each row of the record table at ``path`` (see records_with_ids)."""
    from review.sources.readers import read_bytes

    return records_with_ids(read_bytes(path), str(path))


def records_with_ids(data: bytes, where: str) -> list[tuple[str, Record]]:
    """(record_id, Record) for each row of a record table (``review dedup FILE...``).

    The id is the ``ID``/``record_id`` cell, else ``<file>:<1-based index>``;
    an id that appears twice in the file is refused, naming both lines.
    """
    table = read_record_table(data, where)
    seen: dict[str, int] = {}
    for rid, line in zip(table.ids, table.lines):
        if rid in seen:
            raise BadInput(f"line {line}: record id {rid!r} appears twice (also line {seen[rid]})", where=where)
        seen[rid] = line
    return list(zip(table.ids, table.records))


def read_header(data: bytes, where: str) -> ColumnMap:
    """The column map of a table's header alone (for the import summary)."""
    from review.sources.detect import head_text

    text = head_text(data, where)
    for row in reader(text, delimiter_for(where, text)):
        if any(c.strip() for c in row):
            return map_columns(row)
    return map_columns([])


def read_record_table(data: bytes, where: str) -> RecordTable:
    """Every record of the table in ``data``; BadInput naming ``where`` and the line."""
    text = decode_table(data, where)
    delimiter = delimiter_for(where, text)
    rows = reader(text, delimiter, strict=True)
    records: list[Record] = []
    ids: list[str] = []
    lines: list[int] = []
    header: list[str] | None = None
    cols: ColumnMap | None = None
    by_row = False  # header could be an Embase "Fields by Row" export's first line
    last = 0  # the line the previous row ended on
    try:
        for row in rows:
            line, last = last + 1, rows.line_num
            if not any(c.strip() for c in row):
                continue
            if header is None:
                header, cols = row, _header_map(row, where, line)
                by_row = len(row) == 2 and row[0].strip().isupper() and len(cols.indexes) == 1
                continue
            if by_row and row[0].strip().isupper():
                raise BadInput(f"line {line}: one field a line ({row[0].strip()!r}), as Embase's 'CSV - Fields by "
                               f"Row' export writes; export again choosing 'CSV - Fields by Column'", where=where)
            n = len(records) + 1
            if len(row) > len(header):
                if len(row) == len(header) + 1 and not row[-1].strip():
                    row = row[:-1]  # trailing delimiter (Scopus)
                else:
                    raise BadInput(f"{len(row)} cells but the header has {len(header)} (unquoted delimiter?)",
                                   where=f"{where}, line {line} (record {n})")
            if last > line:
                _check_not_swallowed(row, header, delimiter, where, line)
            rec, rid = _record(row, cols, where, line, n)
            records.append(rec)
            ids.append(rid)
            lines.append(line)
    except csv.Error as exc:
        start = last + 1
        if rows.line_num > start:
            raise BadInput(f"line {start}: a quoted cell opened in this record is not closed where it should be"
                           f" (the reader got to line {rows.line_num}: {exc}); check the quotes on line {start}",
                           where=where) from None
        raise BadInput(f"line {rows.line_num}: {exc}", where=where) from None
    if header is None:
        raise BadInput("empty table (no header row)", where=where)
    if not records:
        raise BadInput("no records (only a header row)", where=where)
    return RecordTable(records, ids, lines, cols)


def _check_not_swallowed(row: list[str], header: list[str], delimiter: str, where: str, line: int) -> None:
    """Refuse a record whose quoted cell runs over lines that read as records of
    their own: a quote left open swallows the records after it (into one title)
    until the next quote closes it. A line inside a cell with as many delimiters
    as the header has (at least two) is such a record."""
    need = len(header) - 1
    if need < 2:
        return
    for cell in row:
        if "\n" not in cell:
            continue
        for k, inner in enumerate(cell.split("\n")[1:], 1):
            if count_outside_quotes(inner, delimiter) >= need:
                raise BadInput(f"line {line}: a quote opened in this record is not closed before line {line + k},"
                               f" which reads as a record of its own ({inner[:60]!r}); the records after it would"
                               " be swallowed into one cell: fix the quotes", where=where)


def _header_map(header: list[str], where: str, line: int) -> ColumnMap:
    cols = map_columns(header)
    shown = ", ".join(h.strip() for h in header)[:200]
    if not any(f in cols.indexes for f in BIBLIOGRAPHIC):
        raise BadInput(f"line {line}: no bibliographic columns (need at least one of title, author, doi, pmid, "
                       f"journal); header is {shown!r}", where=where)
    return cols


def _record(row: list[str], cols: ColumnMap, where: str, line: int, n: int) -> tuple[Record, str]:
    """One row as a Record, and its id (the ID cell, else ``<where>:<n>``)."""
    first: dict[str, str] = {}  # field -> its first non-empty cell
    cells: dict[str, list[str]] = {}  # field -> all of them, for fields read from several columns
    width = len(row)
    for field, indexes in cols.indexes.items():
        for i in indexes:
            v = row[i].strip() if i < width else ""
            if v and (len(v) > MISSING_LEN or v.lower() not in MISSING):
                if field not in first:
                    first[field] = v
                if field in MULTI:
                    cells.setdefault(field, []).append(v)
    get = first.get

    exporter = cols.exporter
    rid = get("id", "")
    label = rid or n
    year_text = get("year", "")
    year = year_of(year_text) if year_text else None
    if year_text and year is None:
        raise BadInput(f"line {line} (record {label}): year {year_text!r} is not a year", where=where)
    journal, volume = get("journal", "") or get("booktitle", ""), get("volume", "")
    issue, pages = get("issue", ""), get("pages", "")
    citation = get("citation", "")
    if citation:
        parts = _citation_parts(citation)
        journal, volume = journal or parts.get("journal", ""), volume or parts.get("volume", "")
        issue, pages = issue or parts.get("issue", ""), pages or parts.get("pages", "")
        year = year or year_of(parts.get("year", ""))
    pages = pages or page_range(get("page_start", ""), get("page_end", "")) or get("article_number", "")
    issns = issns_of(get("issn", ""))
    raw = [("record_id", rid)] if rid else []
    raw += [(k, first[k]) for k in ("booktitle", "entrytype") if k in first]
    if exporter is not None and exporter.database:
        raw.append(("database", exporter.database))
    return Record(
        title=get("title", ""),
        abstract=get("abstract", ""),
        authors=split_authors(get("authors", ""), exporter.authors if exporter else "auto"),
        year=year,
        journal=journal,
        journal_abbrev=get("journal_abbrev", ""),
        volume=volume,
        issue=issue,
        pages=pages,
        doi=_doi(get("doi", "")),
        pmid=_pmid(get("pmid", "")),
        issn_print=issns[0] if issns else "",
        issn_electronic=issns[1] if len(issns) > 1 else "",
        keywords=split_packed(cells["keywords"]) if "keywords" in cells else (),
        language=get("language", ""),
        url=get("url", ""),
        publication_types=split_packed([first["pubtype"]]) if "pubtype" in first else (),
        source_ref=f"{where}#{label}",
        raw=tuple(raw),
    ), rid or f"{where}:{n}"


def _doi(cell: str) -> str:
    """``10.xxxx/...`` from a DOI cell (URL, 'doi:' prefix or percent-encoding dropped)."""
    return clean_doi(unquote(cell) if "%" in cell else cell)


def _pmid(cell: str) -> str:
    """The PMID in a cell: digits alone ('123', '123.0', 'PMID: 123') or after 'PMID:' or a PubMed URL."""
    m = _PMID.match(cell.strip()) or _PMID_IN_TEXT.search(cell)
    return str(int(m.group(1))) if m else ""


def _citation_parts(text: str) -> dict[str, str]:
    """Journal, year, volume, issue and pages from a citation cell (Embase's
    Source, PubMed's Citation); the parts it does not find are left out."""
    m = _EMBASE_SOURCE.match(text)
    if m is None:
        m = _PUBMED_CITATION.search(text)
    return {k: v.strip() for k, v in (m.groupdict() if m else {}).items() if v and v.strip()}
