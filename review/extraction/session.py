"""What the terminal views read and write, one call each, on a connection of
their own (review/tui runs these in worker threads; no SQL there).

- ``form_page`` / ``save`` / ``submit_page``: a reviewer's form for one study
  (their own values only, who has submitted, the report beside it);
- ``differences_page`` / ``choose``: the adjudicator's differing fields of
  extraction (``tool="extraction"``) or MINORS (``tool="minors"``), side by
  side, and the value chosen with its rationale.

Every call checks the person's role against the protocol stored in the
project; writes are one transaction each.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from review.db import transaction
from review.errors import BadInput
from review.extraction.form import Form, as_typed
from review.extraction.studies import Report, Study, find_study, list_studies
from review.extraction.values import ReviewerView, reviewer_view, set_values, submit
from review.project import project_protocol
from review.protocol import Protocol


def person_setup(conn: sqlite3.Connection, person: str, role: str) -> tuple[Protocol, list[Study]]:
    from review.screening.decisions import require_role

    protocol = project_protocol(conn)
    require_role(protocol, person, role)
    return protocol, list_studies(conn, protocol)


def study_index(studies: list[Study], label: str | None, step: int = 0) -> int:
    if not studies:
        raise BadInput("no studies yet: a study is a report included at full text")
    if label is None:
        return 0
    i = studies.index(find_study(studies, label))
    return (i + step) % len(studies)


@dataclass
class FormPage:
    """One study's form as a reviewer sees it."""

    form: Form
    index: int
    count: int
    view: ReviewerView
    labels: list[str] = field(default_factory=list)

    @property
    def study(self) -> Study:
        return self.view.study

    @property
    def report(self) -> Report | None:
        return self.study.reports[0] if self.study.reports else None

    def text(self, arm: str, name: str) -> str | None:
        """The reviewer's value of a field as typed, None if not entered."""
        r = self.view.values.get((arm, name))
        return None if r is None else as_typed(self.form.get(name).type, r.value, r.derived)


def form_page(conn: sqlite3.Connection, reviewer: str, label: str | None = None, step: int = 0) -> FormPage:
    """The form of the study ``label`` (``step`` studies on), or of the first study."""
    protocol, studies = person_setup(conn, reviewer, "reviewer")
    i = study_index(studies, label, step)
    form = Form.from_protocol(protocol)
    return FormPage(form, i, len(studies), reviewer_view(conn, protocol, form, studies[i], reviewer),
                    [s.label for s in studies])


def save(conn: sqlite3.Connection, reviewer: str, label: str, arm: str, name: str, text: str) -> FormPage:
    """Store one value as typed (BadInput naming study and field if refused)."""
    protocol, studies = person_setup(conn, reviewer, "reviewer")
    form = Form.from_protocol(protocol)
    with transaction(conn):
        set_values(conn, protocol, form, find_study(studies, label), reviewer, [(arm, name, text)])
    return form_page(conn, reviewer, label)


def submit_page(conn: sqlite3.Connection, reviewer: str, label: str):
    """Submit a study's form; returns (what submitting did, the page after)."""
    protocol, studies = person_setup(conn, reviewer, "reviewer")
    form = Form.from_protocol(protocol)
    with transaction(conn):
        done = submit(conn, protocol, form, find_study(studies, label), reviewer)
    return done, form_page(conn, reviewer, label)


@dataclass(frozen=True)
class Difference:
    """One field (or MINORS item) the reviewers differ on, side by side."""

    study: str
    key: str            # field name, or the item number as text
    arm: str
    label: str          # the field's label or the item's title
    typed: dict[str, str]     # reviewer -> their value as it would be typed
    shown: dict[str, str]     # reviewer -> their value as shown
    notes: dict[str, str]
    help: str = ""


def differences_page(conn: sqlite3.Connection, adjudicator: str, tool: str = "extraction") -> list[Difference]:
    protocol, studies = person_setup(conn, adjudicator, "adjudicator")
    out = []
    if tool == "minors":
        from review.quality.items import SCORE_WORDS, item
        from review.quality.minors import differences as minors_differences

        for d in minors_differences(conn, protocol, studies):
            typed = {k: "" if v is None else str(v) for k, v in d["scores"].items()}
            shown = {k: "-" if v is None else f"{v} ({SCORE_WORDS[v]})" for k, v in d["scores"].items()}
            it = item(d["item"])
            guide = "  ".join(f"{s}: {g}" for s, g in enumerate(it.guidance))
            out.append(Difference(d["study"], str(d["item"]), "", f"item {it.number}. {it.title}", typed, shown,
                                  d["notes"], f"{it.meaning}  {guide}"))
        return out
    from review.extraction.reconcile import differences

    form = Form.from_protocol(protocol)
    for d in differences(conn, protocol, form, studies):
        f = form.get(d["field"])
        typed = {k: as_typed(f.type, v, d["derived"][k] or "entered") for k, v in d["values"].items()}
        out.append(Difference(d["study"], d["field"], d["arm"], d["label"], typed, d["text"], d["notes"], f.help))
    return out


def choose(conn: sqlite3.Connection, adjudicator: str, diff: Difference, text: str, note: str | None,
           tool: str = "extraction") -> dict[str, Any]:
    """Record the adjudicator's value for a difference (one transaction)."""
    protocol, studies = person_setup(conn, adjudicator, "adjudicator")
    with transaction(conn):
        if tool == "minors":
            from review.quality.minors import set_score

            return set_score(conn, protocol, studies, diff.study, int(diff.key), text, adjudicator, note=note)
        from review.extraction.reconcile import set_value

        return set_value(conn, protocol, Form.from_protocol(protocol), studies, diff.study, diff.key, text,
                         adjudicator, note=note, arm=diff.arm)
