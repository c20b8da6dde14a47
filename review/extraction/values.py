"""Reviewers' extraction values: entering (checked against the form), submitting,
what a reviewer may see, and the settled values the rest of the review uses.

Each value is keyed by (arm, field): arm '' is the whole study; a study with
several groups has values per arm, and a field not given for an arm takes the
whole-study value. Every write is one transaction through
review/db/events.py ``append_values`` (audited); a write that fails on any
value stores none of them.

Blinding: ``reviewer_view`` is all a reviewer is shown of a study, their own
values and who has submitted (not what). Once every reviewer the protocol
asks for has submitted (review.extraction.dual), the fields they agree on are
settled at once (kind ``reconciled``, noted "agreed by ..."); the others wait
for the adjudicator (review.extraction.reconcile).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from review.db import events as ev
from review.errors import BadInput
from review.extraction import dual
from review.extraction.dual import DualState, Row, Submitted
from review.extraction.form import FieldProblem, Form, from_json, same_value, show_value, to_json
from review.extraction.studies import Study
from review.protocol import Protocol

Key = tuple[str, str]          # (arm, field)
PENDING = object()             # a settled table's cell not yet settled


# ------------------------------------------------------------------ reading
def _row(v) -> Row:
    value = v.supersedes if v.kind == "undo" else from_json(v.value)
    return Row(v.id, v.actor, (v.arm, v.field), v.kind, value, v.derived, v.note, v.ts)


def states(conn: sqlite3.Connection, study_ids: Sequence[int] | None = None) -> dict[int, DualState]:
    """study id -> its dual-entry state (studies without rows are absent)."""
    rows: dict[int, list[Row]] = {}
    for v in ev.values(conn, list(study_ids) if study_ids is not None else None):
        rows.setdefault(v.study_id, []).append(_row(v))
    return {sid: dual.build(r) for sid, r in rows.items()}


def needed(protocol: Protocol) -> int:
    """How many reviewers must submit a study before it is compared."""
    return max(1, protocol.screening.reviewers_per_record)


def effective(values: dict[Key, Row], arm: str, name: str) -> Row | None:
    """The row that gives ``name`` at ``arm``: the arm's own, else the whole study's."""
    r = values.get((arm, name))
    if r is None and arm:
        r = values.get(("", name))
    return r


def arms_of(keys: Iterable[Key]) -> list[str]:
    return sorted({a for a, _ in keys if a})


def _same(form: Form):
    def same(key: Key, a: Any, b: Any) -> bool:
        ftype = form.get(key[1]).type if form.has(key[1]) else "text"
        return same_value(ftype, a, b)
    return same


def _compare_keys(form: Form, st: DualState) -> list[Key]:
    keys = {("", f.name) for f in form}
    for a in st.submitted:
        keys |= set(st.entries.get(a, {}))
    arms = arms_of(keys)
    keys |= {(arm, f.name) for arm in arms for f in form if (arm, f.name) in keys}
    return sorted(keys)


def _effective_value(st: DualState, reviewer: str, key: Key) -> Row | None:
    return effective(st.entries.get(reviewer, {}), *key)


def comparison(form: Form, st: DualState) -> tuple[dict, dict]:
    """(agreed, differing) keys of a complete study (see review.extraction.dual.compare)."""
    return dual.compare(st, _compare_keys(form, st), _same(form), _effective_value)


@dataclass
class ReviewerView:
    """What one reviewer may see of one study: their own values and who has
    submitted; the settled values and the differing fields only once complete."""

    study: Study
    reviewer: str
    values: dict[Key, Row]
    submitted: bool
    submitted_by: list[str]
    complete: bool
    settled: dict[Key, Row] = field(default_factory=dict)
    differing: list[Key] = field(default_factory=list)

    @property
    def arms(self) -> list[str]:
        return arms_of(self.values)


def reviewer_view(conn: sqlite3.Connection, protocol: Protocol, form: Form, study: Study,
                  reviewer: str) -> ReviewerView:
    st = states(conn, [study.id]).get(study.id, DualState())
    complete = st.complete(needed(protocol))
    view = ReviewerView(study, reviewer, dict(st.entries.get(reviewer, {})), st.is_submitted(reviewer),
                        st.submitted, complete)
    if complete:
        view.settled = dict(st.reconciled)
        _agreed, differing = comparison(form, st)
        view.differing = sorted(differing)
    return view


# ------------------------------------------------------------------ writing
def field_error(study: Study, form: Form, p: FieldProblem, arm: str = "", where: str | None = None) -> BadInput:
    label = form.get(p.field).label if form.has(p.field) else p.field
    at = f", arm {arm!r}" if arm else ""
    return BadInput(f"study {study.label!r}{at}, field {p.field!r} ({label}): {p.message}", where=where)


def parse_entries(form: Form, study: Study, current: dict[Key, Row], items: Sequence[tuple[str, str, Any]],
                  where: str | None = None) -> dict[Key, tuple[Any, str]]:
    """Check typed entries (arm, field, text) against the form and against each
    other and the reviewer's other values; returns key -> (value, derived).
    Raises BadInput naming the study and field (and ``where``)."""
    values = {k: r.value for k, r in current.items()}
    out: dict[Key, tuple[Any, str]] = {}
    n_fields = {f.n_field for f in form if f.n_field}
    ordered = sorted(items, key=lambda it: it[1] not in n_fields)  # n before the counts typed as percents
    for arm, name, raw in ordered:
        try:
            f = form.get(name)
            n = None
            if f.n_field:
                n = values.get((arm, f.n_field), values.get(("", f.n_field)))
                n = n if isinstance(n, int) else None
            parsed = f.parse(raw, n)
        except FieldProblem as p:
            raise field_error(study, form, p, arm, where) from None
        out[(arm, f.name)] = (parsed.value, parsed.derived)
        values[(arm, f.name)] = parsed.value
    arms = {a for a, _ in out}
    if "" in arms:  # a whole-study value must suit every arm too
        arms |= set(arms_of(values))
    for arm in sorted(arms):
        at_arm = {f.name: values.get((arm, f.name), values.get(("", f.name))) for f in form}
        for p in form.check(at_arm):
            raise field_error(study, form, p, arm, where)
    return out


def require_open(protocol: Protocol, st: DualState, study: Study) -> None:
    """BadInput once the study is complete: its values are no longer the reviewers' to change."""
    if st.complete(needed(protocol)):
        raise BadInput(f"study {study.label!r} has been submitted by {' and '.join(st.submitted)}: its values "
                       "are compared, and what differs is settled by the adjudicator ('review reconcile')")


