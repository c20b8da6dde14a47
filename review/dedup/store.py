"""Deduplication of the project database: runs, pairs, human decisions, groups.

The only module that changes ``dedup_runs``, ``dedup_pairs``, ``dedup_decisions``
and ``record_groups`` (through the SQL of review/db/dedup.py). Records are never deleted: ``record_groups`` maps each
duplicate to its group (group_id = the smallest record id of the group).
Human decisions are append-only rows; an undo is a new row that retracts an
earlier one. Every run, decision and undo is written to the audit log.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from review import __version__
from review.clock import now
from review.db import audit, transaction, units
from review.db import dedup as ddb
from review.db.records import identifiers, iter_records, record_exists
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
    undone = ddb.undone_decisions(conn)
    out: dict[tuple[int, int], str] = {}
    for r in ddb.decision_rows(conn):
        if r["decision"] != "undo" and r["id"] not in undone:
            out[(r["record_a"], r["record_b"])] = r["decision"]
    return out


latest_run = ddb.latest_run
group_of = ddb.group_of


def _write_groups(conn: sqlite3.Connection, ids: list[int], labels: list[int]) -> tuple[int, int]:
    """Replace record_groups with these groups and bring the screening units in
    line (review/db/units.py: ids kept, decisions carried over merges and splits)."""
    members: dict[int, list[int]] = {}
    for rid, lab in zip(ids, labels):
        members.setdefault(ids[lab], []).append(rid)
    ddb.write_groups(conn, [(rid, min(m)) for m in members.values() if len(m) > 1 for rid in m])
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
        run_id = ddb.start_run(conn, started, actor, __version__, len(ids), res.candidates, res.compared)
        ddb.insert_pairs(conn, run_id, [
            (ids[p.i], ids[p.j], p.verdict.tier, p.verdict.rule, p.verdict.score, int(p.merged), p.refused,
             list(p.verdict.reasons), p.comparison.as_dict())
            for p in res.pairs])
        ngroups, ndup = _write_groups(conn, ids, res.labels)
        if late:  # a decision names a record added after the snapshot: group from the database
            ngroups, ndup = regroup(conn)
        certain = sum(1 for p in res.pairs if p.verdict.tier == CERTAIN)
        possible = len(res.possible())
        ddb.finish_run(conn, run_id, certain, possible, ngroups)
        audit.log(conn, actor, "dedup.run", f"run:{run_id}",
                  {"records": len(ids), "certain": certain, "possible": possible,
                   "groups": ngroups, "duplicates": ndup, "decisions_applied": len(decisions)})
    return RunSummary(run_id, len(ids), res.candidates, certain, possible, ngroups, ndup)


def regroup(conn: sqlite3.Connection) -> tuple[int, int]:
    """Recompute record_groups from the latest run's certain pairs and current decisions
    (no rescoring). Call inside a transaction."""
    rows = identifiers(conn)
    ids = [rid for rid, _, _ in rows]
    pos = {rid: k for k, rid in enumerate(ids)}
    run_id = latest_run(conn)
    judged = ddb.run_pairs(conn, run_id, CERTAIN, by_records=True) if run_id else []
    certain = [(pos[p["record_a"]], pos[p["record_b"]]) for p in judged]
    decisions = {
        (pos[a], pos[b]): d for (a, b), d in effective_decisions(conn).items() if a in pos and b in pos
    }
    groups, _ = build_groups([norm_doi(doi) for _, doi, _ in rows], [norm_id(pmid) for _, _, pmid in rows],
                             certain, decisions)
    return _write_groups(conn, ids, groups.labels())


def open_pairs(conn: sqlite3.Connection) -> list[dict]:
    """Possible pairs of the latest run still waiting for a person, best first."""
    run_id = latest_run(conn)
    if run_id is None:
        return []
    decided = effective_decisions(conn)
    groups = ddb.group_map(conn)
    return [p for p in ddb.run_pairs(conn, run_id, POSSIBLE)
            if (p["record_a"], p["record_b"]) not in decided
            and groups.get(p["record_a"], p["record_a"]) != groups.get(p["record_b"], p["record_b"])]


def get_pair(conn: sqlite3.Connection, pair_id: int) -> dict:
    pair = ddb.get_pair(conn, pair_id)
    if pair is None:
        raise BadInput(f"no pair {pair_id} (see 'review dedup pairs')")
    return pair


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


decision_in_force = ddb.decision_in_force


def _decide(conn: sqlite3.Connection, a: int, b: int, decision: str, actor: str, *,
            pair_id: int | None = None, note: str | None = None, audit_it: bool = True,
            batch: int | None = None) -> dict:
    a, b = min(a, b), max(a, b)
    if a == b:
        raise BadInput(f"record {a}: a record cannot be paired with itself")
    for rid in (a, b):
        if not record_exists(conn, rid):
            raise BadInput(f"no record {rid}")
    with transaction(conn):
        prev = ddb.decision_in_force(conn, a, b)
        replaced = None if prev is None else {
            "decision_id": prev["id"], "decision": prev["decision"], "actor": prev["actor"], "ts": prev["ts"]}
        did = ddb.insert_decision(conn, actor, a, b, decision, pair_id=pair_id, note=note, batch=batch)
        if audit_it:
            regroup(conn)
            audit.log(conn, actor, f"dedup.{decision}", f"records:{a},{b}",
                      {"decision_id": did, "pair_id": pair_id, "replaced": replaced})
    return {"decision_id": did, "replaced": replaced, "record_a": a, "record_b": b}


def undo(conn: sqlite3.Connection, actor: str, decision_id: int | None = None) -> dict:
    """Retract a person's decision (default: their latest one still in force) and regroup.

    A decision that is part of a split (``split``) retracts the whole split.
    The target is chosen and checked under the write lock, so two concurrent
    undos of one decision cannot both succeed.
    """
    with transaction(conn):
        if decision_id is None:
            rows = ddb.decisions_in_force_by(conn, actor)
            if not rows:
                raise BadInput(f"nothing to undo: {actor} has no decision in force")
            target = rows[0]
        else:
            target = ddb.decision(conn, decision_id)
            if target is None or target["decision"] == "undo":
                raise BadInput(f"no decision {decision_id} to undo")
            if target["id"] in ddb.undone_decisions(conn):
                raise BadInput(f"decision {decision_id} was already undone")
        batch = target["batch"]
        targets = [target] if batch is None else ddb.batch_in_force(conn, batch)
        ts = now()
        uids = [ddb.insert_decision(conn, actor, t["record_a"], t["record_b"], "undo", pair_id=t["pair_id"],
                                    supersedes=t["id"], ts=ts,
                                    note=None if batch is None else f"undo of split {batch}")
                for t in targets]
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
        others = [m for m in ddb.group_members(conn, gid) if m != record_id]
        if not others:
            raise BadInput(f"record {record_id} is not grouped with any other record")
        batch = ddb.next_batch(conn)
        note = f"split record {record_id} from group {gid}"
        ids = [_decide(conn, record_id, o, "keep", actor, note=note, audit_it=False, batch=batch)["decision_id"]
               for o in others]
        regroup(conn)
        audit.log(conn, actor, "dedup.split", f"record:{record_id}",
                  {"group": gid, "kept_apart_from": others, "decision_ids": ids, "batch": batch})
    return others
