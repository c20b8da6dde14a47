"""The audit log: who did what and when, each row chained to the previous
one by SHA-256 so that an edit or deletion made outside review is detectable.

The chain's head (last id and hash) is also kept in the ``project`` table, so
that removing rows from the end is detected too; ``verify`` reports the head
hash, which can be written down elsewhere (a lab notebook, a supplement) to
anchor the log against someone who rewrites the whole database.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass

from review.clock import now

GENESIS = "0" * 64


def _digest(prev_hash: str, ts: str, actor: str, action: str, target: str | None, details: str) -> str:
    blob = json.dumps([prev_hash, ts, actor, action, target, details], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def log(
    conn: sqlite3.Connection,
    actor: str,
    action: str,
    target: str | None = None,
    details: dict | None = None,
) -> int:
    """Append one audit row (call inside the transaction of the change it records)."""
    row = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    prev = row[0] if row else GENESIS
    ts = now()
    det = json.dumps(details or {}, ensure_ascii=False, sort_keys=True)
    h = _digest(prev, ts, actor, action, target, det)
    cur = conn.execute(
        "INSERT INTO audit_log (ts, actor, action, target, details, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (ts, actor, action, target, det, prev, h),
    )
    conn.execute(
        "INSERT INTO project (key, value) VALUES ('audit_head', ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (json.dumps({"id": cur.lastrowid, "hash": h}),),
    )
    return cur.lastrowid


@dataclass(frozen=True)
class AuditCheck:
    ok: bool
    rows: int
    first_bad_id: int | None = None
    problem: str = ""
    head: str = ""


def verify(conn: sqlite3.Connection) -> AuditCheck:
    """Recompute the hash chain; report the first row that does not fit."""
    prev = GENESIS
    n = 0
    for r in conn.execute(
        "SELECT id, ts, actor, action, target, details, prev_hash, hash FROM audit_log ORDER BY id"
    ):
        n += 1
        if r["prev_hash"] != prev:
            return AuditCheck(False, n, r["id"], "row does not follow the previous row (deleted or reordered)")
        if _digest(prev, r["ts"], r["actor"], r["action"], r["target"], r["details"]) != r["hash"]:
            return AuditCheck(False, n, r["id"], "row content does not match its hash (edited)")
        prev = r["hash"]
        last_id = r["id"]
    stored = conn.execute("SELECT value FROM project WHERE key = 'audit_head'").fetchone()
    if stored is not None:
        head = json.loads(stored[0])
        if n == 0 or head["hash"] != prev:
            at = f"row {last_id}" if n else "no rows"
            return AuditCheck(False, n, head["id"],
                              f"the log ends at {at} but its recorded head is row {head['id']} "
                              "(rows removed from the end)", prev)
    elif n:
        return AuditCheck(False, n, None, "the log has rows but no recorded head", prev)
    return AuditCheck(True, n, head=prev)


def entries(conn: sqlite3.Connection, limit: int | None = None) -> list[dict]:
    sql = "SELECT id, ts, actor, action, target, details FROM audit_log ORDER BY id"
    if limit:
        sql += f" DESC LIMIT {int(limit)}"
    rows = [dict(r) | {"details": json.loads(r["details"])} for r in conn.execute(sql)]
    return sorted(rows, key=lambda r: r["id"])
