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
from review.db import screening as sdb
from review.db import units
from review.protocol import Protocol
from review.screening.view import automation_exclusions


def automation_summary(conn: sqlite3.Connection) -> dict:
    """Units excluded by each rule (in force, and not overruled by an
    adjudicator's resolution at title/abstract) and units flagged for a person,
    rules in the order the rules engine applies them."""
    from review.screening.state import standings

    active = units.active_units(conn)
    parents = units.parents(conn)
    excluded = automation_exclusions(conn, parents, active)
    done = ev.undone(conn)
    resolved = standings(ev.events(conn, stage="title_abstract", kinds=("resolution",)), done, parents, active)
    overruled = {u for u in excluded if u in resolved}
    excluded = {u: st for u, st in excluded.items() if u not in overruled}
    flagged = Counter()
    seen = set()
    for e in ev.events(conn, stage="automation", kinds=("flag",)):
        if e.id not in done and e.unit_id in active and (e.unit_id, e.reason) not in seen:
            seen.add((e.unit_id, e.reason))
            flagged[e.reason] += 1
    from review.rules import RULE_IDS

    by_rule = Counter(st.reason for st in excluded.values())
    order = [r for r in RULE_IDS if r in by_rule] + sorted(r for r in by_rule if r not in RULE_IDS)
    return {"excluded": len(excluded), "by_rule": {r: by_rule[r] for r in order},
            "overruled": len(overruled), "flagged": dict(sorted(flagged.items(), key=lambda kv: (-kv[1], kv[0])))}


def stage_summary(conn: sqlite3.Connection, protocol: Protocol, stage: str) -> dict:
    """Units screened at the stage; per reviewer how many they decided and how
    many are left; outcomes; what keeps the stage from being closed
    (undecided units, units one reviewer decided, conflicts) and whether an
    adjudicator closed it."""
    if stage not in protocol.screening.stages:
        return {"units": 0, "decided": {}, "left": {}, "outcomes": {}}
    from review.screening.adjudication import blockers
    from review.screening.tally import tally

    t = tally(conn, protocol, stage)
    decided = {r: 0 for r in protocol.people.reviewers}
    for ds in t.decisions.values():
        for r in ds:
            if r in decided:
                decided[r] += 1
    outcomes = Counter(t.states.values())
    b = blockers(t)
    closure = sdb.closures(conn).get(stage)
    closed = closure is not None and closure["action"] == "close"
    return {"units": len(t.units), "decided": decided,
            "left": {r: len(t.units) - n for r, n in decided.items()}, "outcomes": dict(outcomes),
            "undecided": b.undecided, "one_reviewer": b.one_reviewer, "conflicts": b.conflicts,
            "can_close": not b.any and not closed,
            "closed": {"by": closure["actor"], "at": closure["ts"]} if closed else None}


def format_automation(a: dict) -> str:
    if not a["excluded"] and not a["flagged"]:
        return "not applied yet ('review rules')"
    rules = ", ".join(f"{k} {v}" for k, v in a["by_rule"].items())
    flags = "; ".join(f"{k} ({v})" for k, v in a["flagged"].items())
    over = f", {a['overruled']} overruled by the adjudicator" if a.get("overruled") else ""
    return (f"{a['excluded']} excluded" + (f" ({rules})" if rules else "") + over
            + (f"; flagged for a person: {flags}" if flags else ""))


def format_stage(s: dict) -> str:
    if not s["units"]:
        return "nothing to screen yet"
    noun = "unit" if s["units"] == 1 else "units"
    done = ", ".join(f"{r} {n} (left {s['left'][r]})" for r, n in s["decided"].items())
    o = s["outcomes"]
    parts = [f"{o.get(k, 0)} {k.replace('_', ' ')}" for k in ("include", "exclude", "conflict", "not_retrieved")
             if o.get(k)]
    line = f"{s['units']} {noun}; decided: {done}" + (f"; {', '.join(parts)}" if parts else "")
    if s.get("closed"):
        return line + f"; closed by {s['closed']['by']} on {s['closed']['at'][:10]}"
    if s.get("one_reviewer"):
        line += f"; {s['one_reviewer']} decided by one reviewer only"
    if s.get("can_close"):
        line += "; ready to close ('review stage close')"
    return line