def entry_rows(study: Study, reviewer: str, parsed: dict[Key, tuple[Any, str]], current: dict[Key, Row],
               note: str | None = None) -> list[dict]:
    """Rows for ``append_values``: only values that change the reviewer's own."""
    rows = []
    for (arm, name), (value, derived) in sorted(parsed.items()):
        old = current.get((arm, name))
        if old is not None and to_json(old.value) == to_json(value) and old.derived == derived:
            continue
        rows.append({"study_id": study.id, "arm": arm, "field": name, "kind": "entry", "value": to_json(value),
                     "derived": derived, "note": note})
    return rows


def set_values(conn: sqlite3.Connection, protocol: Protocol, form: Form, study: Study, reviewer: str,
               items: Sequence[tuple[str, str, Any]], *, note: str | None = None,
               where: str | None = None) -> list[Key]:
    """Store a reviewer's values for a study (call inside a transaction); returns
    the keys that changed. Nothing is stored if any value is refused."""
    st = states(conn, [study.id]).get(study.id, DualState())
    require_open(protocol, st, study)
    current = dict(st.entries.get(reviewer, {}))
    parsed = parse_entries(form, study, current, items, where)
    rows = entry_rows(study, reviewer, parsed, current, note)
    if rows:
        ev.append_values(conn, rows, reviewer, "extraction.entry", {"study": study.id, "fields": len(rows)})
    return [(r["arm"], r["field"]) for r in rows]


