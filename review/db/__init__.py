"""The database layer: one SQLite file per project, opened one way, changed
only through migrations and through the functions of this package.

SQLite in WAL mode with foreign keys on, so that two reviewers writing at once
both succeed, one after the other. Every write goes through ``transaction()``
(BEGIN IMMEDIATE ... COMMIT): it happens whole or not at all.

When another process holds the write lock for long (a large import), taking
the lock is retried for up to ``$REVIEW_LOCK_WAIT`` seconds (default 120),
telling the user what it waits for (``set_waiting_notice``); after that the
command ends with DatabaseBusy (exit 3) and nothing changed.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from review.db.migrate import head_version, migrate, schema_version
from review.errors import BadInput, DatabaseBusy

BUSY_TIMEOUT_MS = 30_000
LOCK_POLL_MS = 2_000          # one attempt at the write lock, before telling the user and trying again
LOCK_WAIT_DEFAULT = 120.0     # seconds, unless $REVIEW_LOCK_WAIT says otherwise

_notice: Callable[[float, float], None] | None = None
_local = threading.local()


def set_waiting_notice(fn: Callable[[float, float], None] | None) -> None:
    """``fn(waited, limit)`` is called while a write waits for another process's lock."""
    global _notice
    _notice = fn


@contextmanager
def waiting_at_most(seconds: float) -> Iterator[None]:
    """Within this block (this thread), a write waits at most ``seconds`` for the
    lock (the terminal view uses its own, shorter wait and lets the user retry)."""
    old = getattr(_local, "limit", None)
    _local.limit = seconds
    try:
        yield
    finally:
        _local.limit = old


def lock_wait() -> float:
    if getattr(_local, "limit", None) is not None:
        return _local.limit
    try:
        return max(0.0, float(os.environ.get("REVIEW_LOCK_WAIT", LOCK_WAIT_DEFAULT)))
    except ValueError:
        return LOCK_WAIT_DEFAULT


def _locked(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def begin_immediate(conn: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, waiting for another writer as the module docstring says."""
    limit = lock_wait()
    start = time.monotonic()
    conn.execute(f"PRAGMA busy_timeout = {int(min(LOCK_POLL_MS, max(limit, 0.001) * 1000))}")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _locked(exc):
                    raise
                waited = time.monotonic() - start
                if waited >= limit:
                    raise DatabaseBusy(
                        f"the project database is busy: another process has held its write lock for "
                        f"{waited:.0f} s (a large import or dedup run?); nothing was changed. Try again "
                        "when it is done ($REVIEW_LOCK_WAIT sets how long to wait).") from None
                if _notice is not None:
                    _notice(waited, limit)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

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


def open_readonly(path: str | Path) -> sqlite3.Connection:
    """Open a project database (a backup, a pack) read-only, without changing
    the file (no WAL switch, no migration); BadInput unless it is a review
    project at this version of the schema."""
    p = Path(path)
    if not p.is_file():
        raise BadInput(f"no file {p}")
    conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        version = schema_version(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise BadInput(f"{p}: not a review project database ({exc})") from None
    if version != head_version():
        conn.close()
        raise BadInput(f"{p}: a review database at schema {version}, this review expects {head_version()}"
                       " (open it with review once to upgrade it)")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception.

    IMMEDIATE takes the write lock at the start, so a concurrent writer waits
    (see ``begin_immediate``) instead of failing half-way through.
    """
    if conn.in_transaction:  # nested: join the outer transaction
        yield conn
        return
    begin_immediate(conn)
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")

