"""What an adjudicator sees: the conflicts to resolve (both reviewers'
decisions, reasons and notes side by side), the units only one reviewer has
decided, and closing a stage once none of either remain.

A conflict is a unit screened at the stage whose outcome is ``conflict`` and
that nobody resolved: the reviewers decided differently; or both said
'maybe' (a 'maybe' never includes: include + maybe and maybe + maybe come
here); or a reviewer's decisions on copies that deduplication later merged
differ (``disagreement``: the differing decisions are listed).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from review.db import screening as sdb
from review.db import transaction
from review.errors import BadInput
from review.protocol import Protocol
from review.screening.decisions import require_role, require_stage
from review.screening.tally import Tally, tally
from review.screening.view import stage_view


def _stages(protocol: Protocol, stage: str | None) -> tuple[str, ...]:
    if stage is None:
        return protocol.screening.stages
    require_stage(protocol, stage)
    return (stage,)


def conflicts(conn: sqlite3.Connection, protocol: Protocol, adjudicator: str, stage: str | None = None,
              *, titles: bool = True) -> list[dict]:
    """``review conflicts --json``: ``{"id", "stage", "decisions": {REVIEWER:
    {"decision", "reason", "note", ...}}, "why", "unit", "title"}`` per conflict."""
    require_role(protocol, adjudicator, "adjudicator")
    out = []
    for s in _stages(protocol, stage):
        t = tally(conn, protocol, s)
        units = [u for u, state in t.states.items() if state == "conflict"]
        view = stage_view(conn, protocol, s, only=units)
        names = _titles(conn, units) if titles else {}
        notes = _notes(conn, s, units)
        for u in sorted(units, key=lambda u: view.units[u]):
            ds = {}
            for r in protocol.people.reviewers:
                st = view.reviewers.get(u, {}).get(r)
                if st is None:
                    continue
                ds[r] = {"decision": st.decision, "reason": st.reason, "note": st.note, "at": st.ts or None,
                         "inherited": st.inherited, "second_look": st.second_look,
                         "disagreement": list(st.disagreement) or None, "notes": notes.get((u, r), [])}
            out.append({"id": view.units[u], "stage": s, "unit": u, "why": view.outcomes[u].why,
                        "title": names.get(u, ""), "decisions": ds})
    return out


def one_reviewer(conn: sqlite3.Connection, protocol: Protocol, adjudicator: str, stage: str | None = None
                 ) -> list[dict]:
    """Units only some of the required reviewers have decided (who has, who
    has not; not what): a stage cannot be closed while any remain."""
    require_role(protocol, adjudicator, "adjudicator")
    out = []
    for s in _stages(protocol, stage):
        t = tally(conn, protocol, s)
        units = [u for u, state in t.states.items() if state == "pending" and t.screened_by(u)]
        names = _titles(conn, units)
        for u in sorted(units, key=lambda u: t.units[u]):
            by = t.screened_by(u)
            out.append({"id": t.units[u], "stage": s, "unit": u, "title": names.get(u, ""),
                        "decided_by": [r for r in protocol.people.reviewers if r in by],
                        "waiting_for": [r for r in protocol.people.reviewers if r not in by]})
    return out


def _notes(conn: sqlite3.Connection, stage: str, units: list[int]) -> dict[tuple[int, str], list[str]]:
    """(unit, reviewer) -> the reviewer's notes written on their own (not with a
    decision) on the unit or the units it was made from."""
    parents = sdb.lineage_above(conn, units)
    done = sdb.undone(conn)
    heirs: dict[int, set[int]] = {}
    for u in units:
        todo = [u]
        while todo:
            v = todo.pop()
            if u not in heirs.setdefault(v, set()):
                heirs[v].add(u)
                todo += [p for p, _ in parents.get(v, ())]
    out: dict[tuple[int, str], list[str]] = {}
    for e in sdb.stage_events(conn, stage, ("note",), unit_ids=list(heirs)):
        if e.id not in done:
            for u in heirs[e.unit_id]:
                out.setdefault((u, e.actor), []).append(e.note)
    return out


def _titles(conn: sqlite3.Connection, units: list[int]) -> dict[int, str]:
    recs = sdb.unit_records(conn, units)
    return {u: (rows[0]["title"] if rows else "") for u, rows in recs.items()}


# ------------------------------------------------------------------ closing a stage
@dataclass(frozen=True)
class Blockers:
    undecided: int        # no reviewer decided yet
    one_reviewer: int     # some but not all required reviewers decided
    conflicts: int

    @property
    def any(self) -> bool:
        return bool(self.undecided or self.one_reviewer or self.conflicts)

    def text(self) -> str:
        parts = [f"{self.undecided} undecided", f"{self.one_reviewer} decided by one reviewer only",
                 f"{self.conflicts} conflicts"]
        return ", ".join(p for p, n in zip(parts, (self.undecided, self.one_reviewer, self.conflicts)) if n)


def blockers(t: Tally) -> Blockers:
    pending = [u for u, state in t.states.items() if state == "pending"]
    some = sum(1 for u in pending if t.screened_by(u))
    return Blockers(len(pending) - some, some, sum(1 for state in t.states.values() if state == "conflict"))


def close_stage(conn: sqlite3.Connection, protocol: Protocol, stage: str, adjudicator: str) -> dict:
    """Close a stage: refused while any unit is undecided, decided by one
    reviewer only, or in conflict. Once closed, nothing more is decided,
    resolved or undone there (and no pack decisions merged) until reopened."""
    require_role(protocol, adjudicator, "adjudicator")
    require_stage(protocol, stage)
    if sdb.pack_info(conn) is not None:
        raise BadInput("a pack file is not closed: merge it into the project ('review merge FILE')")
    with transaction(conn):
        current = sdb.closures(conn).get(stage)
        if current is not None and current["action"] == "close":
            raise BadInput(f"{stage} is already closed (by {current['actor']} on {current['ts'][:10]})")
        t = tally(conn, protocol, stage)
        b = blockers(t)
        if b.any:
            raise BadInput(f"{stage} cannot be closed yet: {b.text()} "
                           f"('review conflicts --adjudicator {adjudicator} --stage {stage}' lists them)")
        counts: dict[str, int] = {}
        for state in t.states.values():
            counts[state] = counts.get(state, 0) + 1
        details = {"units": len(t.units), "outcomes": counts}
        sdb.add_closure(conn, adjudicator, stage, "close", details)
    return {"stage": stage, "closed": True, **details}


def reopen_stage(conn: sqlite3.Connection, protocol: Protocol, stage: str, adjudicator: str,
                 reason: str | None = None) -> dict:
    require_role(protocol, adjudicator, "adjudicator")
    require_stage(protocol, stage)
    with transaction(conn):
        current = sdb.closures(conn).get(stage)
        if current is None or current["action"] != "close":
            raise BadInput(f"{stage} is not closed")
        sdb.add_closure(conn, adjudicator, stage, "reopen", {"reason": reason or ""})
    return {"stage": stage, "closed": False}
