"""The whole picture of one stage, from the events: which units are screened
there, every reviewer's standing, resolutions and each unit's outcome.

This is the adjudicator's and the counter's view (PRISMA, status, conflicts).
What one reviewer may see of it is cut down by review/screening/queue.py:
never another reviewer's standing before both have decided.

``only`` computes the same picture for a few units (reading only their
events and their ancestors'), so that recording one decision stays cheap in a
project of 100,000 units. In a pack file (``review pack``) the units screened
at each stage are the ones fixed when the pack was written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Collection

from review.db import screening as sdb
from review.protocol import Protocol
from review.screening.state import Outcome, Standing, outcome, standings

PREVIOUS = {"full_text": "title_abstract"}


@dataclass
class StageView:
    stage: str
    units: dict[int, int]                                  # unit screened here -> representative record
    ineligible: dict[int, str]                             # active unit not screened here -> why
    reviewers: dict[int, dict[str, Standing]] = field(default_factory=dict)
    resolutions: dict[int, Standing] = field(default_factory=dict)
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    rule_exclusions: dict[int, Standing] = field(default_factory=dict)   # automation (title_abstract only)

    def with_state(self, state: str) -> list[int]:
        return [u for u, o in self.outcomes.items() if o.state == state]

    def decided_by(self, unit_id: int) -> set[str]:
        """Reviewers with a standing of their own on the unit (a decision, or
        inherited decisions that disagree: they have screened it too)."""
        return {a for a, st in self.reviewers.get(unit_id, {}).items() if st.decided or st.disagreement}


@dataclass(frozen=True)
class _Scope:
    """The units and the events one computation reads."""

    active: dict[int, int]
    parents: dict[int, list[tuple[int, str]]]
    unit_ids: Collection[int] | None          # None: every unit (no filter on events)
    done: set[int]


def _scope(conn: sqlite3.Connection, only: Collection[int] | None) -> _Scope:
    if only is None:
        return _Scope(sdb.active_units(conn), sdb.lineage_above_all(conn), None, sdb.undone(conn))
    active = sdb.active_units(conn, only)
    parents = sdb.lineage_above(conn, active)
    return _Scope(active, parents, sdb.with_ancestors(active, parents), sdb.undone(conn))


def automation_exclusions(conn: sqlite3.Connection, parents: dict, active: dict[int, int],
                          unit_ids: Collection[int] | None = None, done: set[int] | None = None
                          ) -> dict[int, Standing]:
    """unit -> the rule exclusion in force on it (the first rule, if several)."""
    rule_events = sdb.stage_events(conn, "automation", ("rule",), unit_ids=unit_ids)
    if not rule_events:
        return {}
    by_rule = standings(rule_events, sdb.undone(conn) if done is None else done, parents, active,
                        key=lambda e: e.reason or "")
    out = {}
    for u, rules in by_rule.items():
        inforce = [st for st in rules.values() if st.decided]
        if inforce:
            out[u] = min(inforce, key=lambda st: st.event_id or 0)
    return out


def stage_view(conn: sqlite3.Connection, protocol: Protocol, stage: str, *,
               allow_rule_excluded: bool = False, only: Collection[int] | None = None) -> StageView:
    """Every active unit's standing at ``stage`` (or only of the units ``only``).

    Title/abstract screens every active unit except those a rule excluded
    (unless an adjudicator resolved them at this stage, or ``allow_rule_excluded``);
    full text screens the units included at title/abstract.
    """
    return _stage_view(conn, protocol, stage, allow_rule_excluded, _scope(conn, only))


def _stage_view(conn: sqlite3.Connection, protocol: Protocol, stage: str, allow_rule_excluded: bool,
                sc: _Scope) -> StageView:
    active, parents = sc.active, sc.parents
    evs = sdb.stage_events(conn, stage, ("decision", "resolution"), unit_ids=sc.unit_ids)
    reviewers = set(protocol.people.reviewers)
    decided = standings([e for e in evs if e.kind == "decision"], sc.done, parents, active)
    resolved = standings([e for e in evs if e.kind == "resolution"], sc.done, parents, active)
    resolutions = {u: _latest(list(r.values())) for u, r in resolved.items()}
    ineligible: dict[int, str] = {}
    rule_ex: dict[int, Standing] = {}
    pack = sdb.pack_info(conn)
    if pack is not None:
        fixed = sdb.scope(conn, stage)
        for u in active:
            if u not in fixed:
                ineligible[u] = f"not in this pack's {stage} list (packed {pack['packed_at'][:10]})"
    elif stage == "title_abstract":
        rule_ex = automation_exclusions(conn, parents, active, sc.unit_ids, sc.done)
        if not allow_rule_excluded:
            for u, st in rule_ex.items():
                if u not in resolutions:
                    ineligible[u] = f"excluded by rule {st.reason}"
    elif stage in PREVIOUS:
        before = _stage_view(conn, protocol, PREVIOUS[stage], False, sc)
        for u in active:
            o = before.outcomes.get(u)
            if u in before.ineligible:
                ineligible[u] = before.ineligible[u]
            elif o is None or o.state != "include":
                state = o.state if o else "pending"
                ineligible[u] = f"not included at {before.stage} ({state})"
    screened = {u: r for u, r in active.items() if u not in ineligible}
    view = StageView(stage, screened, ineligible, rule_exclusions=rule_ex)
    required = protocol.screening.reviewers_per_record
    for u in screened:
        mine = {a: st for a, st in decided.get(u, {}).items() if a in reviewers}
        view.reviewers[u] = mine
        res = resolutions.get(u)
        if res is not None:
            view.resolutions[u] = res
        view.outcomes[u] = outcome(mine, res, required)
    return view


def _latest(sts: list[Standing]) -> Standing:
    """The latest of several adjudicators' resolutions (a disagreement is kept as one)."""
    return max(sts, key=lambda s: (s.ts, s.uid))
