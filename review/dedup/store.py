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
from review.db import audit, transaction, units
from review.db.records import iter_records
from review.dedup.cluster import build_groups
from review.dedup.engine import cluster, find_duplicates
from review.dedup.normalise import norm_doi, norm_id
from review.dedup.tiers import CERTAIN, POSSIBLE
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
    """Replace record_groups with these groups and bring the screening units in
    line (review/db/units.py: ids kept, decisions carried over merges and splits)."""
    members: dict[int, list[int]] = {}
    for rid, lab in zip(ids, labels):
        members.setdefault(ids[lab], []).append(rid)
    conn.execute("DELETE FROM record_groups")
    rows = [(rid, min(m)) for m in members.values() if len(m) > 1 for rid in m]
    conn.executemany("INSERT INTO record_groups (record_id, group_id) VALUES (?, ?)", rows)
    units.sync(conn)
    multi = [m for m in members.values() if len(m) > 1]
    return len(multi), sum(len(m) - 1 for m in multi)


def run(conn: sqlite3.Connection, actor: str) -> RunSummary:
    """Deduplicate all records of the project, respecting human decisions.

    The expensive scoring works on a snapshot read before the write lock is
    taken; inside the write transaction the human decisions are read again and
    the judged pairs re-clustered, so a decision committed while the scoring
    ran is never overridden. Records added meanwhile are not in the snapshot:
    they stay ungrouped until the next run.
    """
    pairs_ids = list(iter_records(conn))
    ids = [rid for rid, _ in pairs_ids]
    pos = {rid: k for k, rid in enumerate(ids)}

    def current_decisions() -> tuple[dict[tuple[int, int], str], bool]:
        eff = effective_decisions(conn)
        late = any(a not in pos or b not in pos for a, b in eff)
        return {(pos[a], pos[b]): d for (a, b), d in eff.items() if a in pos and b in pos}, late

    started = now()
    res = find_duplicates([r for _, r in pairs_ids], current_decisions()[0])
    with transaction(conn):
        # Under the write lock nothing can change the decisions any more: re-read
        # them and re-cluster the judged pairs if a person decided meanwhile.
        decisions, late = current_decisions()
        if decisions != res.human:
            res = cluster(res, decisions)
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
        if late:  # a decision names a record added after the snapshot: group from the database
            ngroups, ndup = regroup(conn)
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
    return decide_pair(conn, pair_id, decision, actor, note)["decision_id"]


def decide_pair(conn: sqlite3.Connection, pair_id: int, decision: str, actor: str,
                note: str | None = None) -> dict:
    """Like ``decide`` but returns ``{"decision_id", "replaced"}``: ``replaced`` is the
    decision in force on the pair when the write lock was taken (someone else's,
    made since the pair was shown) or None."""
    if decision not in ("merge", "keep"):
        raise BadInput(f"decision must be 'merge' or 'keep', not {decision!r}")
    pair = get_pair(conn, pair_id)
    return _decide(conn, pair["record_a"], pair["record_b"], decision, actor, pair_id=pair_id, note=note)


def decide_records(conn: sqlite3.Connection, a: int, b: int, decision: str, actor: str,
                   pair_id: int | None = None, note: str | None = None) -> int:
    """Record a decision on two records (any order) and regroup."""
    return _decide(conn, a, b, decision, actor, pair_id=pair_id, note=note)["decision_id"]


def decision_in_force(conn: sqlite3.Connection, a: int, b: int) -> sqlite3.Row | None:
    """The latest not-undone merge/keep row on records a < b, or None."""
    return conn.execute(
        "SELECT * FROM dedup_decisions d WHERE record_a = ? AND record_b = ? AND decision != 'undo'"
        " AND NOT EXISTS (SELECT 1 FROM dedup_decisions u WHERE u.decision = 'undo' AND u.supersedes = d.id)"
        " ORDER BY id DESC LIMIT 1", (a, b)).fetchone()


