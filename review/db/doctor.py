"""Low-level checks of a project database for ``review doctor``: SQLite's
own integrity and foreign-key checks, and counts that must agree."""

from __future__ import annotations

import sqlite3


def integrity(conn: sqlite3.Connection) -> list[str]:
    """SQLite's integrity_check: [] when the file is sound."""
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def foreign_keys(conn: sqlite3.Connection) -> list[str]:
    return [f"{r[0]} row {r[1]} points to a missing {r[2]} row"
            for r in conn.execute("PRAGMA foreign_key_check")]


def unit_problems(conn: sqlite3.Connection) -> list[str]:
    """Every record in exactly one active unit, and units agree with the duplicate groups."""
    out = []
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    missing = one("SELECT COUNT(*) FROM records r WHERE NOT EXISTS"
                  " (SELECT 1 FROM unit_members m WHERE m.record_id = r.id)")
    if missing:
        out.append(f"{missing} record(s) belong to no screening unit")
    retired = one("SELECT COUNT(*) FROM unit_members m JOIN units u ON u.id = m.unit_id"
                  " WHERE u.retired_at IS NOT NULL")
    if retired:
        out.append(f"{retired} record(s) sit in a retired unit")
    split = one("SELECT COUNT(*) FROM (SELECT COALESCE(g.group_id, r.id) AS grp FROM records r"
                " LEFT JOIN record_groups g ON g.record_id = r.id JOIN unit_members m ON m.record_id = r.id"
                " GROUP BY grp HAVING COUNT(DISTINCT m.unit_id) > 1)")
    if split:
        out.append(f"{split} duplicate group(s) are spread over several units")
    shared = one("SELECT COUNT(*) FROM (SELECT m.unit_id FROM unit_members m JOIN records r ON r.id = m.record_id"
                 " LEFT JOIN record_groups g ON g.record_id = r.id"
                 " GROUP BY m.unit_id HAVING COUNT(DISTINCT COALESCE(g.group_id, r.id)) > 1)")
    if shared:
        out.append(f"{shared} unit(s) hold records of different duplicate groups")
    dangling = one("SELECT COUNT(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.id = e.unit_id)")
    if dangling:
        out.append(f"{dangling} event(s) name a unit that does not exist")
    return out


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "records": one("SELECT COUNT(*) FROM records"),
        "units": one("SELECT COUNT(DISTINCT unit_id) FROM unit_members"),
        "events": one("SELECT COUNT(*) FROM events"),
        "audit_entries": one("SELECT COUNT(*) FROM audit_log"),
    }
