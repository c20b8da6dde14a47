"""The adjudicator's side of extraction: the fields the reviewers still
differ on, side by side, and the value chosen for each, with its rationale.

Only studies every needed reviewer has submitted are compared; fields they
agree on were settled when the last of them submitted
(review.extraction.values.submit). ``set_value`` records a reconciled value
(kind ``reconciled``, settled) for a differing field, or replaces a settled
one; the note is the rationale.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from review.db import events as ev
from review.errors import BadInput
from review.extraction.dual import DualState, differing_by_study
from review.extraction.form import FieldProblem, Form, show_value, to_json
from review.extraction.studies import Study, find_study
from review.extraction.values import field_error, comparison, effective, needed, states
from review.protocol import Protocol


def differences(conn: sqlite3.Connection, protocol: Protocol, form: Form, studies: list[Study]) -> list[dict]:
    """Every field still differing, as the contract's JSON: ``{"study", "field",
    "values": {REVIEWER: value}}`` plus ``arm``, ``label`` (the field's),
    ``text`` (each value as the form shows it) and ``notes`` (the reviewers')."""
    sts = states(conn, [s.id for s in studies])
    out = []
    for s, differing in differing_by_study(studies, sts, needed(protocol), lambda st: comparison(form, st)):
        for (arm, name), rows in sorted(differing.items()):
            ftype = form.get(name).type if form.has(name) else "text"
            out.append({
                "study": s.label, "field": name, "arm": arm,
                "values": {who: None if r is None else r.value for who, r in rows.items()},
                "label": form.get(name).label if form.has(name) else name,
                "text": {who: show_value(ftype, None if r is None else r.value) for who, r in rows.items()},
                "derived": {who: None if r is None else r.derived for who, r in rows.items()},
                "notes": {who: r.note for who, r in rows.items() if r is not None and r.note},
            })
    return out


def pending(conn: sqlite3.Connection, protocol: Protocol, studies: list[Study]) -> list[dict]:
    """Studies not yet compared: who has submitted and who not (names only)."""
    sts = states(conn, [s.id for s in studies])
    out = []
    for s in studies:
        st = sts.get(s.id, DualState())
        if not st.complete(needed(protocol)):
            out.append({"study": s.label, "submitted_by": st.submitted,
                        "waiting_for": [r for r in protocol.people.reviewers if r not in st.submitted]})
    return out


def set_value(conn: sqlite3.Connection, protocol: Protocol, form: Form, studies: list[Study], label: str,
              name: str, raw: Any, adjudicator: str, *, note: str | None = None, arm: str = "") -> dict:
    """Record the adjudicator's value for a field of a complete study (call
    inside a transaction). BadInput naming the study and field when the value
    does not fit the form or the study is not yet complete."""
    study = find_study(studies, label)
    st = states(conn, [study.id]).get(study.id, DualState())
    if not st.complete(needed(protocol)):
        waiting = [r for r in protocol.people.reviewers if r not in st.submitted]
        raise BadInput(f"study {study.label!r}: waiting for {', '.join(waiting) or 'a reviewer'} to submit; "
                       "values are reconciled once every reviewer has submitted")
    try:
        f = form.get(name)
    except FieldProblem as p:
        raise field_error(study, form, p, arm) from None
    arm = arm.strip()
    settled = {k: r.value for k, r in st.reconciled.items()}
    n = settled.get((arm, f.n_field), settled.get(("", f.n_field))) if f.n_field else None
    try:
        parsed = f.parse(raw, n if isinstance(n, int) else None)
    except FieldProblem as p:
        raise field_error(study, form, p, arm) from None
    settled[(arm, f.name)] = parsed.value
    at_arm = {g.name: settled.get((arm, g.name), settled.get(("", g.name))) for g in form}
    for p in form.check(at_arm):
        raise field_error(study, form, p, arm)
    _agreed, differing = comparison(form, st)
    before = effective(st.reconciled, arm, f.name)
    ev.append_values(conn, [{"study_id": study.id, "arm": arm, "field": f.name, "kind": "reconciled",
                             "value": to_json(parsed.value), "derived": parsed.derived, "note": note}],
                     adjudicator, "extraction.reconcile", {"study": study.id, "field": f.name, "arm": arm})
    return {"study": study.label, "field": f.name, "arm": arm, "value": parsed.value,
            "text": f.show(parsed.value), "derived": parsed.derived, "note": note, "adjudicator": adjudicator,
            "was_differing": (arm, f.name) in differing,
            "replaced": None if before is None else before.value}
