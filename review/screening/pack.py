"""Screening on another machine: ``pack`` writes what one reviewer needs into
a self-contained project file; ``merge`` brings their work back.

A pack holds the protocol, the records (with provenance), duplicate groups
and units, the automatic rules' events and the reviewer's own events, and
the units they screen at each stage as they stood when packed (full-text
eligibility depends on the other reviewer's decisions, which stay home).
Nothing of any other person: no decisions, notes, counts or audit entries.
The reviewer screens in it as in the project (``review --db FILE queue``,
``decide``, ``undo``, the screen); only they can.

``merge`` adds the pack's events that the project lacks (by event ``uid``):
merging again adds nothing, and the state does not depend on the order packs
are merged in (standings are the latest by time, then uid). A decision the
reviewer made on a unit both in the project and in the pack is kept twice,
with a notice; the later is in force. Events on units that deduplication
has since merged or split count through the units' lineage (inherited, or
flagged for a second look), with a notice. Both are in the audit log.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from review.clock import now
from review.db import audit, open_db, transaction
from review.db import events as ev
from review.db import screening as sdb
from review.errors import BadInput
from review.protocol import Protocol
from review.screening.decisions import require_open, require_role
from review.screening.view import stage_view

PERSON_KINDS = ("decision", "report", "note", "undo")


@dataclass(frozen=True)
class Packed:
    file: Path
    reviewer: str
    uid: str
    units: dict[str, int]
    events: int


@dataclass
class Merged:
    reviewer: str
    pack_uid: str
    added: int = 0
    already: int = 0
    notices: list[str] = field(default_factory=list)


def pack(conn: sqlite3.Connection, db_path: Path, protocol: Protocol, reviewer: str, file: Path,
         actor: str) -> Packed:
    """Write ``reviewer``'s pack to ``file`` (which must not exist)."""
    require_role(protocol, reviewer, "reviewer")
    if sdb.pack_info(conn) is not None:
        raise BadInput("this is already a pack file: packs are written from the project database")
    file = Path(file)
    if file.exists():
        raise BadInput(f"{file} exists: merge it first ('review merge {file}') or choose another name; "
                       "a pack is never overwritten (it may hold decisions not merged yet)")
    if not file.parent.is_dir():
        raise BadInput(f"no folder {file.parent} for the pack")
    scopes = {s: set(stage_view(conn, protocol, s).units) for s in protocol.screening.stages}
    mine = [e for e in sdb.all_events(conn)
            if e.stage == "automation" or (e.actor == reviewer and e.kind in PERSON_KINDS)]
    kept = {e.id for e in mine}
    mine = [e for e in mine if e.kind != "undo" or e.supersedes in kept]
    uid = ev.new_uid()
    info = {"uid": uid, "reviewer": reviewer, "packed_at": now(), "packed_by": actor,
            "source": {"protocol_id": protocol.id, "created_at": sdb.project_value(conn, "created_at"),
                       "db": str(Path(db_path).resolve())},
            "max_unit": sdb.max_id(conn, "units"),
            "units": {s: len(u) for s, u in scopes.items()}}
    tmp = file.with_name(f".{file.name}.{uid[:8]}.tmp")
    target = open_db(tmp, create=True)
    try:
        sdb.attach(target, str(db_path))
        try:
            with transaction(target):
                sdb.copy_for_pack(target, scopes)
                sdb.set_project_value(target, "pack", json.dumps(info, sort_keys=True))
                copy_events(target, mine, {}, actor, "pack.copy", {"pack": uid})
                audit.log(target, actor, "pack.create", f"reviewer:{reviewer}",
                          {"pack": uid, "units": info["units"], "events": len(mine)})
        finally:
            sdb.detach(target)
    except BaseException:
        target.close()
        _remove(tmp)
        raise
    target.close()
    try:
        with transaction(conn):
            audit.log(conn, actor, "pack", f"reviewer:{reviewer}",
                      {"pack": uid, "file": str(file), "units": info["units"], "events": len(mine)})
            os.replace(tmp, file)
    except BaseException:
        _remove(tmp)
        raise
    return Packed(file, reviewer, uid, info["units"], len(mine))


def copy_events(conn: sqlite3.Connection, events: list, new_ids: dict[int, int], actor: str, action: str,
                details: dict, origin: str | None = None) -> dict[int, int]:
    """Append ``events`` (from another database) keeping their uid, time and
    content, with one audit entry; ``new_ids`` maps their ids to ids here (an
    undo names the id here of the event it retracts) and is returned grown.

    The ids are known before writing: inside the write transaction SQLite
    gives each new row the largest id so far plus one (checked after)."""
    top = sdb.max_id(conn, "events")
    planned = dict(new_ids)
    planned.update({e.id: top + k for k, e in enumerate(events, 1)})
    got = ev.append_events(conn, [_row(e, planned, origin) for e in events], actor, action, details)
    if got != [planned[e.id] for e in events]:
        raise RuntimeError("event ids were not assigned in order; nothing copied")
    new_ids.update(planned)
    return new_ids


def _row(e, new_ids: dict[int, int], origin: str | None) -> dict:
    return {"actor": e.actor, "stage": e.stage, "unit_id": e.unit_id, "kind": e.kind, "record_id": e.record_id,
            "decision": e.decision, "reason": e.reason, "note": e.note, "payload": e.payload,
            "supersedes": new_ids[e.supersedes] if e.supersedes is not None else None,
            "uid": e.uid, "ts": e.ts, "origin": origin or e.origin}


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass


