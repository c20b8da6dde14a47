"""The one module that writes what people and rules decide (schema: m0005).

Four append-only tables, each row chained to the previous one of its table by
SHA-256 (like the audit log), with the chain's head kept in ``project``:

- ``events``            screening decisions, resolutions, rule exclusions and
                        flags, report locations, notes, undos;
- ``extraction_values`` reviewers' entries and submissions, reconciled values;
- ``quality_scores``    the same for the quality tool (MINORS);
- ``study_links``       which study each report (unit) belongs to.

Each write is also an audit-log entry naming the row and its hash (one entry
per batch for bulk writes), so a row changed outside review breaks its chain
and no longer matches the audit log. The vocabulary is review.models (Stage,
EventKind, Decision, ValueKind); the CHECK constraints of m0005 hold it too,
and the checks here say in words what is wrong before SQLite would.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any, Iterable, Sequence

from review.clock import now
from review.db import audit, chain
from review.errors import BadInput
from review.models import Decision, Event, EventKind, Score, Stage, Value, ValueKind

def _insert(conn: sqlite3.Connection, table: str, rows: list[dict]) -> list[tuple[int, str]]:
    return chain.append(conn, table, rows)


def new_uid() -> str:
    return uuid.uuid4().hex


# ------------------------------------------------------------------ events
_STAGES = tuple(s.value for s in Stage)
_KINDS = frozenset(k.value for k in EventKind)
_DECISIONS = frozenset(d.value for d in Decision)


def _check_event(e: dict) -> None:
    stage, kind, decision = e["stage"], e["kind"], e.get("decision")
    if stage not in _STAGES:
        raise BadInput(f"unknown stage {stage!r} (stages: {', '.join(_STAGES)})")
    if kind not in _KINDS:
        raise BadInput(f"unknown event kind {kind!r}")
    if decision is not None and decision not in _DECISIONS:
        raise BadInput(f"unknown decision {decision!r}")
    if kind == "undo" and e.get("supersedes") is None:
        raise BadInput("an undo must name the event it retracts")
    if kind in ("decision", "resolution", "rule") and decision is None:
        raise BadInput(f"a {kind} needs a decision")
    if kind not in ("decision", "resolution", "rule") and decision is not None:
        raise BadInput(f"a {kind} event carries no decision")
    if kind == "resolution" and decision not in ("include", "exclude"):
        raise BadInput("a resolution is include or exclude")
    if kind in ("rule", "flag") and (stage != "automation" or not e.get("reason")):
        raise BadInput(f"a {kind} event belongs to the automation stage and names its rule")
    if kind == "rule" and decision != "exclude":
        raise BadInput("a rule can only exclude")
    if stage == "automation" and kind not in ("rule", "flag", "undo", "note"):
        raise BadInput(f"people do not decide at the automation stage ({kind})")
    if decision == "not_retrieved" and stage != "full_text":
        raise BadInput("'not retrieved' belongs to the full-text stage")


def _event_row(actor: str, stage: str, unit_id: int, kind: str, *, record_id: int | None = None,
               decision: str | None = None, reason: str | None = None, note: str | None = None,
               payload: dict | None = None, supersedes: int | None = None, uid: str | None = None,
               ts: str | None = None, origin: str = "local") -> dict:
    row = {
        "uid": uid or new_uid(), "ts": ts or now(), "actor": actor, "stage": stage, "unit_id": unit_id,
        "record_id": record_id, "kind": kind, "decision": decision, "reason": reason or None,
        "note": note or None, "payload": json.dumps(payload or {}, ensure_ascii=False, sort_keys=True),
        "supersedes": supersedes, "origin": origin,
    }
    _check_event(row)
    return row


def append_event(conn: sqlite3.Connection, actor: str, stage: str, unit_id: int, kind: str, *,
                 audit_action: str | None = None, **kw: Any) -> Event:
    """Append one event (and its audit entry); returns it. Call inside a transaction."""
    row = _event_row(actor, stage, unit_id, kind, **kw)
    (eid, h), = _insert(conn, "events", [row])
    details = {"event": eid, "uid": row["uid"], "hash": h, "record": row["record_id"], "supersedes": row["supersedes"]}
    if kind != "decision":  # a reviewer's decision is blind (everyone reads the log): the hash stands for it
        details |= {"decision": row["decision"], "reason": row["reason"]}
    audit.log(conn, actor, audit_action or f"{stage}.{kind}", f"unit:{unit_id}", details)
    return _event(dict(row, id=eid))


def append_events(conn: sqlite3.Connection, rows: Iterable[dict], actor: str, audit_action: str,
                  details: dict | None = None) -> list[int]:
    """Append many events (rows: keyword arguments of ``append_event`` with
    ``stage``, ``unit_id``, ``kind``) with ONE audit entry for the batch."""
    built = [_event_row(r.get("actor", actor), r["stage"], r["unit_id"], r["kind"],
                        **{k: v for k, v in r.items() if k not in ("actor", "stage", "unit_id", "kind")})
             for r in rows]
    done = _insert(conn, "events", built)
    if done:
        audit.log(conn, actor, audit_action, f"events:{done[0][0]}-{done[-1][0]}",
                  {**(details or {}), "events": len(done), "first": done[0][0], "last": done[-1][0],
                   "last_hash": done[-1][1]})
    return [eid for eid, _ in done]


def _event(d: dict) -> Event:
    payload = d.get("payload") or "{}"
    return Event(id=d["id"], uid=d["uid"], ts=d["ts"], actor=d["actor"], stage=d["stage"], unit_id=d["unit_id"],
                 record_id=d["record_id"], kind=d["kind"], decision=d["decision"], reason=d["reason"],
                 note=d["note"], payload=json.loads(payload) if isinstance(payload, str) else payload,
                 supersedes=d["supersedes"], origin=d["origin"])


def events(conn: sqlite3.Connection, *, stage: str | None = None, kinds: Sequence[str] | None = None,
           actor: str | None = None, unit_ids: Sequence[int] | None = None) -> list[Event]:
    """Events in the order they were written, filtered."""
    where, params = [], []
    if stage is not None:
        where.append("stage = ?")
        params.append(stage)
    if kinds:
        where.append(f"kind IN ({','.join('?' * len(kinds))})")
        params.extend(kinds)
    if actor is not None:
        where.append("actor = ?")
        params.append(actor)
    if unit_ids is not None:
        where.append(f"unit_id IN ({','.join('?' * len(unit_ids))})")
        params.extend(unit_ids)
    sql = "SELECT * FROM events" + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY id"
    return [_event(dict(r)) for r in conn.execute(sql, params)]


def get_event(conn: sqlite3.Connection, event_id: int) -> Event | None:
    r = conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
    return _event(dict(r)) if r else None


def undone(conn: sqlite3.Connection, table: str = "events") -> set[int]:
    """Ids of rows an undo row retracts."""
    return {r[0] for r in conn.execute(f"SELECT supersedes FROM {table} WHERE kind = 'undo'")}


def known_uids(conn: sqlite3.Connection, table: str = "events") -> set[str]:
    return {r[0] for r in conn.execute(f"SELECT uid FROM {table}")}


# ------------------------------------------------------------ studies
def create_study(conn: sqlite3.Connection, label: str, actor: str) -> int:
    """A new study; its label must be unique. Call inside a transaction."""
    label = label.strip()
    if not label:
        raise BadInput("a study needs a label")
    if conn.execute("SELECT 1 FROM studies WHERE label = ?", (label,)).fetchone():
        raise BadInput(f"there is already a study labelled {label!r}")
    sid = conn.execute("INSERT INTO studies (label, created_at, actor) VALUES (?, ?, ?)",
                       (label, now(), actor)).lastrowid
    audit.log(conn, actor, "study.create", f"study:{sid}", {"label": label})
    return sid


def link_report(conn: sqlite3.Connection, unit_id: int, study_id: int | None, actor: str) -> int:
    """Record that the report ``unit_id`` belongs to ``study_id`` (None: to no study)."""
    (lid, h), = _insert(conn, "study_links", [{"ts": now(), "actor": actor, "unit_id": unit_id,
                                               "study_id": study_id}])
    audit.log(conn, actor, "study.link", f"unit:{unit_id}", {"study": study_id, "link": lid, "hash": h})
    return lid


def study_links(conn: sqlite3.Connection) -> dict[int, int | None]:
    """unit id -> study id, the latest link of each unit that was ever linked."""
    out: dict[int, int | None] = {}
    for unit_id, study_id in conn.execute("SELECT unit_id, study_id FROM study_links ORDER BY id"):
        out[unit_id] = study_id
    return out


def studies(conn: sqlite3.Connection) -> dict[int, str]:
    """study id -> label."""
    return dict(conn.execute("SELECT id, label FROM studies ORDER BY id").fetchall())


# ------------------------------------------- extraction values and scores
def _check_value_kind(kind: str) -> None:
    if kind not in [k.value for k in ValueKind]:
        raise BadInput(f"unknown value kind {kind!r}")


def append_values(conn: sqlite3.Connection, rows: Iterable[dict], actor: str, audit_action: str,
                  details: dict | None = None) -> list[int]:
    """Append extraction rows (keys: study_id, field, kind, value (JSON text or
    None for NA), arm, derived, note, supersedes) with one audit entry."""
    built = []
    for r in rows:
        _check_value_kind(r["kind"])
        built.append({
            "uid": r.get("uid") or new_uid(), "ts": r.get("ts") or now(), "actor": r.get("actor", actor),
            "study_id": r["study_id"], "arm": r.get("arm", ""), "field": r["field"], "kind": r["kind"],
            "value": r.get("value"), "derived": r.get("derived", "entered"),
            "settled": 1 if r["kind"] == "reconciled" else 0, "note": r.get("note"),
            "supersedes": r.get("supersedes"), "origin": r.get("origin", "local"),
        })
    done = _insert(conn, "extraction_values", built)
    if done:
        audit.log(conn, actor, audit_action, f"extraction:{done[0][0]}-{done[-1][0]}",
                  {**(details or {}), "rows": len(done), "last_hash": done[-1][1]})
    return [i for i, _ in done]


def append_scores(conn: sqlite3.Connection, rows: Iterable[dict], actor: str, audit_action: str,
                  details: dict | None = None) -> list[int]:
    """Append quality rows (keys: study_id, tool, item, kind, score, note, supersedes)."""
    built = []
    for r in rows:
        _check_value_kind(r["kind"])
        built.append({
            "uid": r.get("uid") or new_uid(), "ts": r.get("ts") or now(), "actor": r.get("actor", actor),
            "study_id": r["study_id"], "tool": r["tool"], "item": r["item"], "kind": r["kind"],
            "score": r.get("score"), "settled": 1 if r["kind"] == "reconciled" else 0, "note": r.get("note"),
            "supersedes": r.get("supersedes"), "origin": r.get("origin", "local"),
        })
    done = _insert(conn, "quality_scores", built)
    if done:
        audit.log(conn, actor, audit_action, f"quality:{done[0][0]}-{done[-1][0]}",
                  {**(details or {}), "rows": len(done), "last_hash": done[-1][1]})
    return [i for i, _ in done]


def _study_rows(conn: sqlite3.Connection, table: str, study_ids: Sequence[int] | None) -> list[dict]:
    sql, params = f"SELECT * FROM {table}", []
    if study_ids is not None:
        sql += f" WHERE study_id IN ({','.join('?' * len(study_ids))})"
        params = list(study_ids)
    drop = ("prev_hash", "hash", "origin")
    return [{k: (bool(r[k]) if k == "settled" else r[k]) for k in r.keys() if k not in drop}
            for r in conn.execute(sql + " ORDER BY id", params)]


def values(conn: sqlite3.Connection, study_ids: Sequence[int] | None = None) -> list[Value]:
    """Extraction rows in the order written (optionally of some studies)."""
    return [Value(**r) for r in _study_rows(conn, "extraction_values", study_ids)]


def scores(conn: sqlite3.Connection, study_ids: Sequence[int] | None = None) -> list[Score]:
    """Quality rows in the order written (optionally of some studies)."""
    return [Score(**r) for r in _study_rows(conn, "quality_scores", study_ids)]


# ------------------------------------------------------------ verification
ChainCheck = chain.ChainCheck


def verify_chain(conn: sqlite3.Connection, table: str) -> ChainCheck:
    """Recompute a table's hash chain (review/db/chain.py)."""
    return chain.verify(conn, table)
