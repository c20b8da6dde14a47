"""MINORS scoring by two reviewers, blind, settled by the adjudicator.

Each reviewer scores every item of the protocol's MINORS (items 1-8, or
1-12 when ``[quality] comparative = true``) 0, 1 or 2 for each study, then
submits; the items both gave the same score are settled at once, the others
wait for the adjudicator (``differences``, ``set_score``). A reviewer sees
only their own scores until both have submitted. Rows are written through
review/db/events.py ``append_scores`` (tool 'MINORS', item 1-12; the submit
row is item 0), audited, one transaction per call: a refused score stores
nothing. Items and guidance: review.quality.items; agreement:
review.quality.agreement.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from review.db import events as ev
from review.db import transaction
from review.errors import BadInput
from review.extraction import dual
from review.extraction.dual import DualState, Row, Submitted, differing_by_study
from review.extraction.studies import Study, ensure_studies, find_study
from review.extraction.values import needed
from review.protocol import Protocol
from review.quality.items import ITEMS, TOOL, ideal_total, item, items_for


def applicable(protocol: Protocol) -> tuple[int, ...]:
    """The item numbers the protocol's MINORS scores."""
    return tuple(i.number for i in items_for(protocol.quality.comparative))


def states(conn: sqlite3.Connection, study_ids: Sequence[int] | None = None) -> dict[int, DualState]:
    rows: dict[int, list[Row]] = {}
    for s in ev.scores(conn, list(study_ids) if study_ids is not None else None):
        if s.tool != TOOL:
            continue
        value = s.supersedes if s.kind == "undo" else s.score
        rows.setdefault(s.study_id, []).append(Row(s.id, s.actor, s.item, s.kind, value, "entered", s.note, s.ts))
    return {sid: dual.build(r) for sid, r in rows.items()}


def _item_error(study: Study, number: int, message: str, where: str | None = None) -> BadInput:
    title = f" ({item(number).title})" if 1 <= number <= len(ITEMS) else ""
    return BadInput(f"study {study.label!r}, item {number}{title}: {message}", where=where)


def parse_score(study: Study, protocol: Protocol, number: int, raw: Any, where: str | None = None) -> int:
    """A score 0, 1 or 2 for an item the protocol scores; BadInput otherwise."""
    if number not in applicable(protocol):
        if 1 <= number <= len(ITEMS):
            raise _item_error(study, number, "the protocol's MINORS is for non-comparative studies "
                                             "([quality] comparative = false): items 9-12 do not apply", where)
        raise BadInput(f"study {study.label!r}: MINORS has items 1 to {len(ITEMS)}, not {number}", where=where)
    text = "" if raw is None else str(raw).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if text not in ("0", "1", "2"):
        raise _item_error(study, number, f"a score is 0, 1 or 2, got {text or 'nothing'!r}", where)
    return int(text)


def _require_open(protocol: Protocol, st: DualState, study: Study) -> None:
    if st.complete(needed(protocol)):
        raise BadInput(f"study {study.label!r}: MINORS submitted by {' and '.join(st.submitted)}; what differs is "
                       "settled by the adjudicator ('review minors reconcile')")


def score_rows(study: Study, current: dict, scores: dict[int, int], note: str | None = None) -> list[dict]:
    return [{"study_id": study.id, "tool": TOOL, "item": i, "kind": "entry", "score": s, "note": note}
            for i, s in sorted(scores.items()) if current.get(i) is None or current[i].value != s]


def set_scores(conn: sqlite3.Connection, protocol: Protocol, study: Study, reviewer: str,
               scores: dict[int, Any], *, note: str | None = None) -> list[int]:
    """Store a reviewer's scores (item -> 0/1/2) for a study; returns the items
    that changed. Call inside a transaction."""
    parsed = {i: parse_score(study, protocol, i, s) for i, s in scores.items()}
    st = states(conn, [study.id]).get(study.id, DualState())
    _require_open(protocol, st, study)
    rows = score_rows(study, st.entries.get(reviewer, {}), parsed, note)
    if rows:
        ev.append_scores(conn, rows, reviewer, "minors.entry", {"study": study.id, "items": len(rows)})
    return [r["item"] for r in rows]


