"""Database work off the UI thread: one job at a time per screen, each on its
own connection, its outcome posted back to the screen as a message.

A screen never touches SQLite itself: it hands a core function ``fn(conn)`` to
``DbWork.read`` or ``DbWork.write``. The job runs in a thread of its own on a
fresh connection (so a database locked by another program never freezes the
screen), watched by a Textual worker that posts ``DbJobDone`` or
``DbJobFailed`` to the screen, whose handler (``ReviewScreen``) runs the job's
callbacks on the UI thread.

While a job is pending, ``DbWork.pending`` names it: screens ignore keys that
decide (a key is never applied to an item the user has not seen) and show
"saving…" or "loading…". Both wait for a lock as long as
``review.db.BUSY_TIMEOUT_MS``; closing the screen abandons a pending read at
once, while a pending write is always waited for.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from dataclasses import dataclass, field
from itertools import count
from typing import Any, Callable, Literal

from textual.message import Message
_ids = count(1)


@dataclass
class DbJob:
    """One unit of database work: ``fn(conn)`` and what to do with its outcome."""

    kind: Literal["read", "write"]
    label: str
    fn: Callable[[sqlite3.Connection], Any]
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[["DbJobFailed"], None] | None = None
    id: int = field(default_factory=lambda: next(_ids))
    thread: threading.Thread | None = None
    abandoned: bool = False
    """Set when the screen was closed before the job's outcome came back."""


class DbJobDone(Message):
    """A job finished; ``result`` is what ``fn`` returned."""

    def __init__(self, job: DbJob, result: Any) -> None:
        super().__init__()
        self.job, self.result = job, result


class DbJobFailed(Message):
    """A job failed; ``message`` says why in words for the user, ``busy`` if the
    database was locked by another writer (pressing the key again may work)."""

    def __init__(self, job: DbJob, message: str, busy: bool, error: BaseException) -> None:
        super().__init__()
        self.job, self.message, self.busy, self.error = job, message, busy, error


def is_busy(exc: BaseException) -> bool:
    """True for SQLite's 'database is locked' / 'database is busy'."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def describe(job: DbJob, exc: BaseException) -> str:
    """What to tell the user about a failed job."""
    from review.errors import ReviewError

    if is_busy(exc):
        return ("database busy (another program is writing to it); press the key again" if job.kind == "write"
                else "database busy (another program holds it); press r to try again")
    if isinstance(exc, ReviewError):
        return str(exc)
    if isinstance(exc, sqlite3.Error):
        return f"database error: {exc}; press the key again"
    return f"unexpected error: {type(exc).__name__}: {exc}"


def _run(db_path: str, job: DbJob) -> Any:
    """Run the job on a connection of its own (in the job's thread)."""
    from review.db import connect

    conn = connect(db_path)
    try:
        return job.fn(conn)
    finally:
        conn.close()


class DbWork:
    """Runs a screen's database jobs, one at a time, each in a thread of its own."""

    def __init__(self, screen, db_path: str) -> None:
        self.screen = screen
        self.db_path = db_path
        self.pending: DbJob | None = None

    @property
    def writing(self) -> bool:
        return self.pending is not None and self.pending.kind == "write"

    def read(self, label: str, fn: Callable[[sqlite3.Connection], Any],
             on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[DbJobFailed], None] | None = None) -> DbJob:
        return self._start(DbJob("read", label, fn, on_done, on_error))

    def write(self, label: str, fn: Callable[[sqlite3.Connection], Any],
              on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[DbJobFailed], None] | None = None) -> DbJob:
        return self._start(DbJob("write", label, fn, on_done, on_error))

    def _start(self, job: DbJob) -> DbJob:
        if self.pending is not None:
            raise RuntimeError(f"database job '{job.label}' started while '{self.pending.label}' is pending")
        self.pending = job
        self.screen.run_worker(self._work(job), name=job.label, group=f"db-{job.kind}", exit_on_error=False)
        return job

    async def _work(self, job: DbJob) -> None:
        """Run the job in a thread of its own and post its outcome to the screen.

        A read's thread is a daemon: closing the screen (or the app) abandons a
        read that waits for a lock instead of waiting with it. A write's thread
        is not: the process never ends before a write is committed or has failed.
        """
        loop = asyncio.get_running_loop()
        outcome: asyncio.Future = loop.create_future()
        db_path = self.db_path

        def target() -> None:
            try:
                result = (True, _run(db_path, job))
            except Exception as exc:  # noqa: BLE001 - every failure is reported to the screen
                result = (False, exc)
            try:
                loop.call_soon_threadsafe(lambda: outcome.done() or outcome.set_result(result))
            except RuntimeError:  # the app has ended meanwhile
                pass

        job.thread = threading.Thread(target=target, name=f"review-db-{job.kind}-{job.id}",
                                      daemon=job.kind == "read")
        job.thread.start()
        try:
            ok, value = await outcome
        except asyncio.CancelledError:
            job.abandoned = True
            raise
        if ok:
            self.screen.post_message(DbJobDone(job, value))
        else:
            self.screen.post_message(DbJobFailed(job, describe(job, value), is_busy(value), value))

    def finished(self, job: DbJob) -> bool:
        """Mark ``job`` finished; False if it is not the pending one (a stale message)."""
        if self.pending is None or self.pending.id != job.id:
            return False
        self.pending = None
        return True
