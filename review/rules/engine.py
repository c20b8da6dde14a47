"""`review rules`: the protocol's automatic rules applied to every screening
unit, as events that change only what changed.

A run works out, for every active unit, what the rules find (review/rules/
checks.py) and compares it with the rule exclusions and flags in force (the
events of stage ``automation``, read as review/screening/view.py reads them:
a unit made from earlier units inherits their exclusions):

- an exclusion still warranted stays as it is (no new event);
- a unit that should be excluded and is not gets one ``rule`` event: the
  first rule that applies, in ``RULE_IDS`` order (one exclusion per unit, so
  the counts per rule add up to PRISMA's "removed before screening");
- an exclusion no longer warranted (new imports, new metrics, a changed
  protocol, duplicate groups that changed) is retracted by an ``undo`` event;
- flags likewise: added, kept or retracted; flags belong to active units (a
  flag on a unit that dedup merged or split is retracted, and the new unit
  gets its own);
- rules never overrule a person: a unit someone has decided or resolved at
  any stage gets no new exclusion (a flag ``decided by a person: RULE`` says
  what the rule would have done), an exclusion it inherited is retracted, and
  one an adjudicator overruled at title/abstract stays as the record of what
  the rule did (the unit is screened: review/screening/view.py).

Everything a run writes is one batch of events with one audit entry (who ran
it, and the counts). A dry run works the same out and writes nothing; run
twice, the second run writes nothing. The protocol's ``impact_factors`` file,
when set, is imported first (as ``review journals import``; a file imported
before changes nothing).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Callable

from review.clock import current_actor
from review.db import events as ev
from review.db import rules as rdb
from review.db import screening as sdb
from review.db import transaction
from review.errors import BadInput
from review.models import SCREENING_STAGES, Event
from review.protocol import Protocol
from review.rules import ACTOR, RULE_IDS
from review.rules.checks import FLAG_PERSON, Checker, Config, Finding, Verdict, copy_of
from review.screening.state import Standing, standings

TA = "title_abstract"
EXAMPLES = 5


@dataclass
class RunResult:
    """What a run found and did (or, dry, would do)."""

    dry_run: bool
    units: int
    excluded: dict[str, int]               # rule -> units it excludes (each unit under its first rule)
    prisma: dict[str, int]                 # automatic / other: what PRISMA counts before screening
    flagged: dict[str, int]                # why -> units flagged
    overruled: dict[str, int]              # rule -> exclusions an adjudicator overruled at title/abstract
    added: dict[str, dict[str, int]]       # {"rule": {rule: n}, "flag": {why: n}}
    retracted: dict[str, dict[str, int]]
    kept: dict[str, int]                   # {"rule": n, "flag": n}
    examples: dict[str, list[dict]]
    unrecognised_types: dict[str, int]
    notes: list[str] = field(default_factory=list)
    metrics_imported: list[dict] = field(default_factory=list)
    events: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.added[k] or self.retracted[k] for k in ("rule", "flag"))

    def to_json(self) -> dict:
        return {
            "excluded": self.excluded, "flagged": self.flagged, "dry_run": self.dry_run,
            "units": self.units, "prisma": self.prisma, "overruled": self.overruled,
            "changes": {"added": self.added, "retracted": self.retracted, "kept": self.kept,
                        "events": len(self.events)},
            "examples": self.examples, "unrecognised_types": self.unrecognised_types,
            "metrics_imported": self.metrics_imported, "notes": self.notes,
        }


@dataclass
class _Plan:
    rows: list[dict]
    result: RunResult
    touches_exclusions: bool


def run(conn: sqlite3.Connection, protocol: Protocol, *, dry_run: bool = False, actor: str | None = None,
        progress: Callable[[str], None] | None = None) -> RunResult:
    """Apply the protocol's rules (``dry_run``: work out what would change, change nothing)."""
    actor = actor or current_actor()
    say = progress or (lambda _msg: None)
    if sdb.pack_info(conn) is not None and not dry_run:
        raise BadInput("this is a reviewer's pack: the rules are applied in the project itself")
    cfg = Config.from_rules(protocol.rules)
    scope = rdb.rolled_back(conn, write=bool(protocol.rules.impact_factors)) if dry_run else transaction(conn)
    with scope:
        imported = _import_metrics(conn, protocol, actor, say)
        plan = _plan(conn, cfg, dry_run, say)
        plan.result.metrics_imported = imported
        closed = sdb.closures(conn).get(TA)
        if closed is not None and closed["action"] == "close" and plan.touches_exclusions:
            msg = (f"title/abstract screening was closed by {closed['actor']} on {closed['ts'][:10]}: the rules"
                   " would change which records are screened there; an adjudicator reopens it first"
                   " ('review stage reopen title_abstract')")
            if not dry_run:
                raise BadInput(msg)
            plan.result.notes.append(msg)
        if not dry_run and plan.rows:
            r = plan.result
            plan.result.events = ev.append_events(conn, plan.rows, actor, "rules.apply", {
                "excluded": r.excluded, "flagged": r.flagged, "added": r.added, "retracted": r.retracted,
                "kept": r.kept, "units": r.units})
    return plan.result


