"""Records, their provenance and the search/import log.

The only module that writes ``records``, ``record_searches`` and ``searches``.
Storing is idempotent: a record already present for the same source (same
fingerprint: PMID, else bibliographic content) is not stored again, only
linked to the new search.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields
from typing import Iterable, Sequence

from review import __version__
from review.clock import now
from review.db import seals, units
from review.models import Record

RECORD_COLUMNS = [f.name for f in fields(Record)]


def start_search(
    conn: sqlite3.Connection,
    *,
    kind: str,
    source: str,
    actor: str,
    query: str | None = None,
    mindate: str | None = None,
    maxdate: str | None = None,
    file: str | None = None,
    file_sha256: str | None = None,
    format: str | None = None,
    details: dict | None = None,
) -> int:
    """Log the start of a search or import; returns its id."""
    cur = conn.execute(
        "INSERT INTO searches (kind, source, query, mindate, maxdate, file, file_sha256, format,"
        " status, started_at, tool_version, actor, details)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)",
        (
            kind, source, query, mindate, maxdate, file, file_sha256, format,
            now(), __version__, actor, json.dumps(details or {}, ensure_ascii=False),
        ),
    )
    return cur.lastrowid


def finish_search(
    conn: sqlite3.Connection,
    search_id: int,
    *,
    status: str = "complete",
    count_reported: int | None = None,
    count_found: int | None = None,
    count_added: int | None = None,
    details: dict | None = None,
) -> None:
    """Record how a search or import ended (details are merged into the old);
    a complete one is sealed (review/db/seals.py). Call inside its transaction."""
    old = conn.execute("SELECT details FROM searches WHERE id = ?", (search_id,)).fetchone()
    merged = json.loads(old["details"]) if old else {}
    merged.update(details or {})
    conn.execute(
        "UPDATE searches SET status = ?, count_reported = COALESCE(?, count_reported),"
        " count_found = COALESCE(?, count_found), count_added = COALESCE(?, count_added),"
        " finished_at = ?, details = ? WHERE id = ?",
        (status, count_reported, count_found, count_added, now(),
         json.dumps(merged, ensure_ascii=False), search_id),
    )
    if status == "complete":
        actor = conn.execute("SELECT actor FROM searches WHERE id = ?", (search_id,)).fetchone()[0]
        seals.seal_search(conn, search_id, actor or "review")


def store_records(
    conn: sqlite3.Connection, source: str, search_id: int, records: Iterable[Record],
    seen: dict[str, int] | None = None,
) -> tuple[int, int]:
    """Store records from one source; return (added, already_present).

    Call inside a transaction, with all the records of one file or search
    (identical copies within the call are told apart by their order; pass the
    same ``seen`` dict to calls that store one file in chunks). Every record is
    linked to ``search_id``; each new record gets a screening unit of its own.
    """
    added = present = 0
    new_ids: list[int] = []
    ts = now()
    cols = ["source", "fingerprint", "created_at", *RECORD_COLUMNS]
    insert = (
        f"INSERT INTO records ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
        " ON CONFLICT (source, fingerprint) DO NOTHING"
    )
    seen = {} if seen is None else seen
    for rec in records:
        fp = rec.fingerprint()
        # Identical records within one batch are separate records of the export
        # (PRISMA counts them; dedup groups them): the n-th copy gets '#n', so
        # re-importing the same file is still idempotent.
        seen[fp] = seen.get(fp, 0) + 1
        if seen[fp] > 1:
            fp = f"{fp}#{seen[fp]}"
        row = rec.to_row()
        cur = conn.execute(insert, [source, fp, ts, *(row[c] for c in RECORD_COLUMNS)])
        if cur.rowcount:
            rid = cur.lastrowid
            added += 1
            new_ids.append(rid)
        else:
            rid = conn.execute(
                "SELECT id FROM records WHERE source = ? AND fingerprint = ?", (source, fp)
            ).fetchone()[0]
            present += 1
        conn.execute(
            "INSERT OR IGNORE INTO record_searches (record_id, search_id) VALUES (?, ?)",
            (rid, search_id),
        )
    units.add_records(conn, new_ids)
    return added, present


def known_fingerprints(conn: sqlite3.Connection, source: str) -> set[str]:
    """Fingerprints already stored for a source (to resume without refetching)."""
    return {r[0] for r in conn.execute("SELECT fingerprint FROM records WHERE source = ?", (source,))}


def iter_records(conn: sqlite3.Connection, where: str = "", params: tuple = ()) -> Iterable[tuple[int, Record]]:
    """(id, Record) pairs in id order."""
    sql = f"SELECT * FROM records {('WHERE ' + where) if where else ''} ORDER BY id"
    for row in conn.execute(sql, params):
        yield row["id"], Record.from_row(dict(row))


def list_records(conn: sqlite3.Connection) -> list[dict]:
    """Records for `review records`: id, identifiers, bibliographic fields,
    ``sources`` (each database or file it came from) and ``group_id``."""
    prov: dict[int, list[str]] = {}
    for r in conn.execute(
        "SELECT rs.record_id, s.source, s.file FROM record_searches rs"
        " JOIN searches s ON s.id = rs.search_id ORDER BY s.id"
    ):
        label = r["source"] + (f" ({r['file']})" if r["file"] else "")
        lst = prov.setdefault(r["record_id"], [])
        if label not in lst:
            lst.append(label)
    groups = dict(conn.execute("SELECT record_id, group_id FROM record_groups").fetchall())
    out = []
    for row in conn.execute("SELECT * FROM records ORDER BY id"):
        d = dict(row)
        out.append(
            {
                "id": d["id"],
                "pmid": d["pmid"] or None,
                "doi": d["doi"] or None,
                "title": d["title"],
                "year": d["year"],
                "journal": d["journal"],
                "authors": json.loads(d["authors"]),
                "source": d["source"],
                "sources": prov.get(d["id"], [d["source"]]),
                "group_id": groups.get(d["id"], d["id"]),
            }
        )
    return out


def titles_of(conn: sqlite3.Connection, record_ids: Iterable[int]) -> dict[int, str]:
    """record id -> title, for the given records."""
    ids = sorted(set(record_ids))
    out: dict[int, str] = {}
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        out.update(conn.execute(f"SELECT id, title FROM records WHERE id IN ({','.join('?' * len(chunk))})",
                                chunk).fetchall())
    return out


def record_exists(conn: sqlite3.Connection, record_id: int) -> bool:
    return conn.execute("SELECT 1 FROM records WHERE id = ?", (record_id,)).fetchone() is not None


def identifiers(conn: sqlite3.Connection) -> list[tuple[int, str, str]]:
    """(id, doi, pmid) of every record, in id order."""
    return [tuple(r) for r in conn.execute("SELECT id, doi, pmid FROM records ORDER BY id")]


def count_records(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM records").fetchone()[0]


def search_row(conn: sqlite3.Connection, search_id: int) -> sqlite3.Row | None:
    """One row of the search/import log."""
    return conn.execute("SELECT * FROM searches WHERE id = ?", (search_id,)).fetchone()


def searches(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """The search/import log in the order it was written."""
    return conn.execute("SELECT * FROM searches ORDER BY id").fetchall()


def find_searches(conn: sqlite3.Connection, *, kind: str, source: str, query: str | None, statuses: Sequence[str],
                  mindate: str | None = None, maxdate: str | None = None) -> list[sqlite3.Row]:
    """Searches of this kind, source and query (any query when None) in one of
    ``statuses`` (and these dates where given), newest first."""
    sql = ("SELECT * FROM searches WHERE kind = ? AND source = ?"
           + (" AND query = ?" if query is not None else "")
           + f" AND status IN ({','.join('?' for _ in statuses)})")
    params: list = [kind, source, *([query] if query is not None else []), *statuses]
    for col, val in (("mindate", mindate), ("maxdate", maxdate)):
        if val is not None:
            sql += f" AND {col} = ?"
            params.append(val)
    return conn.execute(sql + " ORDER BY id DESC", params).fetchall()


def claim_search(conn: sqlite3.Connection, search_id: int, details: str, old_details: str) -> bool:
    """Compare-and-set: mark an unfinished search running with new details, only if
    its details are still ``old_details``. False if the row changed meanwhile."""
    cur = conn.execute(
        "UPDATE searches SET status = 'running', finished_at = NULL, details = ?"
        " WHERE id = ? AND details IS ? AND status IN ('running', 'failed', 'interrupted')",
        (details, search_id, old_details))
    return cur.rowcount == 1


def file_imported(conn: sqlite3.Connection, source: str, sha256: str) -> bool:
    """True when a file with these bytes was imported completely for this source."""
    return conn.execute(
        "SELECT 1 FROM searches WHERE kind = 'import' AND status = 'complete' AND source = ? AND file_sha256 = ?"
        " LIMIT 1", (source, sha256)).fetchone() is not None


def records_by_source(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT source, COUNT(*) FROM records GROUP BY source ORDER BY source").fetchall())

def get_record(conn: sqlite3.Connection, record_id: int) -> dict | None:
    """One stored record as a dict of its columns (list columns decoded), or None."""
    row = conn.execute("SELECT * FROM records WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        return None
    d = dict(row)
    for key in ("authors", "publication_types", "mesh", "keywords", "raw"):
        if isinstance(d.get(key), str):
            d[key] = json.loads(d[key])
    return d
