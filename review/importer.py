"""Import export files into the project: parse every file first, then store
them all in one transaction, so that a bad file changes nothing.

Re-importing is idempotent twice over: a file whose bytes (SHA-256) were
already imported for the same source is skipped without a new log entry, and
records already stored for a source (same fingerprint) are only linked.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from review.clock import current_actor
from review.db import audit, transaction
from review.db.records import file_imported, finish_search, start_search, store_records
from review.errors import BadInput
from review.models import Record
from review.sources.readers import parse_bytes, read_bytes
from review.sources.text import encoding_for

# CNKI and Wanfang are not fixed: their parsers also read Refer/RefWorks/NoteExpress
# text from other databases, and mark records CNKI/Wanfang only on a marker.
FIXED_SOURCES = {"pubmed-xml": "PubMed", "wos": "Web of Science"}
CHINESE_SOURCES = {"cnki": "CNKI", "wanfang": "Wanfang"}
# a record's database field (RIS DB/DP, EndNote remote-database, MEDLINE OWN ...), matched
# by these patterns in this order -> the source name; the platform it was searched on
# (raw 'platform', or '(Ovid)' in the field) is added in brackets: 'PsycINFO (Ovid)'.
DATABASE_NAMES = ((r"embase", "Embase"), (r"psyc\s*info", "PsycINFO"), (r"scopus", "Scopus"),
                  (r"web of science", "Web of Science"), (r"cinahl", "CINAHL"), (r"\beric\b", "ERIC"),
                  (r"cochrane|\bcentral\b(?! database)", "Cochrane CENTRAL"),
                  (r"ovid medline|medline.*\(ovid\)", "Ovid MEDLINE"),
                  (r"pubmed|medline|\bnlm\b", "PubMed"), (r"cab abstracts", "CAB Abstracts"),
                  (r"\bamed\b", "AMED"), (r"proquest", "ProQuest"), (r"ovid", "Ovid"),
                  (r"cnki|知网", "CNKI"), (r"万方|wanfang", "Wanfang"), (r"ieee", "IEEE Xplore"),
                  (r"springer", "Springer"))
_DATABASE_PATTERNS = tuple((re.compile(p, re.I), name) for p, name in DATABASE_NAMES)
PLATFORMS = ("Ovid", "ProQuest", "EBSCOhost")
CHUNK = 500
SKIPPED_SHOWN = 10  # record numbers of skipped empty records listed in the summary


@dataclass
class ParsedFile:
    """One export file, parsed and ready to store."""

    path: str
    format: str
    source: str
    sha256: str
    records: list[Record]
    skipped: list[int] = field(default_factory=list)  # numbers (1-based) of empty records left out
    exporter: str = ""  # CSV: the exporter its header says made it (Scopus, PubMed ...)
    columns: dict[str, str] = field(default_factory=dict)  # CSV: field -> the column(s) read for it
    columns_ignored: list[str] = field(default_factory=list)  # CSV: columns no field reads
    refused: list[str] = field(default_factory=list)  # broken entries left out ('entry 3 (line 20): why')


@dataclass
class FileImport:
    """What importing one file did (also the --json document per file)."""

    file: str
    format: str
    source: str
    found: int
    added: int
    already_present: int
    already_imported: bool
    coverage: dict[str, int] = field(default_factory=dict)
    search_id: int | None = None
    skipped_empty: int = 0
    skipped_records: list[int] = field(default_factory=list)  # the first SKIPPED_SHOWN of them
    exporter: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    columns_ignored: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # broken entries not imported (BibTeX)

    def to_json(self) -> dict:
        return asdict(self)


def coverage(records: Sequence[Record]) -> dict[str, int]:
    """How many records carry each key field."""
    return {
        "records": len(records),
        "title": sum(bool(r.title) for r in records),
        "abstract": sum(bool(r.abstract) for r in records),
        "authors": sum(bool(r.authors) for r in records),
        "doi": sum(bool(r.doi) for r in records),
        "pmid": sum(bool(r.pmid) for r in records),
        "year": sum(r.year is not None for r in records),
        "issn": sum(bool(r.issns) for r in records),
    }


def is_empty(record: Record) -> bool:
    """True for a record with no title, abstract, authors, DOI or PMID (nothing to screen)."""
    return not (record.title or record.abstract or record.authors or record.doi or record.pmid)


def drop_empty(records: Sequence[Record]) -> tuple[list[Record], list[int]]:
    """(records worth storing, 1-based numbers of the empty records left out)."""
    kept, skipped = [], []
    for n, rec in enumerate(records, 1):
        if is_empty(rec):
            skipped.append(n)
        else:
            kept.append(rec)
    return kept, skipped


def default_source(format: str, records: Sequence[Record], path: str | Path,
                   protocol_names: dict[str, str] | None = None) -> str:
    """The source name for a file when --source is not given.

    The protocol's [[sources.databases]] entry naming this file (or the only
    one with this format) wins; then the database fixed by the format
    (PubMed XML, Web of Science); then the database most records name (RIS
    DB/DP or the file's header or Ovid links, MEDLINE OWN, Refer %~/%W,
    RefWorks DS, NoteExpress {Database Provider}, EndNote remote-database,
    or CNKI/Wanfang when the export carries their marker), with the platform
    it was searched on (see database_name); MEDLINE text naming none is
    PubMed's; else the file's stem.

    The cnki/wanfang parsers also read Refer, RefWorks and NoteExpress text
    from other databases, so for those formats the protocol's entry for the
    format is used only when the content is marked CNKI/Wanfang.
    """
    names = protocol_names or {}
    p = Path(path)
    if p.name in names:
        return names[p.name]
    chinese = CHINESE_SOURCES.get(format)
    if format in names and not chinese:
        return names[format]
    if format in FIXED_SOURCES:
        return FIXED_SOURCES[format]
    found = _named_database(records) or ("PubMed" if format == "medline" else None)
    if not found and chinese and any(_marked(rec, chinese) for rec in records):
        found = chinese
    if found and found == chinese and format in names:
        return names[format]
    return found or p.stem


def database_name(database: str, platform: str = "") -> str | None:
    """The source name for a record's database field ('Ovid MEDLINE(R) ALL' ->
    'Ovid MEDLINE', 'APA PsycInfo' + platform Ovid -> 'PsycINFO (Ovid)'), or None."""
    if not platform:
        platform = next((p for p in PLATFORMS if f"({p.lower()})" in database.lower()), "")
    for pattern, name in _DATABASE_PATTERNS:
        if pattern.search(database):
            if platform and platform not in name and name not in PLATFORMS:
                return f"{name} ({platform})"
            return name
    return platform or None


def _named_database(records: Sequence[Record]) -> str | None:
    """The database most records name in their database field (Embase first)."""
    votes: Counter[str] = Counter()
    for rec in records:
        raw = dict(rec.raw)
        name = database_name(raw.get("database", ""), raw.get("platform", ""))
        if name:
            votes[name] += 1
    embase = [n for n in votes if n.startswith("Embase")]
    if embase:  # Embase exports mark MEDLINE-indexed records "DB - Medline"
        return embase[0]
    return votes.most_common(1)[0][0] if votes else None


def _marked(record: Record, database: str) -> bool:
    """A CNKI/Wanfang-format record naming another provider, but in Chinese or with the database's marker."""
    from review.sources.cnki import from_database

    return from_database("\n".join((record.title, record.journal, record.url, *record.authors,
                                     *(v for _, v in record.raw))), database)