def _import_metrics(conn: sqlite3.Connection, protocol: Protocol, actor: str, say) -> list[dict]:
    name = protocol.rules.impact_factors
    if not name:
        return []
    path = Path(name)
    if not path.is_absolute() and protocol.path and not protocol.path.startswith("<"):
        path = Path(protocol.path).parent / path
    if not path.is_file():
        raise BadInput(f"key 'rules.impact_factors': no such file {path}", where=protocol.path or None)
    from review.journals.importer import import_metric_files

    say(f"journal metrics: {path}")
    return [r.to_json() for r in import_metric_files(conn, [path], actor=actor) if not r.already_imported]


# ------------------------------------------------------------------ the plan
@dataclass
class _Units:
    """Every active unit with what the rules find on it."""

    active: dict[int, int]                  # unit -> representative record
    verdicts: dict[int, Verdict]
    copies: dict[int, list]                 # unit -> what its records say (checks.Copy)
    unrecognised: Counter

    def title(self, u: int) -> str:
        return next((c.title or c.translated_title for c in self.copies.get(u, ())
                     if c.title or c.translated_title), "")


def _check(conn: sqlite3.Connection, cfg: Config, say) -> _Units:
    active = sdb.active_units(conn)
    say("reading records")
    facts = rdb.unit_facts(conn, mesh=cfg.humans_only)
    matches = {}
    if cfg.min_impact_factor is not None:
        from review.journals.match import metrics_for_units

        say("matching journals")
        matches = metrics_for_units(conn, kinds=cfg.kinds)
    say("checking")
    checker = Checker(cfg)
    verdicts: dict[int, Verdict] = {}
    copies_of: dict[int, list] = {}
    unrecognised: Counter = Counter()
    for u, rows in groupby(facts, key=itemgetter(0)):
        copies = [copy_of(r) for r in rows]
        verdicts[u] = checker.verdict(copies, matches.get(u))
        copies_of[u] = copies
        for c in copies:
            if c.unknown_types:
                unrecognised.update(c.unknown_types)
    return _Units(active, verdicts, copies_of, unrecognised)


