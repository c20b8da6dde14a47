"""Reads and the one change of studies that review/db/events.py does not
hold: a study's label can be changed (the label is a name for people; the
study's id is what values and links refer to). Every rename is audited with
the old and new label."""

from __future__ import annotations

import sqlite3

from review.db import audit
from review.errors import BadInput


def study_rows(conn: sqlite3.Connection) -> list[dict]:
    """Every study: id, label, created_at, actor (who created it), by id."""
    return [dict(r) for r in conn.execute("SELECT id, label, created_at, actor FROM studies ORDER BY id")]


def rename_study(conn: sqlite3.Connection, study_id: int, label: str, actor: str) -> str:
    """Give a study a new (unique) label; returns the old one. Call inside a transaction."""
    label = label.strip()
    if not label:
        raise BadInput("a study needs a label")
    row = conn.execute("SELECT label FROM studies WHERE id = ?", (study_id,)).fetchone()
    if row is None:
        raise BadInput(f"no study {study_id}")
    old = row[0]
    if old == label:
        return old
    if conn.execute("SELECT 1 FROM studies WHERE label = ? AND id != ?", (label, study_id)).fetchone():
        raise BadInput(f"there is already a study labelled {label!r}")
    conn.execute("UPDATE studies SET label = ? WHERE id = ?", (label, study_id))
    audit.log(conn, actor, "study.rename", f"study:{study_id}", {"from": old, "to": label})
    return old