def protocol_source_names(conn: sqlite3.Connection) -> dict[str, str]:
    """file name -> database name, and format -> name where one database has that format."""
    from review.project import project_protocol

    try:
        protocol = project_protocol(conn)
    except BadInput:
        return {}
    names: dict[str, str] = {}
    formats = Counter(db.format for db in protocol.sources.databases)
    for db in protocol.sources.databases:
        for f in db.files:
            names[Path(f).name] = db.name
        if formats[db.format] == 1:
            names[db.format] = db.name
    return names


def parse_files(paths: Sequence[str | Path], format: str = "auto", source: str | None = None,
                protocol_names: dict[str, str] | None = None, encoding: str | None = None) -> list[ParsedFile]:
    """Read and parse every file (nothing is stored); BadInput on the first bad one."""
    if not paths:
        raise BadInput("no files to import")
    parsed = []
    for path in paths:
        data = read_bytes(path)
        with encoding_for(encoding, str(path)):
            fmt, records_all = parse_bytes(data, str(path), format)
            table = _table_columns(fmt, data, str(path))
        name = source or default_source(fmt, records_all, path, protocol_names)
        records, skipped = drop_empty(records_all)
        parsed.append(ParsedFile(str(path), fmt, name, hashlib.sha256(data).hexdigest(), records, skipped,
                                 *table, refused=list(getattr(records_all, "refused", []))))
    return parsed


