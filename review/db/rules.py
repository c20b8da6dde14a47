"""What the automatic rules read of the records, in bulk (read-only).

The rules' events are written through review/db/events.py like every other
event; the events in force are read through review/db/screening.py.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterator

# The columns ``unit_facts`` returns, in order.
FACT_COLUMNS = ("unit_id", "record_id", "source", "source_ref", "title", "translated_title", "year", "language",
                "publication_types", "mesh", "reference_type", "thesis_type", "cnki_database", "entry_type")


def unit_facts(conn: sqlite3.Connection, *, mesh: bool = False) -> list[tuple]:
    """One row per record of every active unit (``FACT_COLUMNS``), by unit then
    record: what the rules judge. ``publication_types`` and ``mesh`` are JSON
    lists (``mesh`` '[]' unless asked for); the others are the record's columns
    and the fields the parsers keep in ``raw``."""
    cur = conn.cursor()
    cur.row_factory = None
    try:
        return cur.execute(
            "SELECT m.unit_id, r.id, r.source, r.source_ref, r.title,"
            " COALESCE(json_extract(r.raw, '$.translated_title'), ''), r.year, r.language, r.publication_types,"
            f" {'r.mesh' if mesh else chr(39) + '[]' + chr(39)},"
            " COALESCE(json_extract(r.raw, '$.type'), ''), COALESCE(json_extract(r.raw, '$.thesis_type'), ''),"
            " COALESCE(json_extract(r.raw, '$.cnki_database'), ''), COALESCE(json_extract(r.raw, '$.entrytype'), '')"
            " FROM unit_members m JOIN records r ON r.id = m.record_id ORDER BY m.unit_id, r.id").fetchall()
    finally:
        cur.close()


def prisma_kinds(conn: sqlite3.Connection) -> dict[int, str]:
    """Rule event id -> the PRISMA box its payload names ('automatic' when it names none)."""
    cur = conn.cursor()
    cur.row_factory = None
    try:
        return dict(cur.execute(
            "SELECT id, COALESCE(json_extract(payload, '$.prisma'), 'automatic') FROM events"
            " WHERE stage = 'automation' AND kind = 'rule'").fetchall())
    finally:
        cur.close()


@contextmanager
def rolled_back(conn: sqlite3.Connection, *, write: bool = False) -> Iterator[sqlite3.Connection]:
    """A transaction that is always rolled back: a dry run reads a consistent
    project, and what it must write to work things out (the protocol's metrics
    file) is never kept. ``write``: take the write lock at the start (as
    review.db.transaction does), so a write half-way cannot fail on a busy project."""
    conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    try:
        yield conn
    finally:
        conn.execute("ROLLBACK")
