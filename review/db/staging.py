"""Staging tables of a running PubMed search (schema: migration m0002).

Every function writes inside its own short transaction (or joins the
caller's), so what was fetched survives a crash or an interrupt.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Iterable, Iterator

from review.db import transaction
from review.models import Record


@dataclass(frozen=True)
class Window:
    mindate: str
    maxdate: str
    depth: int
    status: str
    count: int | None
    webenv: str
    query_key: str


def add_window(conn: sqlite3.Connection, search_id: int, mindate: str, maxdate: str, depth: int) -> None:
    with transaction(conn):
        conn.execute(
            "INSERT OR IGNORE INTO search_windows (search_id, mindate, maxdate, depth, status)"
            " VALUES (?, ?, ?, ?, 'planned')",
            (search_id, mindate, maxdate, depth),
        )


def windows(conn: sqlite3.Connection, search_id: int, status: str | None = None) -> list[Window]:
    """The search's windows in date order (optionally only those with ``status``)."""
    sql = "SELECT * FROM search_windows WHERE search_id = ?"
    params: tuple = (search_id,)
    if status:
        sql += " AND status = ?"
        params += (status,)
    rows = conn.execute(sql + " ORDER BY mindate, depth", params).fetchall()
    return [Window(r["mindate"], r["maxdate"], r["depth"], r["status"], r["count"],
                   r["webenv"] or "", r["query_key"] or "") for r in rows]


def split_window(conn: sqlite3.Connection, search_id: int, w: Window, count: int,
                 halves: Iterable[tuple[str, str]]) -> None:
    """Mark ``w`` split (it had ``count`` hits) and plan its halves."""
    with transaction(conn):
        conn.execute(
            "UPDATE search_windows SET status = 'split', count = ? WHERE search_id = ? AND mindate = ? AND maxdate = ?",
            (count, search_id, w.mindate, w.maxdate),
        )
        for lo, hi in halves:
            add_window(conn, search_id, lo, hi, w.depth + 1)


def list_window(conn: sqlite3.Connection, search_id: int, w: Window, count: int,
                pmids: Iterable[str], webenv: str, query_key: str) -> None:
    """Store the PMIDs one window's esearch listed and mark it listed."""
    with transaction(conn):
        conn.executemany(
            "INSERT OR IGNORE INTO search_pmids (search_id, pmid, mindate, rank) VALUES (?, ?, ?, ?)",
            ((search_id, p, w.mindate, i) for i, p in enumerate(pmids)),
        )
        conn.execute(
            "UPDATE search_windows SET status = 'listed', count = ?, webenv = ?, query_key = ?"
            " WHERE search_id = ? AND mindate = ? AND maxdate = ?",
            (count, webenv, query_key, search_id, w.mindate, w.maxdate),
        )


def window_pmids(conn: sqlite3.Connection, search_id: int, mindate: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT pmid FROM search_pmids WHERE search_id = ? AND mindate = ? ORDER BY rank",
        (search_id, mindate))]


def listed_pmids(conn: sqlite3.Connection, search_id: int) -> set[str]:
    """Every PMID the search's windows listed."""
    return {r[0] for r in conn.execute("SELECT pmid FROM search_pmids WHERE search_id = ?", (search_id,))}


def staged_pmids(conn: sqlite3.Connection, search_id: int) -> set[str]:
    return {r[0] for r in conn.execute("SELECT pmid FROM search_staged WHERE search_id = ?", (search_id,))}


def stage_records(conn: sqlite3.Connection, search_id: int, records: Iterable[Record]) -> int:
    """Stage fetched records (a PMID staged before is kept as it was); return how many were new."""
    with transaction(conn):
        n = 0
        for rec in records:
            cur = conn.execute(
                "INSERT OR IGNORE INTO search_staged (search_id, pmid, row) VALUES (?, ?, ?)",
                (search_id, rec.pmid, json.dumps(rec.to_row(), ensure_ascii=False)),
            )
            n += cur.rowcount
    return n


def iter_staged(conn: sqlite3.Connection, search_id: int) -> Iterator[Record]:
    """Staged records in the order the search listed them (unlisted ones last)."""
    for r in conn.execute(
        "SELECT s.row FROM search_staged s LEFT JOIN search_pmids p"
        " ON p.search_id = s.search_id AND p.pmid = s.pmid WHERE s.search_id = ?"
        " ORDER BY p.mindate IS NULL, p.mindate, p.rank, s.pmid",
        (search_id,),
    ):
        yield Record.from_row(json.loads(r[0]))


def count_staged(conn: sqlite3.Connection, search_id: int) -> int:
    return conn.execute("SELECT COUNT(*) FROM search_staged WHERE search_id = ?", (search_id,)).fetchone()[0]


def clear(conn: sqlite3.Connection, search_id: int) -> None:
    """Drop a search's staging rows (call in the transaction that stores its records)."""
    with transaction(conn):
        for table in ("search_staged", "search_pmids", "search_windows"):
            conn.execute(f"DELETE FROM {table} WHERE search_id = ?", (search_id,))
