"""The queries behind the PRISMA 2020 counts and the PRISMA-S search summary
(review/prisma/): records per source from the search log, the search log
itself, and the deduplication runs and decisions. Read-only.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter


def record_sources(conn: sqlite3.Connection) -> list[tuple[int, str, str, int]]:
    """(record id, source, fingerprint, sources logged) for every record.

    The source is that of the searches and imports that returned the record
    (``record_searches``); records are stored per source, so it is the source the
    record was stored for, which is used for a record no search links to (none
    should exist; ``sources logged`` is then 0).
    """
    return [tuple(r) for r in conn.execute(
        "SELECT r.id, COALESCE(MIN(s.source), r.source), r.fingerprint, COUNT(DISTINCT s.source)"
        " FROM records r LEFT JOIN record_searches rs ON rs.record_id = r.id"
        " LEFT JOIN searches s ON s.id = rs.search_id GROUP BY r.id ORDER BY r.id")]


def unfinished_searches(conn: sqlite3.Connection) -> list[dict]:
    """Searches and imports not complete (running, failed, interrupted), with the records they linked."""
    return [dict(r) for r in conn.execute(
        "SELECT s.id, s.kind, s.source, s.status, (SELECT COUNT(*) FROM record_searches rs"
        " WHERE rs.search_id = s.id) AS linked FROM searches s WHERE s.status != 'complete' ORDER BY s.id")]


def searches(conn: sqlite3.Connection) -> list[dict]:
    """Every search and import of the log, oldest first, with the records it links
    to (``linked``) and the database names its records carry (RIS DB/DP and the like)."""
    linked = dict(conn.execute(
        "SELECT search_id, COUNT(*) FROM record_searches GROUP BY search_id").fetchall())
    named: dict[int, Counter] = {}
    for sid, db in conn.execute(
            "SELECT rs.search_id, json_extract(r.raw, '$.database') FROM record_searches rs"
            " JOIN records r ON r.id = rs.record_id WHERE json_extract(r.raw, '$.database') != ''"):
        named.setdefault(sid, Counter())[db] += 1
    out = []
    for r in conn.execute("SELECT * FROM searches ORDER BY id"):
        d = dict(r)
        d["details"] = json.loads(d.get("details") or "{}")
        d["linked"] = linked.get(d["id"], 0)
        d["named_databases"] = dict(named.get(d["id"], Counter()).most_common())
        out.append(d)
    return out


def dedup_runs(conn: sqlite3.Connection) -> list[dict]:
    """Deduplication runs, oldest first (when, by whom, with which version, what they found)."""
    return [dict(r) for r in conn.execute(
        "SELECT id, started_at, finished_at, actor, tool_version, records, candidates, certain, possible, groups"
        " FROM dedup_runs ORDER BY id")]
