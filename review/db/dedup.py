"""Deduplication tables (schema: m0003, m0004): runs, judged pairs, people's
decisions on pairs, and the current duplicate groups (``record_groups``).

SQL only; the logic (scoring, clustering, undo rules) is review/dedup/. The
decisions table is append-only; ``record_groups`` is derived state, rewritten
whole on every regrouping together with the screening units.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Iterable, Sequence

from review.clock import now
from review.db import chain


# ------------------------------------------------------------------ runs
def start_run(conn: sqlite3.Connection, started: str, actor: str, version: str, records: int,
              candidates: int, compared: int) -> int:
    return conn.execute(
        "INSERT INTO dedup_runs (started_at, actor, tool_version, records, candidates, compared)"
        " VALUES (?, ?, ?, ?, ?, ?)", (started, actor, version, records, candidates, compared)).lastrowid


def finish_run(conn: sqlite3.Connection, run_id: int, certain: int, possible: int, groups: int) -> None:
    conn.execute("UPDATE dedup_runs SET finished_at = ?, certain = ?, possible = ?, groups = ? WHERE id = ?",
                 (now(), certain, possible, groups, run_id))


def latest_run(conn: sqlite3.Connection) -> int | None:
    row = conn.execute("SELECT max(id) FROM dedup_runs").fetchone()
    return row[0] if row else None


def count_runs(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM dedup_runs").fetchone()[0]


# ----------------------------------------------------------------- pairs
def insert_pairs(conn: sqlite3.Connection, run_id: int, rows: Iterable[tuple]) -> None:
    """rows: (record_a, record_b, tier, rule, score, merged, refused, reasons, comparison)."""
    conn.executemany(
        "INSERT INTO dedup_pairs (run_id, record_a, record_b, tier, rule, score, merged, refused,"
        " reasons, comparison) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(run_id, a, b, tier, rule, score, merged, refused, json.dumps(reasons, ensure_ascii=False),
          json.dumps(comparison, ensure_ascii=False))
         for a, b, tier, rule, score, merged, refused, reasons, comparison in rows])


def pair_dict(r: sqlite3.Row) -> dict:
    """A dedup_pairs row as a plain dict with decoded JSON."""
    return {
        "pair_id": r["id"], "record_a": r["record_a"], "record_b": r["record_b"], "tier": r["tier"],
        "rule": r["rule"], "score": r["score"], "reasons": json.loads(r["reasons"]),
        "comparison": json.loads(r["comparison"]), "refused": r["refused"], "merged": bool(r["merged"]),
    }


def get_pair(conn: sqlite3.Connection, pair_id: int) -> dict | None:
    r = conn.execute("SELECT * FROM dedup_pairs WHERE id = ?", (pair_id,)).fetchone()
    return pair_dict(r) if r else None


def run_pairs(conn: sqlite3.Connection, run_id: int, tier: str | None = None, *,
              by_records: bool = False) -> list[dict]:
    """The pairs a run judged (of one tier), best first (ties by record ids
    with ``by_records``, else in the order the run stored them)."""
    sql = "SELECT * FROM dedup_pairs WHERE run_id = ?" + (" AND tier = ?" if tier else "")
    params = (run_id, tier) if tier else (run_id,)
    order = "score DESC, record_a, record_b" if by_records else "score DESC, id"
    return [pair_dict(r) for r in conn.execute(f"{sql} ORDER BY {order}", params)]


def pairs_touching(conn: sqlite3.Connection, run_id: int, record_ids: Sequence[int]) -> list[dict]:
    """The pairs of a run with at least one record among ``record_ids``."""
    marks = ",".join("?" * len(record_ids))
    return [pair_dict(r) for r in conn.execute(
        f"SELECT * FROM dedup_pairs WHERE run_id = ? AND (record_a IN ({marks}) OR record_b IN ({marks}))"
        " ORDER BY id", (run_id, *record_ids, *record_ids))]


# ------------------------------------------------------------- decisions
def decision_rows(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every decision row (merge, keep, undo) in the order made."""
    return conn.execute("SELECT * FROM dedup_decisions ORDER BY id").fetchall()


