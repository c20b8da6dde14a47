"""SQL for screening beyond review/db/events.py and units.py: lean readers of
units and events for large projects (100,000 units), the records a screen
shows, the title/abstract search index, stage closures, and the copying that
``review pack`` and ``review merge`` do.

Events are still written only through review/db/events.py.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Iterable, Sequence

from review.clock import now
from review.db import audit
from review.models import Event

# Set-valued parameters go through json_each: no limit on the number of ids.
_IN = "(SELECT value FROM json_each(?))"


def _ids(ids: Iterable[int]) -> str:
    return json.dumps(sorted(set(ids)))


def _plain(conn: sqlite3.Connection) -> sqlite3.Cursor:
    """A cursor returning tuples (several times faster than sqlite3.Row on big reads)."""
    cur = conn.cursor()
    cur.row_factory = None
    return cur


# ------------------------------------------------------------------ units
def active_units(conn: sqlite3.Connection, only: Iterable[int] | None = None) -> dict[int, int]:
    """Active unit -> representative (smallest) record id, optionally of some units only."""
    if only is None:
        rows = _plain(conn).execute("SELECT unit_id, MIN(record_id) FROM unit_members GROUP BY unit_id")
    else:
        rows = _plain(conn).execute(f"SELECT unit_id, MIN(record_id) FROM unit_members WHERE unit_id IN {_IN}"
                                    " GROUP BY unit_id", (_ids(only),))
    return dict(rows.fetchall())


def lineage_above(conn: sqlite3.Connection, unit_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """unit -> [(parent, kind)] for the given units and all their ancestors."""
    rows = _plain(conn).execute(
        f"""WITH RECURSIVE up(u) AS (SELECT value FROM json_each(?)
                UNION SELECT l.parent_id FROM unit_lineage l JOIN up ON l.unit_id = up.u)
            SELECT l.unit_id, l.parent_id, l.kind FROM unit_lineage l JOIN up ON l.unit_id = up.u""",
        (_ids(unit_ids),))
    out: dict[int, list[tuple[int, str]]] = {}
    for unit, parent, kind in rows:
        out.setdefault(unit, []).append((parent, kind))
    return out


def lineage_above_all(conn: sqlite3.Connection) -> dict[int, list[tuple[int, str]]]:
    """unit -> [(parent, kind)] for every unit made from earlier ones."""
    out: dict[int, list[tuple[int, str]]] = {}
    for unit, parent, kind in _plain(conn).execute("SELECT unit_id, parent_id, kind FROM unit_lineage"):
        out.setdefault(unit, []).append((parent, kind))
    return out


def with_ancestors(unit_ids: Iterable[int], parents: dict[int, list[tuple[int, str]]]) -> set[int]:
    out = set(unit_ids)
    for ps in parents.values():
        out.update(p for p, _ in ps)
    return out


def units_of_records(conn: sqlite3.Connection, record_ids: Iterable[int]) -> set[int]:
    return {r[0] for r in _plain(conn).execute(
        f"SELECT DISTINCT unit_id FROM unit_members WHERE record_id IN {_IN}", (_ids(record_ids),))}


def unit_exists(conn: sqlite3.Connection, unit_id: int) -> bool:
    return conn.execute("SELECT 1 FROM units WHERE id = ?", (unit_id,)).fetchone() is not None


def record_exists(conn: sqlite3.Connection, record_id: int) -> bool:
    return conn.execute("SELECT 1 FROM records WHERE id = ?", (record_id,)).fetchone() is not None


# ------------------------------------------------------------------ events
_EVENT_COLS = "id, uid, ts, actor, stage, unit_id, record_id, kind, decision, reason, note, payload, supersedes, origin"


def _in(ids: Iterable[int]) -> tuple[str, list]:
    """``IN (...)`` for a set of ids: inline for a few (the planner then uses
    the unit index), through json_each for many (no limit on their number)."""
    ids = sorted(set(ids))
    if len(ids) <= 500:
        return f"({','.join('?' * len(ids))})", ids
    return _IN, [json.dumps(ids)]


def stage_events(conn: sqlite3.Connection, stage: str, kinds: Sequence[str], *,
                 unit_ids: Iterable[int] | None = None, actor: str | None = None,
                 payload: bool = False) -> list[Event]:
    """Events of some kinds at a stage, in the order written; the payload is
    parsed only when asked (it is large work on 100,000 rows and rarely used)."""
    sql = f"SELECT {_EVENT_COLS} FROM events WHERE stage = ? AND kind IN ({','.join('?' * len(kinds))})"
    params: list = [stage, *kinds]
    if unit_ids is not None:
        clause, ids = _in(unit_ids)
        sql += f" AND unit_id IN {clause}"
        params += ids
    if actor is not None:
        # with units given, their index is the way in (unary + keeps the planner off the actor index)
        sql += " AND +actor = ?" if unit_ids is not None else " AND actor = ?"
        params.append(actor)
    out = []
    for r in _plain(conn).execute(sql + " ORDER BY id", params):
        out.append(Event(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10],
                         json.loads(r[11]) if payload else {}, r[12], r[13]))
    return out


def undone(conn: sqlite3.Connection) -> set[int]:
    """Ids of events an undo retracts (read through the partial index on supersedes)."""
    return {r[0] for r in _plain(conn).execute(
        "SELECT supersedes FROM events WHERE supersedes IS NOT NULL AND kind = 'undo'")}


def latest_by_actor(conn: sqlite3.Connection, stage: str, kind: str, done: set[int]) -> dict[int, dict[str, str]]:
    """unit -> actor -> decision of the actor's latest event of ``kind`` at
    ``stage`` (by time, then uid) that no undo retracted: the units' own
    events only (no inheritance), for whole-stage passes. Read in the order of
    the covering index events_standing, the latest of each pair comes last."""
    out: dict[int, dict[str, str]] = {}
    for u, a, d, eid in _plain(conn).execute(
            "SELECT unit_id, actor, decision, id FROM events WHERE stage = ? AND kind = ?"
            " ORDER BY unit_id, actor, ts, uid", (stage, kind)):
        if eid in done:
            continue
        m = out.get(u)
        if m is None:
            out[u] = {a: d}
        else:
            m[a] = d
    return out


def latest_by_unit(conn: sqlite3.Connection, stage: str, kind: str, done: set[int]) -> dict[int, str]:
    """unit -> decision of the latest event of ``kind`` at ``stage`` by anyone (resolutions)."""
    out: dict[int, str] = {}
    for u, d, eid in _plain(conn).execute(
            "SELECT unit_id, decision, id FROM events WHERE stage = ? AND kind = ? ORDER BY unit_id, ts, uid",
            (stage, kind)):
        if eid not in done:
            out[u] = d
    return out


def units_with_rule_exclusion(conn: sqlite3.Connection, done: set[int]) -> set[int]:
    """Units with an automatic exclusion of their own in force (rules only exclude)."""
    return {u for u, eid in _plain(conn).execute(
        "SELECT unit_id, id FROM events WHERE stage = 'automation' AND kind = 'rule'") if eid not in done}


def units_with_parents(conn: sqlite3.Connection) -> set[int]:
    return {r[0] for r in _plain(conn).execute("SELECT DISTINCT unit_id FROM unit_lineage")}


def latest_in_force(conn: sqlite3.Connection, stage: str, kind: str, actor: str, done: set[int],
                    unit_ids: Iterable[int] | None = None) -> Event | None:
    """The actor's latest event of ``kind`` at ``stage`` (by time, then uid) that no undo retracted."""
    sql = f"SELECT {_EVENT_COLS} FROM events WHERE actor = ? AND stage = ? AND kind = ?"
    params: list = [actor, stage, kind]
    if unit_ids is not None:
        sql += f" AND unit_id IN {_IN}"
        params.append(_ids(unit_ids))
    for r in _plain(conn).execute(sql + " ORDER BY ts DESC, uid DESC", params):
        if r[0] not in done:
            return Event(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], json.loads(r[11]),
                         r[12], r[13])
    return None


