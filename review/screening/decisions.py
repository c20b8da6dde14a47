"""Recording screening decisions: a reviewer's decide, an adjudicator's
resolve, undo, and where the full-text report is.

Every function takes a record id (any member of a duplicate group stands for
its unit), checks the person's role against the protocol, and writes one event
through review/db/events.py inside one transaction, so each decision is
committed before the call returns and a failed call changes nothing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from review.db import events as ev
from review.db import screening as sdb
from review.db import transaction, units
from review.errors import BadInput
from review.models import RESOLUTIONS, REVIEWER_DECISIONS, Event
from review.protocol import Protocol
from review.screening.state import Standing
from review.screening.view import StageView, stage_view


@dataclass(frozen=True)
class Recorded:
    """What a decide/resolve/undo wrote, and the person's standing it replaced."""

    event: Event
    unit_id: int
    replaced: Standing | None


def require_role(protocol: Protocol, name: str, role: str) -> None:
    """BadInput (exit 2) unless the protocol's [people] gives ``name`` this role."""
    people = protocol.people
    allowed = people.reviewers if role == "reviewer" else people.adjudicators
    if name in allowed:
        return
    listed = ", ".join(allowed) or "nobody"
    other = people.role_of(name)
    why = f"{name} is {'an ' + other if other == 'adjudicator' else 'a ' + other}" if other else \
        f"{name} is not in the protocol's [people]"
    raise BadInput(f"{why}; the protocol's {role}s are: {listed}")


def require_stage(protocol: Protocol, stage: str) -> None:
    if stage not in protocol.screening.stages:
        raise BadInput(f"unknown stage {stage!r} (the protocol's stages: {', '.join(protocol.screening.stages)})")


def require_open(conn: sqlite3.Connection, stage: str) -> None:
    """BadInput if an adjudicator closed the stage (``review stage close``)."""
    c = sdb.closures(conn).get(stage)
    if c is not None and c["action"] == "close":
        raise BadInput(f"{stage} was closed by {c['actor']} on {c['ts'][:10]}: nothing more can be decided"
                       f" there unless an adjudicator reopens it ('review stage reopen {stage}')")


def require_pack_owner(conn: sqlite3.Connection, actor: str, role: str) -> None:
    """In a pack file only its reviewer decides (and nobody resolves)."""
    pack = sdb.pack_info(conn)
    if pack is None:
        return
    if role != "reviewer" or actor != pack["reviewer"]:
        raise BadInput(f"this file is {pack['reviewer']}'s pack: only {pack['reviewer']} screens in it"
                       " (merge it into the project with 'review merge FILE')")


def _check_reason(protocol: Protocol, stage: str, decision: str, reason: str | None) -> str | None:
    reasons = protocol.screening.exclusion_reasons
    if decision != "exclude":
        if reason:
            raise BadInput("a reason goes with an exclusion only (use --note for other remarks)")
        return None
    if not reason:
        if stage == "full_text" and reasons:
            raise BadInput("an exclusion at full text needs a reason from the protocol's list: "
                           + "; ".join(f"{i}. {r}" for i, r in enumerate(reasons, 1)))
        return None
    if reason.isdigit() and 1 <= int(reason) <= len(reasons):
        return reasons[int(reason) - 1]
    if reason in reasons:
        return reason
    raise BadInput(f"reason {reason!r} is not in the protocol's list: "
                   + "; ".join(f"{i}. {r}" for i, r in enumerate(reasons, 1)))


def _eligible(view: StageView, unit_id: int, record_id: int) -> None:
    """BadInput unless the unit is screened at this stage."""
    why = view.ineligible.get(unit_id)
    if why:
        raise BadInput(f"record {record_id} is not screened at {view.stage}: {why}")


