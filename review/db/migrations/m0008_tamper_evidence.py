"""Tamper evidence beyond the audit log: people's duplicate decisions are
hash-chained like the screening events, and a chained ``seals`` table holds a
digest of the records each completed search or import stored, so editing,
deleting or inserting a record, a decision or a value is detected by
``review audit verify`` (review/db/chain.py, review/db/seals.py).

Rows already there are chained and sealed once, when the database is
upgraded (``after``)."""

import sqlite3

SQL = """
ALTER TABLE dedup_decisions ADD COLUMN prev_hash TEXT;
ALTER TABLE dedup_decisions ADD COLUMN hash TEXT;

CREATE TABLE seals (
    id        INTEGER PRIMARY KEY,
    ts        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('records')),
    target    TEXT NOT NULL,
    digest    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX seals_target ON seals (target);

CREATE TRIGGER seals_append_only_u BEFORE UPDATE ON seals
BEGIN SELECT RAISE(ABORT, 'seals are append-only'); END;
CREATE TRIGGER seals_append_only_d BEFORE DELETE ON seals
BEGIN SELECT RAISE(ABORT, 'seals are append-only'); END;
"""


def after(conn: sqlite3.Connection) -> None:
    from review.db import chain, seals

    rows = conn.execute("SELECT id, ts, actor, record_a, record_b, decision, pair_id, supersedes, note, batch"
                        " FROM dedup_decisions ORDER BY id").fetchall()
    if rows:
        conn.execute("DROP TRIGGER dedup_decisions_append_only_u")
        prev = chain.GENESIS
        for r in rows:
            h = chain.row_hash("dedup_decisions", prev, list(r[1:]))
            conn.execute("UPDATE dedup_decisions SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, r[0]))
            prev = h
        chain.set_head(conn, "dedup_decisions", rows[-1][0], prev)
        conn.execute("CREATE TRIGGER dedup_decisions_append_only_u BEFORE UPDATE ON dedup_decisions"
                     " BEGIN SELECT RAISE(ABORT, 'dedup decisions are append-only'); END")
    for (sid, actor) in conn.execute(
            "SELECT id, COALESCE(actor, 'review') FROM searches WHERE status = 'complete' ORDER BY id").fetchall():
        seals.seal_search(conn, sid, actor)
