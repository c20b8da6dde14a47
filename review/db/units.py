"""Screening units in the database (schema: migration m0005).

The only module that writes ``units``, ``unit_members`` and ``unit_lineage``.
Every record belongs to exactly one active unit: a newly stored record gets a
unit of its own (``add_records``), and after every change of duplicate groups
``sync`` maps the groups onto units with review.units.plan (ids kept where a
group is an earlier unit; merge and split links where history must carry).
Call both inside the transaction that changed the records or the groups.
"""

from __future__ import annotations

import sqlite3
from typing import Iterable

from review.clock import now
from review.errors import BadInput
from review.units import UnitPlan, heirs, plan


def add_records(conn: sqlite3.Connection, record_ids: Iterable[int]) -> int:
    """Give each newly stored record a unit of its own; returns how many."""
    ts = now()
    n = 0
    for rid in record_ids:
        uid = conn.execute("INSERT INTO units (created_at, origin) VALUES (?, 'record')", (ts,)).lastrowid
        conn.execute("INSERT INTO unit_members (record_id, unit_id) VALUES (?, ?)", (rid, uid))
        n += 1
    return n


def current_groups(conn: sqlite3.Connection) -> dict[int, list[int]]:
    """Duplicate groups as they stand (group id -> member record ids), every record included."""
    out: dict[int, list[int]] = {}
    for rid, gid in conn.execute(
        "SELECT r.id, COALESCE(g.group_id, r.id) FROM records r LEFT JOIN record_groups g ON g.record_id = r.id"
    ):
        out.setdefault(gid, []).append(rid)
    return out


def membership(conn: sqlite3.Connection) -> dict[int, int]:
    """record id -> unit id."""
    return dict(conn.execute("SELECT record_id, unit_id FROM unit_members").fetchall())


def historied(conn: sqlite3.Connection) -> set[int]:
    """Units that carry history: events, study links, or parents of their own."""
    return {r[0] for r in conn.execute(
        "SELECT unit_id FROM events UNION SELECT unit_id FROM study_links UNION SELECT unit_id FROM unit_lineage")}


def sync(conn: sqlite3.Connection) -> dict:
    """Bring units in line with the current duplicate groups; returns what changed
    (counts of new, merged, split and retired units). Call inside a transaction."""
    current = membership(conn)
    groups = current_groups(conn)
    missing = [r for ms in groups.values() for r in ms if r not in current]
    if missing:  # records stored before units existed, or by an older path
        add_records(conn, missing)
        current = membership(conn)
    p = plan(groups, current, historied(conn))
    if p.changed:
        _apply(conn, p, groups, current)
    return p.summary()


def _apply(conn: sqlite3.Connection, p: UnitPlan, groups: dict[int, list[int]], current: dict[int, int]) -> None:
    ts = now()
    target: dict[int, int] = dict(p.keep)
    for nu in p.new:
        uid = conn.execute("INSERT INTO units (created_at, origin) VALUES (?, ?)", (ts, nu.origin)).lastrowid
        target[nu.label] = uid
        conn.executemany("INSERT INTO unit_lineage (unit_id, parent_id, kind, ts) VALUES (?, ?, ?, ?)",
                         [(uid, parent, kind, ts) for parent, kind in nu.parents])
    moves = [(target[label], rid) for label, ms in groups.items() for rid in ms if current.get(rid) != target[label]]
    conn.executemany("UPDATE unit_members SET unit_id = ? WHERE record_id = ?", moves)
    conn.executemany("UPDATE units SET retired_at = ? WHERE id = ? AND retired_at IS NULL",
                     [(ts, u) for u in sorted(p.retire)])


def unit_of(conn: sqlite3.Connection, record_id: int) -> int:
    """The active unit of a record; BadInput for an unknown record."""
    row = conn.execute("SELECT unit_id FROM unit_members WHERE record_id = ?", (record_id,)).fetchone()
    if row is None:
        raise BadInput(f"no record {record_id} (see 'review records')")
    return row[0]


def members(conn: sqlite3.Connection, unit_id: int) -> list[int]:
    """Record ids of a unit, smallest first (the first is the unit's label in lists)."""
    return [r[0] for r in conn.execute(
        "SELECT record_id FROM unit_members WHERE unit_id = ? ORDER BY record_id", (unit_id,))]


def active_units(conn: sqlite3.Connection) -> dict[int, int]:
    """Active unit id -> its representative (smallest) record id."""
    return dict(conn.execute(
        "SELECT unit_id, MIN(record_id) FROM unit_members GROUP BY unit_id").fetchall())


def lineage(conn: sqlite3.Connection) -> list[tuple[int, int, str]]:
    """(unit, parent, kind) rows: where units came from when groups changed."""
    return [tuple(r) for r in conn.execute("SELECT unit_id, parent_id, kind FROM unit_lineage ORDER BY unit_id")]


def parents(conn: sqlite3.Connection) -> dict[int, list[tuple[int, str]]]:
    """unit -> [(parent, 'merge'|'split')] for units made from earlier ones."""
    out: dict[int, list[tuple[int, str]]] = {}
    for unit, parent, kind in lineage(conn):
        out.setdefault(unit, []).append((parent, kind))
    return out


def descendants(conn: sqlite3.Connection) -> dict[int, list[tuple[int, bool]]]:
    """Retired unit -> the active units it lives on in (True where through a split)."""
    active = {r[0] for r in conn.execute("SELECT DISTINCT unit_id FROM unit_members")}
    return heirs(lineage(conn), active)
