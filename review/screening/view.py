"""The whole picture of one stage, from the events: which units are screened
there, every reviewer's standing, resolutions and each unit's outcome.

This is the adjudicator's and the counter's view (PRISMA, status, conflicts).
What one reviewer may see of it is cut down by review/screening/queue.py:
never another reviewer's standing before both have decided.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from review.db import events as ev
from review.db import units
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


def automation_exclusions(conn: sqlite3.Connection, parents: dict, active: dict[int, int]) -> dict[int, Standing]:
    """unit -> the rule exclusion in force on it (the first rule, if several)."""
    rule_events = ev.events(conn, stage="automation", kinds=("rule",))
    if not rule_events:
        return {}
    by_rule = standings(rule_events, ev.undone(conn), parents, active, key=lambda e: e.reason or "")
    out = {}
    for u, rules in by_rule.items():
        inforce = [st for st in rules.values() if st.decided]
        if inforce:
            out[u] = min(inforce, key=lambda st: st.event_id or 0)
    return out


def stage_view(conn: sqlite3.Connection, protocol: Protocol, stage: str, *,
               allow_rule_excluded: bool = False) -> StageView:
    """Every active unit's standing at ``stage``.

    Title/abstract screens every active unit except those a rule excluded
    (unless an adjudicator resolved them at this stage, or ``allow_rule_excluded``);
    full text screens the units included at title/abstract.
    """
    active = units.active_units(conn)
    parents = units.parents(conn)
    done = ev.undone(conn)
    evs = ev.events(conn, stage=stage, kinds=("decision", "resolution"))
    reviewers = set(protocol.people.reviewers)
    decided = standings([e for e in evs if e.kind == "decision"], done, parents, active)
    resolved = standings([e for e in evs if e.kind == "resolution"], done, parents, active)
    resolutions = {u: _latest(list(r.values())) for u, r in resolved.items()}
    ineligible: dict[int, str] = {}
    rule_ex: dict[int, Standing] = {}
    if stage == "title_abstract":
        rule_ex = automation_exclusions(conn, parents, active)
        if not allow_rule_excluded:
            for u, st in rule_ex.items():
                if u not in resolutions:
                    ineligible[u] = f"excluded by rule {st.reason}"
    elif stage in PREVIOUS:
        before = stage_view(conn, protocol, PREVIOUS[stage])
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
        if u in resolutions:
            view.resolutions[u] = resolutions[u]
        view.outcomes[u] = outcome(mine, resolutions.get(u), required)
    return view


def _latest(sts: list[Standing]) -> Standing:
    """The latest of several adjudicators' resolutions (a disagreement is kept as one)."""
    return max(sts, key=lambda s: s.ts)
