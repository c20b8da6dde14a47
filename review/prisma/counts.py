"""PRISMA 2020 counts computed from the project: the search log, the duplicate
groups (units) and the events. Nothing is typed in.

Records identified are counted per database and register (``identified``);
duplicates are the records identified beyond one per active unit (a duplicate
group, review/units.py). Each active unit ends in exactly one box:

- ``automatic`` / ``other``: a rule exclusion in force (events of kind
  ``rule`` at stage ``automation`` not undone; the first rule if several) that
  no adjudicator overruled at title/abstract; the rule event's payload
  ``"prisma"`` says ``"automatic"`` (the default) or ``"other"``;
- title/abstract: ``records_excluded``, or pending (undecided or in conflict);
- full text (units included at title/abstract): ``not_retrieved``, an
  exclusion with its reason, ``included``, or pending.

Reports excluded at full text are counted under one reason: the adjudicator's
reason when a resolution settled the unit, else the reason the reviewers
agreed on. When the reviewers excluded with different reasons (and no
resolution gives one) the reason listed first in the protocol's
``[screening].exclusion_reasons`` counts (reasons not in the list come after,
in alphabetical order), and the unit is named in ``notes``.

Studies: ``events.study_links`` links reports (units) to studies; a unit made
from earlier units by a merge or split takes its parents' link; an included
report linked to no study is a study of its own.

The PRISMA identities (``checks``) hold only when nothing is pending.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from review.db import events as ev
from review.db import prisma as q
from review.db import units
from review.protocol import Protocol
from review.screening.view import StageView, stage_view

NO_REASON = "no reason given"
PRISMA_KINDS = ("automatic", "other")

# The keys of the PRISMA2020 R package (and the CLI contract), in diagram order.
KEYS = ("database_results", "register_results", "duplicates", "excluded_automatic", "excluded_other",
        "records_screened", "records_excluded", "dbr_sought_reports", "dbr_notretrieved_reports",
        "dbr_assessed", "dbr_excluded", "new_studies", "new_reports")


@dataclass(frozen=True)
class Check:
    """One PRISMA identity: ``left`` should equal ``right``; ``pending`` units
    (still undecided or in conflict) account for a difference until decided."""

    identity: str
    left: int
    right: int
    pending: int = 0

    @property
    def holds(self) -> bool:
        return self.left == self.right

    @property
    def accounted(self) -> bool:
        """The identity holds once the pending units are counted in."""
        return self.left == self.right - self.pending

    def to_json(self) -> dict:
        return {"identity": self.identity, "left": self.left, "right": self.right, "holds": self.holds,
                "pending": self.pending}


@dataclass
class Flow:
    """The PRISMA 2020 counts of a project, with what is still pending and notes."""

    database_results: dict[str, int]
    register_results: dict[str, int]
    duplicates: int
    excluded_automatic: int
    excluded_other: int
    records_screened: int
    records_excluded: int
    dbr_sought_reports: int
    dbr_notretrieved_reports: int
    dbr_assessed: int
    dbr_excluded: dict[str, int]
    new_studies: int
    new_reports: int
    pending: dict[str, dict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    records: int = 0
    copies: int = 0                                             # records repeating one of the same database
    box_of_unit: dict[int, str] = field(default_factory=dict)   # active unit -> the box it ends in
    unit_size: dict[int, int] = field(default_factory=dict)     # active unit -> its records

    @property
    def identified(self) -> int:
        return sum(self.database_results.values()) + sum(self.register_results.values())

    @property
    def pending_units(self) -> int:
        return sum(p["units"] for p in self.pending.values())

    def checks(self) -> list[Check]:
        """The PRISMA identities (FACTS.md section 1); they hold when nothing is pending."""
        return [
            Check("records_screened = identified - duplicates - excluded_automatic - excluded_other",
                  self.records_screened,
                  self.identified - self.duplicates - self.excluded_automatic - self.excluded_other),
            Check("dbr_sought_reports = records_screened - records_excluded",
                  self.dbr_sought_reports, self.records_screened - self.records_excluded,
                  self.pending["title_abstract"]["units"]),
            Check("dbr_assessed = dbr_sought_reports - dbr_notretrieved_reports",
                  self.dbr_assessed, self.dbr_sought_reports - self.dbr_notretrieved_reports,
                  self.pending["full_text"]["units"]),
            Check("sum(dbr_excluded) = dbr_assessed - new_reports",
                  sum(self.dbr_excluded.values()), self.dbr_assessed - self.new_reports),
        ]

    def to_json(self) -> dict:
        doc = {k: getattr(self, k) for k in KEYS}
        doc["pending"] = self.pending
        doc["notes"] = self.notes
        doc["checks"] = [c.to_json() for c in self.checks()]
        return doc


def source_names(raw: Iterable[str], protocol: Protocol) -> dict[str, str]:
    """Source as stored -> the database's name in the diagram.

    Spellings that differ only in case are one database (a PubMed search files
    its records under 'pubmed', a MEDLINE import under 'PubMed'): named as the
    protocol names it, else as review names that database, else by the
    spelling most used.
    """
    from review.importer import DATABASE_NAMES

    known = {name.casefold(): name for _, name in DATABASE_NAMES}
    known.update({d.name.casefold(): d.name for d in protocol.sources.databases})
    spellings: dict[str, Counter] = {}
    for r in raw:
        spellings.setdefault(r.casefold(), Counter())[r] += 1
    out = {}
    for key, used in spellings.items():
        name = known.get(key) or sorted(used.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        out.update({r: name for r in used})
    return out


def identified(conn: sqlite3.Connection, protocol: Protocol, notes: list[str],
               unit_of: dict[int, int] | None = None) -> tuple[dict[str, int], dict[str, int], int]:
    """(records per database, per register, records not counted because they
    repeat a record of the same database in the same unit).

    A record returned by several searches or imports of one database counts
    once for it. The same record stored twice for one database under two
    spellings of its name (same PMID or content) counts once when deduplication
    has grouped the two, and twice until then (they are two units to screen).
    A source is a register when the protocol's ``[[sources.databases]]``
    entry says ``kind = "register"``. ``unit_of``: record -> unit, if already read.
    """
    rows = q.record_sources(conn)
    names = source_names({src for _, src, _, _ in rows}, protocol)
    registers = {d.name for d in protocol.sources.databases if d.kind == "register"}
    unit_of = units.membership(conn) if unit_of is None else unit_of
    per: Counter = Counter()
    unlogged: Counter = Counter()
    copies: Counter = Counter()
    apart: Counter = Counter()
    first: dict[tuple[str, str], int] = {}
    several = 0
    for rid, src, fingerprint, logged in rows:
        name = names[src]
        unlogged[name] += logged == 0
        several += logged > 1
        seen = first.setdefault((name, fingerprint), rid)
        if seen != rid and unit_of.get(seen) == unit_of.get(rid):
            copies[name] += 1
            continue
        apart[name] += seen != rid
        per[name] += 1
    for name, k in sorted(unlogged.items()):
        if k:
            notes.append(f"{k} records of {name} are linked to no search or import in the log: counted under {name}")
    if several:
        notes.append(f"{several} records are linked to searches of more than one source:"
                     " each counted under one of them")
    for name in sorted(set(copies) | set(apart)):
        spelt = " and ".join(sorted(r for r, d in names.items() if d == name))
        if copies[name]:
            notes.append(f"{copies[name]} records of {name} were stored twice, under {spelt}:"
                         " each counted once (deduplication grouped the copies)")
        if apart[name]:
            notes.append(f"{apart[name]} records of {name} were stored twice, under {spelt}, and are not"
                         " grouped yet: counted twice until 'review dedup' groups them")
    by_name = sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))
    return ({s: k for s, k in by_name if s not in registers}, {s: k for s, k in by_name if s in registers},
            sum(copies.values()))


def _prisma_kind(e: ev.Event | None, notes: list[str]) -> str:
    kind = (e.payload.get("prisma") if e else None) or "automatic"
    if kind not in PRISMA_KINDS:
        notes.append(f"rule event {e.id} ({e.reason}) has prisma = {kind!r}, not 'automatic' or 'other':"
                     " counted as marked ineligible by automation tools")
        return "automatic"
    return kind


def _reason_order(protocol: Protocol):
    listed = {r: i for i, r in enumerate(protocol.screening.exclusion_reasons)}
    return lambda r: (r == NO_REASON, listed.get(r, len(listed)), r)


def _exclusion_reason(view: StageView, u: int, order, rep: int, notes: list[str]) -> str:
    """The one reason a report excluded at full text is counted under (see the module doc)."""
    res = view.resolutions.get(u)
    if res is not None and res.decided and res.decision == "exclude" and res.reason:
        return res.reason
    given = {st.actor: st.reason for st in view.reviewers.get(u, {}).values()
             if st.decision == "exclude" and st.reason}
    reasons = sorted(set(given.values()), key=order)
    if not reasons:
        return NO_REASON
    if len(reasons) > 1:
        who = "; ".join(f"{a}: {r}" for a, r in sorted(given.items()))
        notes.append(f"record {rep} (unit {u}): the reviewers excluded it for different reasons ({who});"
                     f" counted under {reasons[0]!r}, the first in the protocol's list")
    return reasons[0]


def _studies(conn: sqlite3.Connection, included: list[int], active: dict[int, int],
             notes: list[str]) -> int:
    """How many studies the included reports make (see the module doc)."""
    links = ev.study_links(conn)
    parents = units.parents(conn)

    def linked(u: int, seen: frozenset = frozenset()) -> set:
        if u in links:
            return {links[u]}
        found: set = set()
        for p, _ in parents.get(u, ()):
            if p not in seen:
                found |= linked(p, seen | {u})
        return found

    study_ids: set[int] = set()
    alone = 0
    for u in included:
        got = {s for s in linked(u) if s is not None}
        if not got:
            alone += 1
            continue
        if len(got) > 1:
            notes.append(f"record {active[u]} (unit {u}) inherits links to several studies "
                         f"({', '.join(map(str, sorted(got)))}): counted under study {min(got)}; link it again")
        study_ids.add(min(got))
    return len(study_ids) + alone


def _pending(view: StageView, units_: list[int], active: dict[int, int]) -> dict:
    states = Counter(view.outcomes[u].state for u in units_)
    return {"units": len(units_), "undecided": states.get("pending", 0), "conflict": states.get("conflict", 0),
            "records": sorted(active[u] for u in units_)}


def compute(conn: sqlite3.Connection, protocol: Protocol) -> Flow:
    """The PRISMA 2020 counts of the project (module doc: what counts where)."""
    notes: list[str] = []
    membership = units.membership(conn)
    database_results, register_results, copies = identified(conn, protocol, notes, membership)
    for s in q.unfinished_searches(conn):
        notes.append(f"{s['kind']} {s['id']} ({s['source']}) is {s['status']}:"
                     f" the {s['linked']} records it stored so far are counted")

    active = units.active_units(conn)
    size = Counter(membership.values())
    records = len(membership)
    box: dict[int, str] = {}

    ta = stage_view(conn, protocol, "title_abstract")
    rule_events = {e.id: e for e in ev.events(conn, stage="automation", kinds=("rule",))}
    automation = Counter()
    for u, st in ta.rule_exclusions.items():
        if u in ta.units:        # an adjudicator overruled the rule at title/abstract
            continue
        kind = _prisma_kind(rule_events.get(st.event_id), notes)
        automation[kind] += 1
        box[u] = kind
    for u, why in ta.ineligible.items():
        if u not in box:        # title/abstract leaves out nothing but rule exclusions today
            notes.append(f"record {active[u]} (unit {u}) is not screened ({why}): counted as removed for other reasons")
            automation["other"] += 1
            box[u] = "other"

    ta_pending = [u for u in ta.units if ta.outcomes[u].state in ("pending", "conflict")]
    for u in ta.units:
        state = ta.outcomes[u].state
        box[u] = {"exclude": "records_excluded", "include": "sought"}.get(state, "pending_title_abstract")

    ft = stage_view(conn, protocol, "full_text")
    order = _reason_order(protocol)
    reasons: Counter = Counter()
    included: list[int] = []
    ft_pending = []
    for u in ft.units:
        state = ft.outcomes[u].state
        if state == "not_retrieved":
            box[u] = "not_retrieved"
        elif state == "exclude":
            reason = _exclusion_reason(ft, u, order, active[u], notes)
            reasons[reason] += 1
            box[u] = f"excluded: {reason}"
        elif state == "include":
            included.append(u)
            box[u] = "included"
        else:
            ft_pending.append(u)
            box[u] = "pending_full_text"

    flow = Flow(
        database_results=database_results,
        register_results=register_results,
        duplicates=sum(database_results.values()) + sum(register_results.values()) - len(active),
        excluded_automatic=automation["automatic"],
        excluded_other=automation["other"],
        records_screened=len(ta.units),
        records_excluded=sum(1 for u in ta.units if ta.outcomes[u].state == "exclude"),
        dbr_sought_reports=len(ft.units),
        dbr_notretrieved_reports=sum(1 for u in ft.units if ft.outcomes[u].state == "not_retrieved"),
        dbr_assessed=sum(1 for u in ft.units if ft.outcomes[u].state in ("include", "exclude")),
        dbr_excluded={r: reasons[r] for r in sorted(reasons, key=order)},
        new_studies=_studies(conn, included, active, notes),
        new_reports=len(included),
        pending={"title_abstract": _pending(ta, ta_pending, active),
                 "full_text": _pending(ft, ft_pending, active)},
        notes=notes,
        records=records,
        copies=copies,
        box_of_unit=box,
        unit_size={u: size[u] for u in active},
    )
    n = flow.pending_units
    flow.notes.insert(0, "nothing is pending: the PRISMA identities hold" if n == 0 else
                      f"{n} units are still pending or in conflict (see 'pending'):"
                      " the PRISMA identities hold only when nothing is pending")
    return flow