def _plan(conn: sqlite3.Connection, cfg: Config, dry_run: bool, say) -> _Plan:
    us = _check(conn, cfg, say)
    active, verdicts = us.active, us.verdicts
    parents = sdb.lineage_above_all(conn)
    done = sdb.undone(conn)
    say("comparing with the exclusions and flags in force")
    people, resolved = _decided(conn, active, parents, done)
    rule_events = sdb.stage_events(conn, "automation", ("rule",))
    by_id = {e.id: e for e in rule_events}
    kind = rdb.prisma_kinds(conn)

    def prisma(rule: str) -> str:
        return "other" if rule in cfg.prisma_other else "automatic"

    def inforce(undone: set[int]) -> dict[int, dict[str, Standing]]:
        if not rule_events:
            return {}
        got = standings(rule_events, undone, parents, active, key=lambda e: e.reason or "")
        return {u: {r: st for r, st in rs.items() if st.decided} for u, rs in got.items()}

    # what each unit's exclusions should be: rule -> PRISMA kind
    before = inforce(done)
    target: dict[int, dict[str, str]] = {}
    for u in active:
        wanted = verdicts[u].exclusions
        had = before.get(u)
        if not wanted and not had:
            target[u] = {}
            continue
        warranted = {r: kind[st.event_id] for r, st in (had or {}).items()
                     if r in wanted and kind[st.event_id] == prisma(r)}
        if u in people and u not in resolved:
            target[u] = {}
        elif u in people or warranted:
            target[u] = warranted
        elif wanted:
            first = next(iter(wanted))
            target[u] = {first: prisma(first)}
        else:
            target[u] = {}

    # retract what is in force and not wanted (an inherited exclusion is retracted at
    # its source; a sibling that still wants it then gets one of its own)
    undo: dict[int, str] = {}
    now_in = before
    while True:
        more = {st.event_id: _why(u, r, target[u], verdicts[u], people)
                for u, rs in now_in.items() for r, st in rs.items() if target[u].get(r) != kind[st.event_id]}
        if not more:
            break
        undo.update(more)
        now_in = inforce(done | set(undo))
    rows = [_undo_row(by_id[eid], why) for eid, why in sorted(undo.items())]
    added_rules: list[tuple[int, str, Finding, str]] = []
    for u in sorted(active):
        for r, k in target[u].items():
            if r not in now_in.get(u, {}):
                added_rules.append((u, r, verdicts[u].exclusions[r], k))
    rows += [_rule_row(u, r, f, k) for u, r, f, k in added_rules]
    flag_rows, flags = _flags(conn, active, verdicts, target, people, done)
    rows += flag_rows

    # the state after the run: each excluded unit under its first rule in force (PRISMA's reading)
    excluded: Counter = Counter()
    kinds: Counter = Counter()
    overruled: Counter = Counter()
    final_rule: dict[int, str] = {}
    new_first: dict[int, tuple[str, str]] = {}
    for u, r, _, k in added_rules:
        new_first.setdefault(u, (r, k))
    for u in set(now_in) | set(new_first):
        kept = now_in.get(u)
        if kept:
            st = min(kept.values(), key=lambda s: s.event_id)
            r, k = st.reason or "", kind[st.event_id]
        elif u in new_first:
            r, k = new_first[u]
        else:
            continue
        if u in resolved:
            overruled[r] += 1
            continue
        excluded[r] += 1
        kinds[k] += 1
        final_rule[u] = r

    result = RunResult(
        dry_run=dry_run, units=len(active),
        excluded={r: excluded[r] for r in _order(excluded)},
        prisma={"automatic": kinds["automatic"], "other": kinds["other"]},
        flagged=dict(sorted(flags["final"].items())),
        overruled={r: overruled[r] for r in _order(overruled)},
        added={"rule": dict(_counted(r for _, r, _, _ in added_rules)),
               "flag": dict(sorted(flags["added"].items()))},
        retracted={"rule": dict(_counted(by_id[eid].reason or "" for eid in undo)),
                   "flag": dict(sorted(flags["retracted"].items()))},
        kept={"rule": sum(len(rs) for rs in now_in.values()), "flag": flags["kept"]},
        examples=_examples(us, final_rule, flags["examples"]),
        unrecognised_types=dict(us.unrecognised.most_common(20)),
        notes=list(cfg.notes),
    )
    return _Plan(rows, result, bool(added_rules or undo))


def _examples(us: _Units, final_rule: dict[int, str], flagged: dict[str, list[tuple[int, Finding]]]
              ) -> dict[str, list[dict]]:
    """A few records per rule and per flag (smallest record ids first)."""
    out: dict[str, list[dict]] = {}
    for u in sorted(final_rule, key=lambda u: us.active[u]):
        r = final_rule[u]
        if len(out.setdefault(r, [])) < EXAMPLES:
            f = us.verdicts[u].exclusions.get(r)
            out[r].append({"record": us.active[u], "title": us.title(u),
                           "value": f.payload.get("value") if f else None})
    for reason, items in flagged.items():
        out[reason] = [{"record": us.active[u], "title": us.title(u), "value": f.payload.get("value")}
                       for u, f in items[:EXAMPLES]]
    return out


