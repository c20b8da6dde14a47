"""The database layer: one SQLite file per project, opened one way, changed
only through migrations and through the functions of this package.

SQLite in WAL mode with foreign keys on and a generous busy timeout, so that
two reviewers writing at once both succeed, one after the other. Every write
goes through ``transaction()`` (BEGIN IMMEDIATE ... COMMIT): it happens whole or
not at all.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from review.db.migrate import head_version, migrate, schema_version
from review.errors import BadInput

BUSY_TIMEOUT_MS = 30_000

__all__ = [
    "open_db",
    "transaction",
    "migrate",
    "schema_version",
    "head_version",
]


def connect(path: str | Path) -> sqlite3.Connection:
    """A connection with the project's settings (no schema check)."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal" and str(path) != ":memory:":
        raise BadInput(f"could not switch {path} to WAL mode (got {mode})")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def open_db(path: str | Path, *, create: bool = False) -> sqlite3.Connection:
    """Open a project database, bringing its schema up to date.

    With ``create=False`` a missing file is an error rather than a new empty
    database (a mistyped --db must not silently start a new project).
    """
    p = Path(path)
    if not create and str(path) != ":memory:" and not p.exists():
        raise BadInput(f"no project database at {p} (run 'review init PROTOCOL' first)")
    if create and str(path) != ":memory:":
        p.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = connect(p)
        if not create and schema_version(conn) == 0:
            conn.close()
            raise BadInput(f"{p}: not a review project database (run 'review init PROTOCOL --db {p}')")
        migrate(conn)
    except sqlite3.DatabaseError as exc:
        raise BadInput(f"{p}: not a review project database ({exc})") from exc
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception.

    IMMEDIATE takes the write lock at the start, so a concurrent writer waits
    (busy timeout) instead of failing half-way through.
    """
    if conn.in_transaction:  # nested: join the outer transaction
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")