def _table_columns(fmt: str, data: bytes, where: str) -> tuple[str, dict[str, str], list[str]]:
    """(exporter, field -> column(s) read, columns ignored) of a CSV file; empty for other formats."""
    if fmt != "csv":
        return "", {}, []
    from review.sources.csv_table import read_header

    cols = read_header(data, where)
    return (cols.exporter.name if cols.exporter else ""), cols.used(), cols.ignored()


def _already_imported(conn: sqlite3.Connection, pf: ParsedFile) -> bool:
    return file_imported(conn, pf.source, pf.sha256)


def _skipped(pf: ParsedFile) -> tuple[int, list[int]]:
    return len(pf.skipped), pf.skipped[:SKIPPED_SHOWN]


def _table(pf: ParsedFile) -> tuple[str, dict[str, str], list[str]]:
    return pf.exporter, pf.columns, pf.columns_ignored


def store_files(conn: sqlite3.Connection, parsed: Sequence[ParsedFile], *, actor: str | None = None,
                progress: Callable[[int], None] | None = None) -> list[FileImport]:
    """Store parsed files in one transaction; one search-log entry per file."""
    actor = actor or current_actor()
    results = []
    with transaction(conn):
        for pf in parsed:
            cov = coverage(pf.records)
            if _already_imported(conn, pf):
                results.append(FileImport(pf.path, pf.format, pf.source, len(pf.records), 0,
                                          len(pf.records), True, cov, None, *_skipped(pf), *_table(pf), pf.refused))
                if progress:
                    progress(len(pf.records))
                continue
            sid = start_search(conn, kind="import", source=pf.source, actor=actor, file=pf.path,
                               file_sha256=pf.sha256, format=pf.format)
            added = present = 0
            seen: dict[str, int] = {}
            for i in range(0, len(pf.records), CHUNK):
                chunk = pf.records[i:i + CHUNK]
                a, p = store_records(conn, pf.source, sid, chunk, seen)
                added, present = added + a, present + p
                if progress:
                    progress(len(chunk))
            finish_search(conn, sid, status="complete", count_reported=len(pf.records),
                          count_found=len(pf.records), count_added=added,
                          details={"coverage": cov, "skipped_empty": len(pf.skipped), "refused": pf.refused})
            audit.log(conn, actor, "import", pf.path,
                      {"source": pf.source, "format": pf.format, "sha256": pf.sha256,
                       "found": len(pf.records), "added": added, "search_id": sid,
                       "skipped_empty": len(pf.skipped), "refused": len(pf.refused)})
            results.append(FileImport(pf.path, pf.format, pf.source, len(pf.records), added, present,
                                      False, cov, sid, *_skipped(pf), *_table(pf), pf.refused))
    return results


def import_files(conn: sqlite3.Connection, paths: Sequence[str | Path], *, format: str = "auto",
                 source: str | None = None, actor: str | None = None,
                 progress: Callable[[int], None] | None = None, encoding: str | None = None) -> list[FileImport]:
    """Parse all files, then store them all in one transaction."""
    parsed = parse_files(paths, format, source, protocol_source_names(conn), encoding)
    return store_files(conn, parsed, actor=actor, progress=progress)
