"""Deduplication of the project database: runs, pairs, human decisions, groups.

The only module that writes ``dedup_runs``, ``dedup_pairs``, ``dedup_decisions``
and ``record_groups``. Records are never deleted: ``record_groups`` maps each
duplicate to its group (group_id = the smallest record id of the group).
Human decisions are append-only rows; an undo is a new row that retracts an
earlier one. Every run, decision and undo is written to the audit log.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from review import __version__
from review.clock import now
from review.db import audit, transaction
from review.db.records import iter_records
from review.dedup.cluster import build_groups
from review.dedup.engine import find_duplicates
from review.dedup.normalise import norm_doi, norm_id
from review.dedup.rules import CERTAIN, POSSIBLE
from review.errors import BadInput


@dataclass(frozen=True)
class RunSummary:
    """What one project dedup run found."""

    run_id: int
    records: int
    candidates: int
    certain: int
    possible_open: int
    groups: int
    duplicates: int


def effective_decisions(conn: sqlite3.Connection) -> dict[tuple[int, int], str]:
    """(record_a, record_b) -> 'merge'|'keep': the latest decision on each pair not undone."""
    undone = {r[0] for r in conn.execute("SELECT supersedes FROM dedup_decisions WHERE decision = 'undo'")}
    out: dict[tuple[int, int], str] = {}
    for r in conn.execute(
        "SELECT id, record_a, record_b, decision FROM dedup_decisions WHERE decision != 'undo' ORDER BY id"
    ):
        if r["id"] not in undone:
            out[(r["record_a"], r["record_b"])] = r["decision"]
    return out


def latest_run(conn: sqlite3.Connection) -> int | None:
    row = conn.execute("SELECT max(id) FROM dedup_runs").fetchone()
    return row[0] if row else None


def _write_groups(conn: sqlite3.Connection, ids: list[int], labels: list[int]) -> tuple[int, int]:
    members: dict[int, list[int]] = {}
    for rid, lab in zip(ids, labels):
        members.setdefault(ids[lab], []).append(rid)
    conn.execute("DELETE FROM record_groups")
    rows = [(rid, min(m)) for m in members.values() if len(m) > 1 for rid in m]
    conn.executemany("INSERT INTO record_groups (record_id, group_id) VALUES (?, ?)", rows)
    multi = [m for m in members.values() if len(m) > 1]
    return len(multi), sum(len(m) - 1 for m in multi)


def run(conn: sqlite3.Connection, actor: str) -> RunSummary:
    """Deduplicate all records of the project, respecting human decisions."""
    pairs_ids = list(iter_records(conn))
    ids = [rid for rid, _ in pairs_ids]
    pos = {rid: k for k, rid in enumerate(ids)}
    decisions = {
        (pos[a], pos[b]): d for (a, b), d in effective_decisions(conn).items() if a in pos and b in pos
    }
    started = now()
    res = find_duplicates([r for _, r in pairs_ids], decisions)
    with transaction(conn):
        run_id = conn.execute(
            "INSERT INTO dedup_runs (started_at, actor, tool_version, records, candidates, compared)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (started, actor, __version__, len(ids), res.candidates, res.compared),
        ).lastrowid
        conn.executemany(
            "INSERT INTO dedup_pairs (run_id, record_a, record_b, tier, rule, score, merged, refused,"
            " reasons, comparison) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (run_id, ids[p.i], ids[p.j], p.verdict.tier, p.verdict.rule, p.verdict.score, int(p.merged),
                 p.refused, json.dumps(list(p.verdict.reasons), ensure_ascii=False),
                 json.dumps(p.comparison.as_dict(), ensure_ascii=False))
                for p in res.pairs
            ],
        )
        ngroups, ndup = _write_groups(conn, ids, res.labels)
        certain = sum(1 for p in res.pairs if p.verdict.tier == CERTAIN)
        possible = len(res.possible())
        conn.execute(
            "UPDATE dedup_runs SET finished_at = ?, certain = ?, possible = ?, groups = ? WHERE id = ?",
            (now(), certain, possible, ngroups, run_id),
        )
        audit.log(conn, actor, "dedup.run", f"run:{run_id}",
                  {"records": len(ids), "certain": certain, "possible": possible,
                   "groups": ngroups, "duplicates": ndup, "decisions_applied": len(decisions)})
    return RunSummary(run_id, len(ids), res.candidates, certain, possible, ngroups, ndup)


def regroup(conn: sqlite3.Connection) -> tuple[int, int]:
    """Recompute record_groups from the latest run's certain pairs and current decisions
    (no rescoring). Call inside a transaction."""
    rows = conn.execute("SELECT id, doi, pmid FROM records ORDER BY id").fetchall()
    ids = [r["id"] for r in rows]
    pos = {rid: k for k, rid in enumerate(ids)}
    run_id = latest_run(conn)
    certain = [
        (pos[r["record_a"]], pos[r["record_b"]])
        for r in conn.execute(
            "SELECT record_a, record_b FROM dedup_pairs WHERE run_id = ? AND tier = 'certain'"
            " ORDER BY score DESC, record_a, record_b", (run_id,))
    ] if run_id else []
    decisions = {
        (pos[a], pos[b]): d for (a, b), d in effective_decisions(conn).items() if a in pos and b in pos
    }
    groups, _ = build_groups([norm_doi(r["doi"]) for r in rows], [norm_id(r["pmid"]) for r in rows],
                             certain, decisions)
    return _write_groups(conn, ids, groups.labels())


def group_of(conn: sqlite3.Connection, record_id: int) -> int:
    row = conn.execute("SELECT group_id FROM record_groups WHERE record_id = ?", (record_id,)).fetchone()
    return row[0] if row else record_id


def open_pairs(conn: sqlite3.Connection) -> list[dict]:
    """Possible pairs of the latest run still waiting for a person, best first."""
    run_id = latest_run(conn)
    if run_id is None:
        return []
    decided = effective_decisions(conn)
    groups = dict(conn.execute("SELECT record_id, group_id FROM record_groups").fetchall())
    out = []
    for r in conn.execute(
        "SELECT * FROM dedup_pairs WHERE run_id = ? AND tier = ? ORDER BY score DESC, id", (run_id, POSSIBLE)
    ):
        a, b = r["record_a"], r["record_b"]
        if (a, b) in decided or groups.get(a, a) == groups.get(b, b):
            continue
        out.append(pair_dict(r))
    return out


def pair_dict(r: sqlite3.Row) -> dict:
    """A dedup_pairs row as a plain dict with decoded JSON."""
    return {
        "pair_id": r["id"], "record_a": r["record_a"], "record_b": r["record_b"], "tier": r["tier"],
        "rule": r["rule"], "score": r["score"], "reasons": json.loads(r["reasons"]),
        "comparison": json.loads(r["comparison"]),
    }


def get_pair(conn: sqlite3.Connection, pair_id: int) -> dict:
    r = conn.execute("SELECT * FROM dedup_pairs WHERE id = ?", (pair_id,)).fetchone()
    if r is None:
        raise BadInput(f"no pair {pair_id} (see 'review dedup pairs')")
    return pair_dict(r)


def decide(conn: sqlite3.Connection, pair_id: int, decision: str, actor: str, note: str | None = None) -> int:
    """Record a person's 'merge' or 'keep' on a pair and regroup; returns the decision id."""
    if decision not in ("merge", "keep"):
        raise BadInput(f"decision must be 'merge' or 'keep', not {decision!r}")
    pair = get_pair(conn, pair_id)
    return decide_records(conn, pair["record_a"], pair["record_b"], decision, actor, pair_id=pair_id, note=note)