def _why(u: int, rule: str, target: dict[str, str], v: Verdict | None, people: set[int]) -> str:
    if rule in target:
        return f"now counted as {target[rule]!r} in PRISMA"
    if v is not None and rule in v.exclusions:
        return "a person decided the record" if u in people else "another rule's exclusion stands"
    return "no longer warranted"


def _order(c: Counter) -> list[str]:
    return sorted(c, key=lambda r: (RULE_IDS.index(r) if r in RULE_IDS else len(RULE_IDS), r))


def _counted(items) -> list[tuple[str, int]]:
    c = Counter(items)
    return [(r, c[r]) for r in _order(c)]


def _decided(conn: sqlite3.Connection, active: dict[int, int], parents, done: set[int]
             ) -> tuple[set[int], set[int]]:
    """Units with a person's decision or resolution in force at any stage (own or
    inherited), and those an adjudicator resolved at title/abstract. Only whether
    someone decided is read, never what (nothing here may tell a reviewer another's
    decision)."""
    people: set[int] = set()
    resolved: set[int] = set()
    for stage in SCREENING_STAGES:
        evs = sdb.stage_events(conn, stage, ("decision", "resolution"))
        if not evs:
            continue
        people |= set(standings(evs, done, parents, active))
        if stage == TA:
            resolved |= set(standings([e for e in evs if e.kind == "resolution"], done, parents, active))
    return people, resolved


def _flags(conn: sqlite3.Connection, active: dict[int, int], verdicts: dict[int, Verdict],
           target: dict[int, dict[str, str]], people: set[int], done: set[int]) -> tuple[list[dict], dict]:
    """Flag events to add and to retract, and the flags in force afterwards."""
    wanted: dict[int, dict[str, Finding]] = {}
    for u in active:
        if target[u]:
            continue  # an excluded unit needs no person's look
        v = verdicts.get(u)
        if v is None:
            continue
        if v.exclusions:  # a person decided it (else it would be excluded): say what the rules would do
            flags = {FLAG_PERSON.format(r): Finding(FLAG_PERSON.format(r), f.record_id, f.payload)
                     for r, f in v.exclusions.items()} if u in people else {}
        else:
            flags = v.flags
        if flags:
            wanted[u] = flags
    have: dict[tuple[int, str], list[Event]] = {}
    stale: list[Event] = []
    for e in sdb.stage_events(conn, "automation", ("flag",)):
        if e.id in done:
            continue
        if e.unit_id in active:
            have.setdefault((e.unit_id, e.reason or ""), []).append(e)
        else:
            stale.append(e)
    rows: list[dict] = []
    retracted: Counter = Counter()
    added: Counter = Counter()
    final: Counter = Counter()
    examples: dict[str, list[tuple[int, Finding]]] = {}
    kept = 0
    for (u, reason), es in sorted(have.items()):
        if reason in wanted.get(u, {}):
            kept += 1
            continue
        for e in es:
            rows.append(_undo_row(e, "no longer warranted"))
            retracted[reason] += 1
    for e in stale:
        rows.append(_undo_row(e, "the record's duplicate group changed"))
        retracted[e.reason or ""] += 1
    for u in sorted(wanted, key=lambda u: active[u]):
        for reason, f in wanted[u].items():
            final[reason] += 1
            examples.setdefault(reason, []).append((u, f))
            if (u, reason) not in have:
                rows.append({"actor": ACTOR, "stage": "automation", "unit_id": u, "record_id": f.record_id,
                             "kind": "flag",
                             "reason": reason, "payload": f.payload})
                added[reason] += 1
    return rows, {"retracted": retracted, "added": added, "final": final, "kept": kept, "examples": examples}


def _undo_row(e: Event, why: str) -> dict:
    return {"actor": ACTOR, "stage": "automation", "unit_id": e.unit_id, "record_id": e.record_id, "kind": "undo",
            "supersedes": e.id, "note": why, "payload": {"retracts": e.kind, "reason": e.reason}}


def _rule_row(u: int, rule: str, f: Finding, kind: str) -> dict:
    return {"actor": ACTOR, "stage": "automation", "unit_id": u, "record_id": f.record_id, "kind": "rule",
            "decision": "exclude",
            "reason": rule, "payload": {**f.payload, "prisma": kind}}