def undone_decisions(conn: sqlite3.Connection) -> set[int]:
    return {r[0] for r in conn.execute("SELECT supersedes FROM dedup_decisions WHERE decision = 'undo'")}


def decision(conn: sqlite3.Connection, decision_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM dedup_decisions WHERE id = ?", (decision_id,)).fetchone()


def decision_in_force(conn: sqlite3.Connection, a: int, b: int) -> sqlite3.Row | None:
    """The latest not-undone merge/keep row on records a < b, or None."""
    return conn.execute(
        "SELECT * FROM dedup_decisions d WHERE record_a = ? AND record_b = ? AND decision != 'undo'"
        " AND NOT EXISTS (SELECT 1 FROM dedup_decisions u WHERE u.decision = 'undo' AND u.supersedes = d.id)"
        " ORDER BY id DESC LIMIT 1", (a, b)).fetchone()


def decisions_in_force_by(conn: sqlite3.Connection, actor: str) -> list[sqlite3.Row]:
    """An actor's merge/keep rows not undone, latest first."""
    undone = undone_decisions(conn)
    return [r for r in conn.execute(
        "SELECT * FROM dedup_decisions WHERE decision != 'undo' AND actor = ? ORDER BY id DESC", (actor,))
        if r["id"] not in undone]


def batch_in_force(conn: sqlite3.Connection, batch: int) -> list[sqlite3.Row]:
    undone = undone_decisions(conn)
    return [r for r in conn.execute(
        "SELECT * FROM dedup_decisions WHERE batch = ? AND decision != 'undo' ORDER BY id", (batch,))
        if r["id"] not in undone]


def next_batch(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT coalesce(max(batch), 0) + 1 FROM dedup_decisions").fetchone()[0]


def insert_decision(conn: sqlite3.Connection, actor: str, a: int, b: int, decision: str, *,
                    pair_id: int | None = None, note: str | None = None, batch: int | None = None,
                    supersedes: int | None = None, ts: str | None = None) -> int:
    """Append one decision row, hash-chained (review/db/chain.py)."""
    (rid, _), = chain.append(conn, "dedup_decisions", [{
        "ts": ts or now(), "actor": actor, "record_a": a, "record_b": b, "decision": decision,
        "pair_id": pair_id, "supersedes": supersedes, "note": note, "batch": batch}])
    return rid


# ---------------------------------------------------------------- groups
def write_groups(conn: sqlite3.Connection, rows: Iterable[tuple[int, int]]) -> None:
    """Replace record_groups with (record_id, group_id) rows."""
    conn.execute("DELETE FROM record_groups")
    conn.executemany("INSERT INTO record_groups (record_id, group_id) VALUES (?, ?)", rows)


def group_map(conn: sqlite3.Connection) -> dict[int, int]:
    """record id -> group id, for grouped records only."""
    return dict(conn.execute("SELECT record_id, group_id FROM record_groups").fetchall())


def group_of(conn: sqlite3.Connection, record_id: int) -> int:
    row = conn.execute("SELECT group_id FROM record_groups WHERE record_id = ?", (record_id,)).fetchone()
    return row[0] if row else record_id


def group_members(conn: sqlite3.Connection, group_id: int) -> list[int]:
    """Members of a group, smallest first ([] when the group has one record)."""
    return [r[0] for r in conn.execute(
        "SELECT record_id FROM record_groups WHERE group_id = ? ORDER BY record_id", (group_id,))]


def count_grouped(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM record_groups").fetchone()[0]


def count_groups(conn: sqlite3.Connection) -> int:
    """Unique records: groups of one or more records."""
    return conn.execute(
        "SELECT COUNT(*) FROM (SELECT COALESCE(g.group_id, r.id) FROM records r"
        " LEFT JOIN record_groups g ON g.record_id = r.id GROUP BY 1)").fetchone()[0]