def submit(conn: sqlite3.Connection, protocol: Protocol, study: Study, reviewer: str) -> Submitted:
    """Declare a study's MINORS done: every applicable item scored. Completing
    the study settles the items both reviewers scored alike. In a transaction."""
    st = states(conn, [study.id]).get(study.id, DualState())
    if st.is_submitted(reviewer):
        return Submitted(study, reviewer, st.complete(needed(protocol)))
    _require_open(protocol, st, study)
    own = st.entries.get(reviewer, {})
    missing = [i for i in applicable(protocol) if i not in own]
    if missing:
        raise BadInput(f"study {study.label!r}: cannot submit MINORS without item(s) "
                       f"{', '.join(map(str, missing))} ({'; '.join(item(i).title for i in missing)})")
    ev.append_scores(conn, [{"study_id": study.id, "tool": TOOL, "item": 0, "kind": "submit"}], reviewer,
                     "minors.submit", {"study": study.id})
    st = states(conn, [study.id])[study.id]
    if not st.complete(needed(protocol)):
        return Submitted(study, reviewer, False)
    agreed, differing = _compare(protocol, st)
    who = " and ".join(st.submitted)
    rows = [{"study_id": study.id, "tool": TOOL, "item": i, "kind": "reconciled",
             "score": None if rs[0] is None else rs[0].value, "note": f"agreed by {who}"}
            for i, rs in sorted(agreed.items())]
    if rows:
        ev.append_scores(conn, rows, reviewer, "minors.agreed", {"study": study.id, "items": len(rows)})
    return Submitted(study, reviewer, True, len(rows), len(differing))


def _compare(protocol: Protocol, st: DualState):
    return dual.compare(st, applicable(protocol), lambda _k, a, b: a == b, dual.own_value)


# ------------------------------------------------------------------ views
def own_scores(conn: sqlite3.Connection, study: Study, reviewer: str) -> tuple[dict[int, int], bool, list[str]]:
    """(the reviewer's scores, whether they submitted, who has submitted): all a reviewer may see."""
    st = states(conn, [study.id]).get(study.id, DualState())
    return ({i: r.value for i, r in st.entries.get(reviewer, {}).items()}, st.is_submitted(reviewer),
            st.submitted)


def differences(conn: sqlite3.Connection, protocol: Protocol, studies: list[Study]) -> list[dict]:
    """Items still scored differently, for the adjudicator: ``{"study", "item",
    "title", "scores": {REVIEWER: score}}``."""
    sts = states(conn, [s.id for s in studies])
    out = []
    for s, differing in differing_by_study(studies, sts, needed(protocol), lambda st: _compare(protocol, st)):
        for i, rows in sorted(differing.items()):
            out.append({"study": s.label, "item": i, "title": item(i).title,
                        "scores": {who: None if r is None else r.value for who, r in rows.items()},
                        "notes": {who: r.note for who, r in rows.items() if r is not None and r.note}})
    return out


def set_score(conn: sqlite3.Connection, protocol: Protocol, studies: list[Study], label: str, number: int,
              raw: Any, adjudicator: str, *, note: str | None = None) -> dict:
    """The adjudicator's score for an item of a study both reviewers submitted."""
    study = find_study(studies, label)
    score = parse_score(study, protocol, number, raw)
    st = states(conn, [study.id]).get(study.id, DualState())
    if not st.complete(needed(protocol)):
        waiting = [r for r in protocol.people.reviewers if r not in st.submitted]
        raise BadInput(f"study {study.label!r}: waiting for {', '.join(waiting) or 'a reviewer'} to submit MINORS")
    before = st.reconciled.get(number)
    _agreed, differing = _compare(protocol, st)
    ev.append_scores(conn, [{"study_id": study.id, "tool": TOOL, "item": number, "kind": "reconciled",
                             "score": score, "note": note}], adjudicator, "minors.reconcile",
                     {"study": study.id, "item": number})
    return {"study": study.label, "item": number, "score": score, "note": note, "adjudicator": adjudicator,
            "was_differing": number in differing, "replaced": None if before is None else before.value}


@dataclass
class Quality:
    """A study's settled MINORS: item -> score (None: not yet settled)."""

    study: Study
    scores: dict[int, int | None]
    status: str
    ideal: int

    @property
    def total(self) -> int | None:
        vals = list(self.scores.values())
        return None if any(v is None for v in vals) else sum(vals)