def _decide(conn: sqlite3.Connection, a: int, b: int, decision: str, actor: str, *,
            pair_id: int | None = None, note: str | None = None, audit_it: bool = True,
            batch: int | None = None) -> dict:
    a, b = min(a, b), max(a, b)
    if a == b:
        raise BadInput(f"record {a}: a record cannot be paired with itself")
    for rid in (a, b):
        if conn.execute("SELECT 1 FROM records WHERE id = ?", (rid,)).fetchone() is None:
            raise BadInput(f"no record {rid}")
    with transaction(conn):
        prev = decision_in_force(conn, a, b)
        replaced = None if prev is None else {
            "decision_id": prev["id"], "decision": prev["decision"], "actor": prev["actor"], "ts": prev["ts"]}
        did = conn.execute(
            "INSERT INTO dedup_decisions (ts, actor, record_a, record_b, decision, pair_id, note, batch)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (now(), actor, a, b, decision, pair_id, note, batch),
        ).lastrowid
        if audit_it:
            regroup(conn)
            audit.log(conn, actor, f"dedup.{decision}", f"records:{a},{b}",
                      {"decision_id": did, "pair_id": pair_id, "replaced": replaced})
    return {"decision_id": did, "replaced": replaced, "record_a": a, "record_b": b}


def _batch_of(row: sqlite3.Row) -> int | None:
    """The batch of decisions made together (a split) that ``row`` belongs to."""
    return row["batch"] if row["decision"] != "undo" else None


def undo(conn: sqlite3.Connection, actor: str, decision_id: int | None = None) -> dict:
    """Retract a person's decision (default: their latest one still in force) and regroup.

    A decision that is part of a split (``split``) retracts the whole split.
    The target is chosen and checked under the write lock, so two concurrent
    undos of one decision cannot both succeed.
    """
    with transaction(conn):
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
        batch = _batch_of(target)
        targets = [target]
        if batch is not None:
            targets = [r for r in conn.execute(
                "SELECT * FROM dedup_decisions WHERE batch = ? AND decision != 'undo' ORDER BY id", (batch,))
                if r["id"] not in undone]
        ts = now()
        uids = [conn.execute(
            "INSERT INTO dedup_decisions (ts, actor, record_a, record_b, decision, pair_id, supersedes, note)"
            " VALUES (?, ?, ?, ?, 'undo', ?, ?, ?)",
            (ts, actor, t["record_a"], t["record_b"], t["pair_id"], t["id"],
             None if batch is None else f"undo of split {batch}"),
        ).lastrowid for t in targets]
        regroup(conn)
        detail = {"undo_id": uids[0], "undid": target["id"], "decision": target["decision"]}
        if batch is not None:
            detail.update(batch=batch, undo_ids=uids, undid_all=[t["id"] for t in targets])
        audit.log(conn, actor, "dedup.undo",
                  ";".join(f"records:{t['record_a']},{t['record_b']}" for t in targets), detail)
    return {"undo_id": uids[0], "undid": target["id"], "decision": target["decision"],
            "record_a": target["record_a"], "record_b": target["record_b"], "pair_id": target["pair_id"],
            "batch": batch, "undid_all": [t["id"] for t in targets],
            "pairs": [[t["record_a"], t["record_b"]] for t in targets]}


def split(conn: sqlite3.Connection, record_id: int, actor: str) -> list[int]:
    """Undo an automatic merge: keep ``record_id`` apart from every other member of its group.

    One transaction, one audit entry, and one undoable unit: the 'keep'
    decisions it records share a batch id, and ``undo`` retracts them together.
    """
    with transaction(conn):
        gid = group_of(conn, record_id)
        others = [r[0] for r in conn.execute(
            "SELECT record_id FROM record_groups WHERE group_id = ? AND record_id != ? ORDER BY record_id",
            (gid, record_id))]
        if not others:
            raise BadInput(f"record {record_id} is not grouped with any other record")
        batch = conn.execute("SELECT coalesce(max(batch), 0) + 1 FROM dedup_decisions").fetchone()[0]
        note = f"split record {record_id} from group {gid}"
        ids = []
        for o in others:
            ids.append(_decide(conn, record_id, o, "keep", actor, note=note, audit_it=False,
                               batch=batch)["decision_id"])
        regroup(conn)
        audit.log(conn, actor, "dedup.split", f"record:{record_id}",
                  {"group": gid, "kept_apart_from": others, "decision_ids": ids, "batch": batch})
    return others