def submit(conn: sqlite3.Connection, protocol: Protocol, form: Form, study: Study, reviewer: str) -> Submitted:
    """Declare a study's form done (call inside a transaction). Required fields
    must have a value. When this completes the study, the fields every
    reviewer agrees on are settled at once."""
    st = states(conn, [study.id]).get(study.id, DualState())
    if st.is_submitted(reviewer):
        agreed, differing = comparison(form, st) if st.complete(needed(protocol)) else ({}, {})
        return Submitted(study, reviewer, st.complete(needed(protocol)), 0, len(differing), already=True)
    require_open(protocol, st, study)
    own = st.entries.get(reviewer, {})
    for arm in [""] + arms_of(own):
        missing = [f.name for f in form if f.required and (effective(own, arm, f.name) is None
                                                           or effective(own, arm, f.name).value is None)]
        if missing:
            at = f", arm {arm!r}" if arm else ""
            raise BadInput(f"study {study.label!r}{at}: cannot submit without the required field(s) "
                           f"{', '.join(missing)} ({'; '.join(form.get(m).label for m in missing)})")
    ev.append_values(conn, [{"study_id": study.id, "field": "*", "kind": "submit"}], reviewer,
                     "extraction.submit", {"study": study.id})
    st = states(conn, [study.id])[study.id]
    if not st.complete(needed(protocol)):
        return Submitted(study, reviewer, False)
    agreed, differing = comparison(form, st)
    rows = []
    who = " and ".join(st.submitted)
    for (arm, name), rs in agreed.items():
        first = rs[0]
        rows.append({"study_id": study.id, "arm": arm, "field": name, "kind": "reconciled",
                     "value": to_json(None if first is None else first.value),
                     "derived": "entered" if first is None else first.derived,
                     "note": f"agreed by {who}"})
    if rows:
        ev.append_values(conn, rows, reviewer, "extraction.agreed", {"study": study.id, "fields": len(rows)})
    return Submitted(study, reviewer, True, len(rows), len(differing))


# ------------------------------------------------------------------ settled
@dataclass
class SettledStudy:
    """A study's settled values (arm, field) -> value, PENDING where not settled."""

    study: Study
    status: str                       # 'not started' | 'in progress' | 'complete'
    submitted_by: list[str]
    waiting_for: list[str]
    values: dict[Key, Any]
    derived: dict[Key, str]
    differing: list[Key]

    @property
    def arms(self) -> list[str]:
        return arms_of(k for k, v in self.values.items() if v is not PENDING)

    def value(self, arm: str, name: str) -> Any:
        v = self.values.get((arm, name), PENDING)
        if v is PENDING and arm:
            v = self.values.get(("", name), PENDING)
        return v

    def why_pending(self, name: str, arm: str = "") -> str:
        """Why a field has no settled value yet, in words."""
        if self.status == "not started":
            return "not extracted yet"
        if self.status == "in progress":
            got = f" (submitted by {', '.join(self.submitted_by)})" if self.submitted_by else ""
            return f"not yet settled: waiting for {' and '.join(self.waiting_for) or 'a reviewer'} to submit{got}"
        return f"not yet settled: the reviewers differ on {name} ('review reconcile')"


def settled(conn: sqlite3.Connection, protocol: Protocol, form: Form, studies: list[Study]) -> list[SettledStudy]:
    """Every study's settled values, for pooling, tables and exports."""
    sts = states(conn, [s.id for s in studies])
    reviewers = list(protocol.people.reviewers)
    out = []
    for s in studies:
        st = sts.get(s.id, DualState())
        done = st.complete(needed(protocol))
        status = "complete" if done else ("in progress" if st.started() else "not started")
        waiting = [r for r in reviewers if r not in st.submitted][: max(0, needed(protocol) - len(st.submitted))]
        values: dict[Key, Any] = {("", f.name): PENDING for f in form}
        derived: dict[Key, str] = {}
        differing: list[Key] = []
        if done:
            for key, r in st.reconciled.items():
                values[key] = r.value
                derived[key] = r.derived
            _agreed, diff = comparison(form, st)
            differing = sorted(diff)
            for key in differing:
                values.setdefault(key, PENDING)
        out.append(SettledStudy(s, status, st.submitted, waiting, values, derived, differing))
    return out


def show(form: Form, name: str, value: Any) -> str:
    if value is PENDING:
        return "?"
    return show_value(form.get(name).type if form.has(name) else "text", value)