def settled_scores(conn: sqlite3.Connection, protocol: Protocol, studies: list[Study]) -> list[Quality]:
    sts = states(conn, [s.id for s in studies])
    out = []
    for s in studies:
        st = sts.get(s.id, DualState())
        done = st.complete(needed(protocol))
        status = "complete" if done else ("in progress" if st.started() else "not started")
        scores = {i: (st.reconciled[i].value if done and i in st.reconciled else None) for i in applicable(protocol)}
        out.append(Quality(s, scores, status, ideal_total(protocol.quality.comparative)))
    return out


def quality_table(conn: sqlite3.Connection, protocol: Protocol, studies: list[Study]
                  ) -> tuple[list[str], list[list[Any]]]:
    """The quality table: one row per study, settled item scores, total out of
    16 or 24 ('?' where not yet settled)."""
    items = applicable(protocol)
    header = ["study", *[f"item{i}" for i in items], "total", "out of", "status"]
    rows = []
    for q in settled_scores(conn, protocol, studies):
        rows.append([q.study.label, *["?" if q.scores[i] is None else q.scores[i] for i in items],
                     "?" if q.total is None else q.total, q.ideal,
                     "settled" if q.total is not None else
                     "waiting for the adjudicator" if q.status == "complete" else q.status])
    return header, rows


# ------------------------------------------------------------------ import
def import_scores(conn: sqlite3.Connection, protocol: Protocol, path: str | Path, reviewer: str, *,
                  submit_all: bool = True) -> dict:
    """Import a reviewer's MINORS table (columns study, item1 ... item12; blank
    where an item does not apply): all of it or nothing, BadInput naming the line."""
    from review.extraction.spreadsheet import read_sheet
    from review.screening.decisions import require_role

    require_role(protocol, reviewer, "reviewer")
    sheet = read_sheet(path)
    low = {c.lower().replace(" ", ""): c for c in sheet.columns}
    if "study" not in low:
        raise BadInput("no 'study' column (the study labels of 'review studies')", where=f"{sheet.path}:1")
    item_cols = {i: low[f"item{i}"] for i in range(1, len(ITEMS) + 1) if f"item{i}" in low}
    if not item_cols:
        raise BadInput("no item columns (item1 ... item12)", where=f"{sheet.path}:1")
    missing = [i for i in applicable(protocol) if i not in item_cols]
    if missing:
        raise BadInput(f"no column for item(s) {', '.join(map(str, missing))}", where=f"{sheet.path}:1")
    scored = 0
    with transaction(conn):
        studies = ensure_studies(conn, protocol, reviewer)
        sts = states(conn, [s.id for s in studies])
        seen: dict[int, int] = {}
        plan = []
        for k, row in enumerate(sheet.rows):
            where = sheet.where(k)
            try:
                study = find_study(studies, row[low["study"]].strip())
            except BadInput as exc:
                raise BadInput(str(exc), where=where) from None
            if study.id in seen:
                raise BadInput(f"study {study.label!r} is on line {seen[study.id]} already", where=where)
            seen[study.id] = sheet.lines[k]
            st = sts.get(study.id, DualState())
            try:
                _require_open(protocol, st, study)
            except BadInput as exc:
                raise BadInput(str(exc), where=where) from None
            scores = {}
            for i, col in item_cols.items():
                text = row[col].strip()
                if text:
                    scores[i] = parse_score(study, protocol, i, text, where)
                elif i in applicable(protocol):
                    raise _item_error(study, i, "no score: give 0, 1 or 2 (blank only where an item does not "
                                                "apply)", where)
            plan.append((study, score_rows(study, st.entries.get(reviewer, {}), scores)))
        rows = [r for _, rs in plan for r in rs]
        if rows:
            ev.append_scores(conn, rows, reviewer, "minors.import", {"file": Path(path).name})
        scored = len(rows)
        complete = []
        if submit_all:
            for study, _ in plan:
                if submit(conn, protocol, study, reviewer).complete:
                    complete.append(study.label)
    return {"reviewer": reviewer, "studies": sorted(s.label for s, _ in plan), "scores": scored,
            "submitted": submit_all, "complete": sorted(complete)}