def event_ids_by_uid(conn: sqlite3.Connection, uids: Iterable[str]) -> dict[str, int]:
    return dict(_plain(conn).execute(
        "SELECT uid, id FROM events WHERE uid IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(uids))),)).fetchall())


def all_events(conn: sqlite3.Connection) -> list[Event]:
    """Every event with its payload (pack and merge)."""
    return [Event(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], json.loads(r[11]),
                  r[12], r[13])
            for r in _plain(conn).execute(f"SELECT {_EVENT_COLS} FROM events ORDER BY id")]


# ------------------------------------------------------------------ records for the screen
def unit_records(conn: sqlite3.Connection, unit_ids: Iterable[int]) -> dict[int, list[dict]]:
    """unit -> its member records (as ``records`` rows, smallest id first)."""
    out: dict[int, list[dict]] = {}
    for r in conn.execute(
        f"SELECT m.unit_id AS unit_id, r.* FROM unit_members m JOIN records r ON r.id = m.record_id"
        f" WHERE m.unit_id IN {_IN} ORDER BY r.id", (_ids(unit_ids),)
    ):
        out.setdefault(r["unit_id"], []).append(dict(r))
    return out


# ------------------------------------------------------------------ search
def fts_available(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'records_fts'").fetchone() is not None


def fts_pending(conn: sqlite3.Connection) -> int:
    """Records not in the search index yet."""
    done = _fts_mark(conn)
    return conn.execute("SELECT COUNT(*) FROM records WHERE id > ?", (done,)).fetchone()[0]


def _fts_mark(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM project WHERE key = 'fts_indexed_upto'").fetchone()
    return int(row[0]) if row else 0


def fts_catch_up(conn: sqlite3.Connection) -> int:
    """Index the records stored since the last search (records are never
    changed or deleted, so the index only grows). Call inside a transaction."""
    done = _fts_mark(conn)
    top = conn.execute("SELECT COALESCE(MAX(id), 0) FROM records").fetchone()[0]
    if top <= done:
        return 0
    n = conn.execute("INSERT INTO records_fts (rowid, title, abstract)"
                     " SELECT id, title, abstract FROM records WHERE id > ? AND id <= ?", (done, top)).rowcount
    conn.execute("INSERT INTO project (key, value) VALUES ('fts_indexed_upto', ?)"
                 " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(top),))
    return n


def fts_units(conn: sqlite3.Connection, query: str) -> set[int]:
    """Units with a record whose title or abstract match an FTS5 query."""
    return {r[0] for r in _plain(conn).execute(
        "SELECT DISTINCT m.unit_id FROM records_fts f JOIN unit_members m ON m.record_id = f.rowid"
        " WHERE records_fts MATCH ?", (query,))}


def text_units(conn: sqlite3.Connection, words: Sequence[str]) -> set[int]:
    """Units with a record whose title or abstract contain every word (a scan;
    for scripts without spaces between words, e.g. Chinese, and without FTS5)."""
    where = " AND ".join(["(instr(lower(r.title), ?) > 0 OR instr(lower(r.abstract), ?) > 0)"] * len(words))
    params = [w.lower() for w in words for _ in (0, 1)]
    return {r[0] for r in _plain(conn).execute(
        f"SELECT DISTINCT m.unit_id FROM records r JOIN unit_members m ON m.record_id = r.id WHERE {where}", params)}


# ------------------------------------------------------------------ stage closures
def closures(conn: sqlite3.Connection) -> dict[str, dict]:
    """stage -> its latest closure row (action 'close' or 'reopen'), for stages ever closed."""
    out = {}
    for r in conn.execute("SELECT * FROM stage_closures ORDER BY id"):
        out[r["stage"]] = dict(r) | {"details": json.loads(r["details"])}
    return out


def add_closure(conn: sqlite3.Connection, actor: str, stage: str, action: str, details: dict) -> int:
    """Record a stage's closing or reopening (and its audit entry). Call inside a transaction."""
    cid = conn.execute("INSERT INTO stage_closures (ts, actor, stage, action, details) VALUES (?, ?, ?, ?, ?)",
                       (now(), actor, stage, action, json.dumps(details, ensure_ascii=False, sort_keys=True))
                       ).lastrowid
    audit.log(conn, actor, f"{stage}.{action}", f"stage:{stage}", details)
    return cid


# ------------------------------------------------------------------ packs
def project_value(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM project WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_project_value(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO project (key, value) VALUES (?, ?)"
                 " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))


def pack_info(conn: sqlite3.Connection) -> dict | None:
    """What a pack file says about itself (None in a project database)."""
    v = project_value(conn, "pack")
    return json.loads(v) if v else None


def scope(conn: sqlite3.Connection, stage: str) -> set[int]:
    return {r[0] for r in _plain(conn).execute("SELECT unit_id FROM pack_scope WHERE stage = ?", (stage,))}


# What a pack carries besides events: the protocol, records with their
# provenance, duplicate groups and units. Nothing of any person's work.
PACK_TABLES = ("people", "searches", "records", "record_searches", "record_groups", "units", "unit_members",
               "unit_lineage")
PACK_PROJECT_KEYS = ("protocol_id", "protocol_path", "protocol_toml", "created_at", "created_with")


def attach(conn: sqlite3.Connection, path: str, name: str = "src") -> None:
    """Attach another database file (outside any transaction: SQLite's rule)."""
    conn.execute(f"ATTACH DATABASE ? AS {name}", (path,))


def detach(conn: sqlite3.Connection, name: str = "src") -> None:
    conn.execute(f"DETACH DATABASE {name}")


def copy_for_pack(target: sqlite3.Connection, scopes: dict[str, Iterable[int]]) -> None:
    """Copy the shared tables of the project attached as ``src`` into the new
    pack ``target`` and fix each stage's scope. Call inside a transaction."""
    for table in PACK_TABLES:
        target.execute(f"INSERT INTO main.{table} SELECT * FROM src.{table}")
    target.execute("INSERT INTO main.project (key, value) SELECT key, value FROM src.project"
                   " WHERE key IN (SELECT value FROM json_each(?))", (json.dumps(list(PACK_PROJECT_KEYS)),))
    for stage, unit_ids in scopes.items():
        target.executemany("INSERT INTO pack_scope (stage, unit_id) VALUES (?, ?)",
                           [(stage, u) for u in sorted(unit_ids)])


def max_id(conn: sqlite3.Connection, table: str) -> int:
    """The largest id in ``units`` or ``events`` (0 when empty)."""
    if table not in ("units", "events"):
        raise ValueError(table)
    return conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
