"""Import export files into the project: parse every file first, then store
them all in one transaction, so that a bad file changes nothing.

Re-importing is idempotent twice over: a file whose bytes (SHA-256) were
already imported for the same source is skipped without a new log entry, and
records already stored for a source (same fingerprint) are only linked.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from review.clock import current_actor
from review.db import audit, transaction
from review.db.records import finish_search, start_search, store_records
from review.errors import BadInput
from review.models import Record
from review.sources.readers import parse_bytes, read_bytes

FIXED_SOURCES = {"cnki": "CNKI", "wanfang": "Wanfang", "pubmed-xml": "PubMed", "medline": "PubMed",
                 "wos": "Web of Science"}
# substrings of a record's database field (RIS DB/DP, EndNote remote-database) -> source name
DATABASE_NAMES = (("embase", "Embase"), ("scopus", "Scopus"), ("ovid", "Ovid"), ("proquest", "ProQuest"),
                  ("web of science", "Web of Science"), ("pubmed", "PubMed"), ("medline", "PubMed"),
                  ("nlm", "PubMed"), ("cnki", "CNKI"), ("万方", "Wanfang"), ("wanfang", "Wanfang"))
CHUNK = 500


@dataclass
class ParsedFile:
    """One export file, parsed and ready to store."""

    path: str
    format: str
    source: str
    sha256: str
    records: list[Record]


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


def default_source(format: str, records: Sequence[Record], path: str | Path,
                   protocol_names: dict[str, str] | None = None) -> str:
    """The source name for a file when --source is not given.

    The protocol's [[sources.databases]] entry naming this file (or the only
    one with this format) wins; then the database fixed by the format (CNKI,
    Wanfang, PubMed); then the database most records name (RIS DB/DP); else
    the file's stem.
    """
    names = protocol_names or {}
    p = Path(path)
    if p.name in names:
        return names[p.name]
    if format in names:
        return names[format]
    if format in FIXED_SOURCES:
        return FIXED_SOURCES[format]
    votes: Counter[str] = Counter()
    for rec in records:
        db = dict(rec.raw).get("database", "").lower()
        for key, name in DATABASE_NAMES:
            if key in db:
                votes[name] += 1
                break
    if votes.get("Embase"):  # Embase exports mark MEDLINE-indexed records "DB - Medline"
        return "Embase"
    return votes.most_common(1)[0][0] if votes else p.stem


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
                protocol_names: dict[str, str] | None = None) -> list[ParsedFile]:
    """Read and parse every file (nothing is stored); BadInput on the first bad one."""
    if not paths:
        raise BadInput("no files to import")
    parsed = []
    for path in paths:
        data = read_bytes(path)
        fmt, records = parse_bytes(data, str(path), format)
        name = source or default_source(fmt, records, path, protocol_names)
        parsed.append(ParsedFile(str(path), fmt, name, hashlib.sha256(data).hexdigest(), records))
    return parsed


def _already_imported(conn: sqlite3.Connection, pf: ParsedFile) -> bool:
    row = conn.execute(
        "SELECT 1 FROM searches WHERE kind = 'import' AND status = 'complete'"
        " AND source = ? AND file_sha256 = ? LIMIT 1",
        (pf.source, pf.sha256),
    ).fetchone()
    return row is not None


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
                                          len(pf.records), True, cov))
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
                          count_found=len(pf.records), count_added=added, details={"coverage": cov})
            audit.log(conn, actor, "import", pf.path,
                      {"source": pf.source, "format": pf.format, "sha256": pf.sha256,
                       "found": len(pf.records), "added": added, "search_id": sid})
            results.append(FileImport(pf.path, pf.format, pf.source, len(pf.records), added, present,
                                      False, cov, sid))
    return results


def import_files(conn: sqlite3.Connection, paths: Sequence[str | Path], *, format: str = "auto",
                 source: str | None = None, actor: str | None = None,
                 progress: Callable[[int], None] | None = None) -> list[FileImport]:
    """Parse all files, then store them all in one transaction."""
    parsed = parse_files(paths, format, source, protocol_source_names(conn))
    return store_files(conn, parsed, actor=actor, progress=progress)