def merge(conn: sqlite3.Connection, protocol: Protocol, file: Path, actor: str) -> Merged:
    """Bring a pack's new events into the project (see the module docstring).
    Checks everything first: a bad pack changes nothing."""
    if protocol.people.role_of(actor) is None:
        require_role(protocol, actor, "reviewer")
    if sdb.pack_info(conn) is not None:
        raise BadInput("packs are merged into the project database, not into another pack")
    file = Path(file)
    if not file.is_file():
        raise BadInput(f"no pack file {file}")
    pconn = open_db(file)
    try:
        info = sdb.pack_info(pconn)
        if info is None:
            raise BadInput(f"{file} is not a pack (write one with 'review pack --reviewer NAME FILE')")
        src = info["source"]
        if src["protocol_id"] != protocol.id or src["created_at"] != sdb.project_value(conn, "created_at"):
            raise BadInput(f"{file} was packed from another project ({src['protocol_id']}, created "
                           f"{src['created_at']}; packed from {src['db']})")
        chain = ev.verify_chain(pconn, "events")
        if not chain.ok:
            raise BadInput(f"{file}: its events were changed outside review (row {chain.first_bad_id}: "
                           f"{chain.problem}); nothing merged")
        events = sdb.all_events(pconn)
    finally:
        pconn.close()
    reviewer = info["reviewer"]
    require_role(protocol, reviewer, "reviewer")
    out = Merged(reviewer, info["uid"])
    with transaction(conn):
        known = sdb.event_ids_by_uid(conn, [e.uid for e in events])
        by_pack_id = {e.id: e for e in events}
        new = [e for e in events if e.uid not in known]
        out.already = len(events) - len(new)
        ids = {e.id: known[e.uid] for e in events if e.uid in known}
        _check(conn, protocol, info, reviewer, new, by_pack_id, file)
        out.notices = _notices(conn, reviewer, new, events)
        details = {"file": str(file), "pack": info["uid"], "reviewer": reviewer, "added": len(new),
                   "already": out.already, "notices": len(out.notices)}
        if new:
            copy_events(conn, new, ids, actor, "merge", details, origin=f"pack:{info['uid']}")
        else:
            audit.log(conn, actor, "merge", f"reviewer:{reviewer}", details)
        out.added = len(new)
    return out


def _check(conn: sqlite3.Connection, protocol: Protocol, info: dict, reviewer: str, new: list,
           by_pack_id: dict, file: Path) -> None:
    stages = set(protocol.screening.stages)
    checked_stage: set[str] = set()
    for e in new:
        where = f"{file}: event {e.id}"
        if e.actor != reviewer or e.kind not in PERSON_KINDS or e.stage not in stages:
            raise BadInput(f"{where} is not {reviewer}'s screening ({e.actor}, {e.stage}, {e.kind}): "
                           "a pack brings back its reviewer's decisions only; nothing merged")
        if e.unit_id > info["max_unit"] or not sdb.unit_exists(conn, e.unit_id):
            raise BadInput(f"{where} is on unit {e.unit_id}, which the pack did not carry (was the pack "
                           "deduplicated or imported into?); nothing merged")
        if e.record_id is not None and not sdb.record_exists(conn, e.record_id):
            raise BadInput(f"{where} names record {e.record_id}, unknown here; nothing merged")
        if e.kind == "undo" and e.supersedes not in by_pack_id:
            raise BadInput(f"{where} retracts an event the pack does not hold; nothing merged")
        if e.stage not in checked_stage:
            require_open(conn, e.stage)
            checked_stage.add(e.stage)


def _notices(conn: sqlite3.Connection, reviewer: str, new: list, events: list) -> list[str]:
    """Say where a new decision meets one the reviewer made here on the same
    unit, or lands on a unit deduplication has since merged or split (never
    what was decided: whoever merges may be the other reviewer)."""
    undone_in_pack = {e.supersedes for e in events if e.kind == "undo"}
    in_pack = {e.uid for e in events}
    done = sdb.undone(conn)
    active = sdb.active_units(conn, {e.unit_id for e in new})
    out = []
    for e in new:
        if e.kind != "decision" or e.id in undone_in_pack:
            continue
        here = [h for h in sdb.stage_events(conn, e.stage, ("decision",), unit_ids=[e.unit_id], actor=reviewer)
                if h.uid not in in_pack and h.id not in done]
        label = f"record {e.record_id}" if e.record_id is not None else f"unit {e.unit_id}"
        if here:
            later = "the pack's" if e.ts >= max(h.ts for h in here) else "the project's"
            out.append(f"{label} ({e.stage}): {reviewer} decided it both here ({here[-1].ts[:16]}) and in the "
                       f"pack ({e.ts[:16]}); both are kept, {later} (the later) is in force")
        if e.unit_id not in active:
            out.append(f"{label} ({e.stage}): deduplication has merged or split this unit since the pack was "
                       f"written; {reviewer}'s decision carries to the unit(s) it became (merged copies that "
                       "disagree go to the adjudicator; a split asks for a second look)")
    return out
