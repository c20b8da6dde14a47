"""Journal metrics in the database: imports, journals, their ISSNs, metric
values and the OpenAlex cache.

The only module that writes the ``journal_*`` tables and ``openalex_cache``.
Writers are called inside the caller's transaction; readers return plain rows
in bulk (a handful of queries, never one per record) for the matcher.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Iterable, Sequence

from review import __version__
from review.clock import now
from review.journals.model import JournalEntry
from review.journals.names import title_key


def import_by_sha(conn: sqlite3.Connection, sha256: str) -> sqlite3.Row | None:
    """The earlier import of a file with these exact bytes, if any."""
    return conn.execute("SELECT * FROM journal_imports WHERE sha256 = ?", (sha256,)).fetchone()


def add_import(conn: sqlite3.Connection, *, file: str, sha256: str | None, format: str, kind: str,
               years: Sequence[int], rows: int, actor: str, details: dict | None = None) -> int:
    cur = conn.execute(
        "INSERT INTO journal_imports (file, sha256, format, kind, years, rows, imported_at, actor,"
        " tool_version, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (file, sha256, format, kind, json.dumps(sorted(years)), rows, now(), actor, __version__,
         json.dumps(details or {}, ensure_ascii=False)),
    )
    return cur.lastrowid


def store_entries(conn: sqlite3.Connection, import_id: int, entries: Iterable[JournalEntry]) -> tuple[int, int, int]:
    """Store journals and their metric values under one import.

    Returns (journals named, journals new to the project, metric values added).
    A journal already known (same title key and ISSNs) gets the new values;
    an abbreviation or NLM id it lacked is filled in.
    """
    known = dict(conn.execute("SELECT identity, id FROM journals").fetchall())
    ts = now()
    named = new = added = 0
    issn_rows, metric_rows = [], []
    for e in entries:
        named += 1
        ident = e.identity
        jid = known.get(ident)
        if jid is None:
            jid = conn.execute(
                "INSERT INTO journals (identity, title, title_key, abbrev, nlm_id, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (ident, e.title, title_key(e.title), e.abbrev, e.nlm_id, ts),
            ).lastrowid
            known[ident] = jid
            new += 1
        elif e.abbrev or e.nlm_id:
            conn.execute(
                "UPDATE journals SET abbrev = CASE WHEN abbrev = '' THEN ? ELSE abbrev END,"
                " nlm_id = CASE WHEN nlm_id = '' THEN ? ELSE nlm_id END WHERE id = ?",
                (e.abbrev, e.nlm_id, jid),
            )
        issn_rows += [(jid, issn, role) for issn, role in e.issns]
        metric_rows += [(jid, import_id, m.kind, m.year, m.value, m.qualifier, m.raw, m.line)
                        for m in e.metrics]
    conn.executemany("INSERT OR IGNORE INTO journal_issns (journal_id, issn, role) VALUES (?, ?, ?)",
                     issn_rows)
    for row in metric_rows:
        cur = conn.execute(
            "INSERT OR IGNORE INTO journal_metrics (journal_id, import_id, kind, year, value,"
            " qualifier, raw, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
        added += cur.rowcount
    return named, new, added


def finish_import(conn: sqlite3.Connection, import_id: int, *, journals: int, metrics: int) -> None:
    conn.execute("UPDATE journal_imports SET journals = ?, metrics = ? WHERE id = ?",
                 (journals, metrics, import_id))


# -- bulk readers for the matcher -----------------------------------------------------


def _tuples(conn: sqlite3.Connection, sql: str) -> list[tuple]:
    """All rows as plain tuples (no sqlite3.Row objects: several times faster in bulk)."""
    cur = conn.cursor()
    cur.row_factory = None
    try:
        return cur.execute(sql).fetchall()
    finally:
        cur.close()


def journal_rows(conn: sqlite3.Connection) -> list[tuple]:
    """(id, title, title_key, abbrev, nlm_id) of every journal."""
    return _tuples(conn, "SELECT id, title, title_key, abbrev, nlm_id FROM journals")


def issn_rows(conn: sqlite3.Connection) -> list[tuple]:
    """(journal_id, issn) pairs."""
    return _tuples(conn, "SELECT journal_id, issn FROM journal_issns")


def metric_rows(conn: sqlite3.Connection) -> list[tuple]:
    """(journal_id, kind, year, value, qualifier, import_id, file, line, raw) of every value."""
    return _tuples(
        conn, "SELECT m.journal_id, m.kind, m.year, m.value, m.qualifier, m.import_id, i.file, m.line, m.raw"
              " FROM journal_metrics m JOIN journal_imports i ON i.id = m.import_id")


RECORD_FIELDS = ("issn_print", "issn_electronic", "issn_linking", "nlm_id", "journal", "journal_abbrev")


def record_rows(conn: sqlite3.Connection) -> list[tuple]:
    """(id, unit id, issn_print, issn_electronic, issn_linking, nlm_id, journal,
    journal_abbrev) of every record; the unit is its screening unit (its
    duplicate group, review/db/units.py)."""
    return _tuples(
        conn, "SELECT r.id, m.unit_id, r.issn_print, r.issn_electronic, r.issn_linking,"
              " r.nlm_id, r.journal, r.journal_abbrev"
              " FROM records r JOIN unit_members m ON m.record_id = r.id")


def record_exists(conn: sqlite3.Connection, record_id: int) -> bool:
    return conn.execute("SELECT 1 FROM records WHERE id = ?", (record_id,)).fetchone() is not None


# -- listings -----------------------------------------------------------------------


def imports(conn: sqlite3.Connection) -> list[dict]:
    """Every import and fetch, oldest first."""
    out = []
    for r in conn.execute("SELECT * FROM journal_imports ORDER BY id"):
        d = dict(r)
        d["years"] = json.loads(d["years"])
        d["details"] = json.loads(d["details"])
        out.append(d)
    return out


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many journals, metric values and cached OpenAlex answers are stored."""
    sql = {"journals": "SELECT COUNT(*) FROM journals",
           "metrics": "SELECT COUNT(*) FROM journal_metrics",
           "metrics_without_value": "SELECT COUNT(*) FROM journal_metrics WHERE value IS NULL",
           "openalex_cached_issns": "SELECT COUNT(*) FROM openalex_cache"}
    return {k: conn.execute(q).fetchone()[0] for k, q in sql.items()}


# -- the OpenAlex cache ---------------------------------------------------------------


def cached_openalex(conn: sqlite3.Connection) -> dict[str, tuple[str, list[dict]]]:
    """ISSN -> (fetched_at, the sources OpenAlex gave for it; [] when unknown)."""
    return {issn: (ts, json.loads(src)) for issn, ts, src in
            conn.execute("SELECT issn, fetched_at, sources FROM openalex_cache")}


def cache_openalex(conn: sqlite3.Connection, answers: dict[str, list[dict]], fetched_at: str) -> None:
    conn.executemany(
        "INSERT INTO openalex_cache (issn, fetched_at, sources) VALUES (?, ?, ?)"
        " ON CONFLICT (issn) DO UPDATE SET fetched_at = excluded.fetched_at, sources = excluded.sources",
        [(issn, fetched_at, json.dumps(src, ensure_ascii=False, sort_keys=True))
         for issn, src in answers.items()],
    )
