"""Hash chains over append-only tables: each row carries the SHA-256 of the
previous row's hash and its own content, and the newest row's id and hash are
kept in ``project`` (key ``chain:<table>``), so an edit, a deletion, an
insertion or rows cut from the end are all detected by ``verify``.

Tables chained: events, extraction_values, quality_scores, study_links
(review/db/events.py), dedup_decisions (review/db/dedup.py) and seals
(review/db/seals.py). The audit log has its own chain (review/db/audit.py).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import Any, Sequence

GENESIS = "0" * 64

# The hashed columns of each chained table, in order (everything but id and the hashes).
COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("uid", "ts", "actor", "stage", "unit_id", "record_id", "kind", "decision", "reason", "note",
               "payload", "supersedes", "origin"),
    "extraction_values": ("uid", "ts", "actor", "study_id", "arm", "field", "kind", "value", "derived", "settled",
                          "note", "supersedes", "origin"),
    "quality_scores": ("uid", "ts", "actor", "study_id", "tool", "item", "kind", "score", "settled", "note",
                       "supersedes", "origin"),
    "study_links": ("ts", "actor", "unit_id", "study_id"),
    "dedup_decisions": ("ts", "actor", "record_a", "record_b", "decision", "pair_id", "supersedes", "note", "batch"),
    "seals": ("ts", "actor", "kind", "target", "digest"),
}


def row_hash(table: str, prev: str, values: Sequence[Any]) -> str:
    blob = json.dumps([prev, table, *values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def head(conn: sqlite3.Connection, table: str) -> str:
    row = conn.execute(f"SELECT hash FROM {table} WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else GENESIS


def append(conn: sqlite3.Connection, table: str, rows: list[dict]) -> list[tuple[int, str]]:
    """Append rows to a chained table; returns (id, hash) of each. Call in a transaction."""
    cols = COLUMNS[table]
    prev = head(conn, table)
    sql = (f"INSERT INTO {table} ({', '.join(cols)}, prev_hash, hash)"
           f" VALUES ({', '.join('?' * (len(cols) + 2))})")
    out = []
    for row in rows:
        values = [row.get(c) for c in cols]
        h = row_hash(table, prev, values)
        rid = conn.execute(sql, (*values, prev, h)).lastrowid
        out.append((rid, h))
        prev = h
    if out:
        set_head(conn, table, out[-1][0], out[-1][1])
    return out


def set_head(conn: sqlite3.Connection, table: str, row_id: int, h: str) -> None:
    conn.execute(
        "INSERT INTO project (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (f"chain:{table}", json.dumps({"id": row_id, "hash": h})))


@dataclass(frozen=True)
class ChainCheck:
    table: str
    ok: bool
    rows: int
    first_bad_id: int | None = None
    problem: str = ""
    head: str = GENESIS


def verify(conn: sqlite3.Connection, table: str) -> ChainCheck:
    """Recompute a table's hash chain and compare its end with the recorded head."""
    cols = COLUMNS[table]
    prev, n, last = GENESIS, 0, None
    for r in conn.execute(f"SELECT id, {', '.join(cols)}, prev_hash, hash FROM {table} ORDER BY id"):
        n += 1
        if r["prev_hash"] != prev:
            return ChainCheck(table, False, n, r["id"], "row does not follow the previous row (deleted or inserted)")
        if row_hash(table, prev, [r[c] for c in cols]) != r["hash"]:
            return ChainCheck(table, False, n, r["id"], "row content does not match its hash (edited)")
        prev, last = r["hash"], r["id"]
    stored = conn.execute("SELECT value FROM project WHERE key = ?", (f"chain:{table}",)).fetchone()
    if stored is not None:
        recorded = json.loads(stored[0])
        if recorded["hash"] != prev:
            return ChainCheck(table, False, n, recorded["id"],
                              f"the table ends at row {last} but its recorded head is row {recorded['id']} "
                              "(rows removed from the end)", prev)
    elif n:
        return ChainCheck(table, False, n, None, "rows but no recorded head", prev)
    return ChainCheck(table, True, n, head=prev)
