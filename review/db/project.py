"""The project table (protocol, settings, chain heads) and the people table."""

from __future__ import annotations

import sqlite3
from typing import Sequence


def settings(conn: sqlite3.Connection) -> dict[str, str]:
    """Every key/value of the project table."""
    return dict(conn.execute("SELECT key, value FROM project").fetchall())


def setting(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM project WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def put_settings(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    """Insert or replace project settings (call inside a transaction)."""
    conn.executemany(
        "INSERT INTO project (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        list(values.items()))


def put_people(conn: sqlite3.Connection, reviewers: Sequence[str], adjudicators: Sequence[str]) -> None:
    """Replace the people table with the protocol's [people]."""
    conn.execute("DELETE FROM people")
    conn.executemany("INSERT INTO people (name, role) VALUES (?, ?)",
                     [(n, "reviewer") for n in reviewers] + [(n, "adjudicator") for n in adjudicators])


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts the status report shows."""
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "extraction_studies": one("SELECT COUNT(DISTINCT study_id) FROM extraction_values"),
        "extraction_values": one("SELECT COUNT(*) FROM extraction_values WHERE kind = 'entry'"),
        "quality_studies": one("SELECT COUNT(DISTINCT study_id) FROM quality_scores"),
        "audit_entries": one("SELECT COUNT(*) FROM audit_log"),
    }