def decide_records(conn: sqlite3.Connection, a: int, b: int, decision: str, actor: str,
                   pair_id: int | None = None, note: str | None = None) -> int:
    """Record a decision on two records (any order) and regroup."""
    a, b = min(a, b), max(a, b)
    if a == b:
        raise BadInput(f"record {a}: a record cannot be paired with itself")
    for rid in (a, b):
        if conn.execute("SELECT 1 FROM records WHERE id = ?", (rid,)).fetchone() is None:
            raise BadInput(f"no record {rid}")
    with transaction(conn):
        did = conn.execute(
            "INSERT INTO dedup_decisions (ts, actor, record_a, record_b, decision, pair_id, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", (now(), actor, a, b, decision, pair_id, note),
        ).lastrowid
        regroup(conn)
        audit.log(conn, actor, f"dedup.{decision}", f"records:{a},{b}", {"decision_id": did, "pair_id": pair_id})
    return did


def undo(conn: sqlite3.Connection, actor: str, decision_id: int | None = None) -> dict:
    """Retract a person's decision (default: their latest one still in force) and regroup."""
    undone = {r[0] for r in conn.execute("SELECT supersedes FROM dedup_decisions WHERE decision = 'undo'")}
    if decision_id is None:
        rows = conn.execute(
            "SELECT * FROM dedup_decisions WHERE decision != 'undo' AND actor = ? ORDER BY id DESC", (actor,)
        ).fetchall()
        rows = [r for r in rows if r["id"] not in undone]
        if not rows:
            raise BadInput(f"nothing to undo: {actor} has no decision in force")
        target = rows[0]
    else:
        target = conn.execute("SELECT * FROM dedup_decisions WHERE id = ?", (decision_id,)).fetchone()
        if target is None or target["decision"] == "undo":
            raise BadInput(f"no decision {decision_id} to undo")
        if target["id"] in undone:
            raise BadInput(f"decision {decision_id} was already undone")
    with transaction(conn):
        uid = conn.execute(
            "INSERT INTO dedup_decisions (ts, actor, record_a, record_b, decision, pair_id, supersedes)"
            " VALUES (?, ?, ?, ?, 'undo', ?, ?)",
            (now(), actor, target["record_a"], target["record_b"], target["pair_id"], target["id"]),
        ).lastrowid
        regroup(conn)
        audit.log(conn, actor, "dedup.undo", f"records:{target['record_a']},{target['record_b']}",
                  {"undo_id": uid, "undid": target["id"], "decision": target["decision"]})
    return {"undo_id": uid, "undid": target["id"], "decision": target["decision"],
            "record_a": target["record_a"], "record_b": target["record_b"], "pair_id": target["pair_id"]}


def split(conn: sqlite3.Connection, record_id: int, actor: str) -> list[int]:
    """Undo an automatic merge: keep ``record_id`` apart from every other member of its group."""
    gid = group_of(conn, record_id)
    others = [r[0] for r in conn.execute(
        "SELECT record_id FROM record_groups WHERE group_id = ? AND record_id != ?", (gid, record_id))]
    if not others:
        raise BadInput(f"record {record_id} is not grouped with any other record")
    with transaction(conn):
        for o in others:
            decide_records(conn, record_id, o, "keep", actor, note="split from group")
    return others