def decide(conn: sqlite3.Connection, protocol: Protocol, record_id: int, decision: str, *, reviewer: str,
           stage: str, reason: str | None = None, note: str | None = None, report: str | None = None) -> Recorded:
    """A reviewer's decision on a record's unit at a stage.

    Exclusion reasons come from the protocol's list (by text or number;
    required at full text); ``report`` (full text) records where the report is.
    """
    require_role(protocol, reviewer, "reviewer")
    require_stage(protocol, stage)
    allowed = REVIEWER_DECISIONS[stage]
    if decision not in allowed:
        raise BadInput(f"decision must be one of {', '.join(allowed)} at {stage}, not {decision!r}")
    reason = _check_reason(protocol, stage, decision, reason)
    if report is not None and stage != "full_text":
        raise BadInput("--report goes with the full-text stage")
    with transaction(conn):
        require_open(conn, stage)
        require_pack_owner(conn, reviewer, "reviewer")
        unit_id = units.unit_of(conn, record_id)
        view = stage_view(conn, protocol, stage, only=[unit_id])
        _eligible(view, unit_id, record_id)
        before = view.reviewers.get(unit_id, {}).get(reviewer)
        if report:
            ev.append_event(conn, reviewer, stage, unit_id, "report", record_id=record_id,
                            payload={"report": report})
        event = ev.append_event(conn, reviewer, stage, unit_id, "decision", record_id=record_id,
                                decision=decision, reason=reason, note=note)
    return Recorded(event, unit_id, before)


def resolve(conn: sqlite3.Connection, protocol: Protocol, record_id: int, decision: str, *, adjudicator: str,
            stage: str, reason: str | None = None, note: str | None = None) -> Recorded:
    """An adjudicator's resolution (include or exclude) of a unit at a stage."""
    require_role(protocol, adjudicator, "adjudicator")
    require_stage(protocol, stage)
    if decision not in RESOLUTIONS:
        raise BadInput(f"a resolution is include or exclude, not {decision!r}")
    reason = _check_reason(protocol, stage, decision, reason)
    with transaction(conn):
        require_open(conn, stage)
        require_pack_owner(conn, adjudicator, "adjudicator")
        unit_id = units.unit_of(conn, record_id)
        view = stage_view(conn, protocol, stage, allow_rule_excluded=True, only=[unit_id])
        _eligible(view, unit_id, record_id)
        before = view.resolutions.get(unit_id)
        event = ev.append_event(conn, adjudicator, stage, unit_id, "resolution", record_id=record_id,
                                decision=decision, reason=reason, note=note)
    return Recorded(event, unit_id, before)


def note(conn: sqlite3.Connection, protocol: Protocol, record_id: int, text: str, *, actor: str,
         stage: str) -> Recorded:
    """A reviewer's note on a record's unit at a stage, without a decision
    (blind like a decision: seen by its writer, and by the adjudicator once
    the unit is a conflict)."""
    require_role(protocol, actor, "reviewer")
    require_stage(protocol, stage)
    if not text.strip():
        raise BadInput("an empty note")
    with transaction(conn):
        require_open(conn, stage)
        require_pack_owner(conn, actor, "reviewer")
        unit_id = units.unit_of(conn, record_id)
        _eligible(stage_view(conn, protocol, stage, only=[unit_id]), unit_id, record_id)
        event = ev.append_event(conn, actor, stage, unit_id, "note", record_id=record_id, note=text.strip())
    return Recorded(event, unit_id, None)


def undo(conn: sqlite3.Connection, protocol: Protocol, actor: str, stage: str,
         record_id: int | None = None, *, role: str | None = None) -> Recorded:
    """Retract the actor's latest decision or resolution at ``stage`` (on the
    record's unit, or a unit it was made from, if given) that is still in force.

    ``role`` (reviewer or adjudicator), when given, must be the actor's role.
    """
    require_stage(protocol, stage)
    require_role(protocol, actor, role or protocol.people.role_of(actor) or "reviewer")
    kind = "resolution" if protocol.people.role_of(actor) == "adjudicator" else "decision"
    with transaction(conn):
        require_open(conn, stage)
        require_pack_owner(conn, actor, kind == "resolution" and "adjudicator" or "reviewer")
        unit_id = units.unit_of(conn, record_id) if record_id is not None else None
        scope = None
        if unit_id is not None:
            scope = sdb.with_ancestors([unit_id], sdb.lineage_above(conn, [unit_id]))
        target = sdb.latest_in_force(conn, stage, kind, actor, sdb.undone(conn), scope)
        if target is None:
            where = f" on record {record_id}" if record_id is not None else ""
            raise BadInput(f"nothing to undo: {actor} has no {kind} in force at {stage}{where}")
        current = units.unit_of(conn, target.record_id) if target.record_id is not None else target.unit_id
        event = ev.append_event(conn, actor, stage, target.unit_id, "undo", record_id=target.record_id,
                                supersedes=target.id)
    return Recorded(event, current, Standing(actor, target.decision, target.reason, target.note, target.id,
                                              target.ts, uid=target.uid))
