"""Seals: a digest of the records each completed search or import stored,
appended to a hash-chained table when the search is logged complete, so that
a record edited, deleted or inserted outside review is detected (``verify``).

A record's digest covers its source, fingerprint and every bibliographic
column; a search's seal covers each record linked to it, in id order.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from review.clock import now
from review.db import chain

_COLUMNS = ("id", "source", "fingerprint", "source_ref", "pmid", "doi", "title", "abstract", "authors", "year",
            "journal", "journal_abbrev", "volume", "issue", "pages", "issn_print", "issn_electronic",
            "issn_linking", "nlm_id", "publication_types", "mesh", "keywords", "language", "url", "raw",
            "created_at")


def records_digest(conn: sqlite3.Connection, search_id: int) -> str:
    """'<count>:<sha256>' over the records linked to a search, in id order."""
    h = hashlib.sha256()
    n = 0
    for row in conn.execute(
            f"SELECT {', '.join('r.' + c for c in _COLUMNS)} FROM records r"
            " JOIN record_searches rs ON rs.record_id = r.id WHERE rs.search_id = ? ORDER BY r.id", (search_id,)):
        h.update(json.dumps(list(row), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        h.update(b"\n")
        n += 1
    return f"{n}:{h.hexdigest()}"


def seal_search(conn: sqlite3.Connection, search_id: int, actor: str) -> None:
    """Seal the records a completed search stored (call in its transaction)."""
    chain.append(conn, "seals", [{"ts": now(), "actor": actor, "kind": "records", "target": f"search:{search_id}",
                                  "digest": records_digest(conn, search_id)}])


def verify(conn: sqlite3.Connection) -> list[str]:
    """Problems found: a sealed search whose records changed, a completed search
    without a seal, a record in no sealed search."""
    problems = []
    sealed: dict[int, str] = {}
    for target, digest in conn.execute("SELECT target, digest FROM seals WHERE kind = 'records' ORDER BY id"):
        sealed[int(target.split(":", 1)[1])] = digest
    for sid, digest in sealed.items():
        now_digest = records_digest(conn, sid)
        if now_digest != digest:
            problems.append(f"the records of search/import {sid} changed since it was sealed "
                            f"({digest.split(':')[0]} sealed, {now_digest.split(':')[0]} now)")
    for (sid,) in conn.execute("SELECT id FROM searches WHERE status = 'complete' ORDER BY id"):
        if sid not in sealed:
            problems.append(f"search/import {sid} is complete but has no seal")
    loose = conn.execute(
        "SELECT COUNT(*), MIN(r.id) FROM records r WHERE NOT EXISTS (SELECT 1 FROM record_searches rs"
        f" WHERE rs.record_id = r.id AND rs.search_id IN ({','.join('?' * len(sealed)) or 'NULL'}))",
        list(sealed)).fetchone()
    if loose[0]:
        problems.append(f"{loose[0]} record(s) belong to no sealed search or import (first: record {loose[1]}):"
                        " inserted outside review?")
    return problems
