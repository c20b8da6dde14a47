"""Counts of each stage for ``review status``: what anyone may see.

Per reviewer only how many units they have decided, never what; outcomes
only of units that both (all required) reviewers have decided or that an
adjudicator resolved, so nothing here tells one reviewer another's decision
before both have decided.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

from review.db import events as ev
from review.db import units
from review.protocol import Protocol
from review.screening.view import automation_exclusions, stage_view


def automation_summary(conn: sqlite3.Connection) -> dict:
    """Units excluded by each rule (in force) and units flagged for a person."""
    active = units.active_units(conn)
    parents = units.parents(conn)
    excluded = automation_exclusions(conn, parents, active)
    done = ev.undone(conn)
    flagged = Counter()
    seen = set()
    for e in ev.events(conn, stage="automation", kinds=("flag",)):
        if e.id not in done and e.unit_id in active and (e.unit_id, e.reason) not in seen:
            seen.add((e.unit_id, e.reason))
            flagged[e.reason] += 1
    return {"excluded": len(excluded), "by_rule": dict(Counter(st.reason for st in excluded.values())),
            "flagged": dict(flagged)}


def stage_summary(conn: sqlite3.Connection, protocol: Protocol, stage: str) -> dict:
    """Units screened at the stage, each reviewer's count of decided units, and outcomes."""
    if stage not in protocol.screening.stages:
        return {"units": 0, "decided": {}, "outcomes": {}}
    view = stage_view(conn, protocol, stage)
    decided = {r: sum(1 for u in view.units if view.reviewers.get(u, {}).get(r) is not None
                      and view.reviewers[u][r].decided) for r in protocol.people.reviewers}
    outcomes = Counter(o.state for o in view.outcomes.values())
    return {"units": len(view.units), "decided": decided, "outcomes": dict(outcomes)}


def format_automation(a: dict) -> str:
    if not a["excluded"] and not a["flagged"]:
        return "not applied yet ('review rules')"
    rules = ", ".join(f"{k} {v}" for k, v in a["by_rule"].items())
    flags = ", ".join(f"{k} {v}" for k, v in a["flagged"].items())
    return f"{a['excluded']} excluded" + (f" ({rules})" if rules else "") + (f"; flagged: {flags}" if flags else "")


def format_stage(s: dict) -> str:
    if not s["units"]:
        return "nothing to screen yet"
    done = ", ".join(f"{r} {n}" for r, n in s["decided"].items())
    o = s["outcomes"]
    parts = [f"{o.get(k, 0)} {k.replace('_', ' ')}" for k in ("include", "exclude", "conflict", "not_retrieved")
             if o.get(k)]
    return f"{s['units']} units; decided: {done}" + (f"; {', '.join(parts)}" if parts else "")
