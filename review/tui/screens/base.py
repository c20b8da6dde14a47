"""What every screen of the review app shares: the layout frame (header,
status line, body, footer), database work through ``DbWork``, notices, and
closing that waits for a pending write.

A screen subclasses ``ReviewScreen``, yields its body from ``compose_body``,
loads what it shows in ``load`` (through ``self.read``) and changes the
database through ``self.write``. Keys that decide call ``self.accepts_key()``
first: while a job is pending the key is ignored, with a notice, so it is
never applied to an item the user has not seen; and a screen loads the next
item only from the write's ``on_done``, so each decision is committed before
the next item shows.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Callable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header

from review.tui.dbwork import DbJobDone, DbJobFailed, DbWork
from review.tui.widgets.status import StatusLine


class ReviewScreen(Screen):
    """Base class of the app's screens (see the module docstring)."""

    SUB_TITLE = ""

    def __init__(self) -> None:
        super().__init__()
        self._db: DbWork | None = None
        self.close_after_write = False
        self.exit_after_write = False

    # -- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield StatusLine(id="status")
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets, between the status line and the footer."""
        return iter(())

    def on_mount(self) -> None:
        from pathlib import Path

        self.sub_title = " · ".join(x for x in (self.SUB_TITLE, Path(self.app.db_path).name) if x)
        self.load()

    def load(self) -> None:
        """(Re)load what the screen shows; screens start a ``self.read`` here."""

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    @property
    def actor(self) -> str:
        return self.app.actor

    def key_for(self, binding_id: str) -> str:
        """The key that does ``binding_id`` here, as the footer shows it (after the user's keymap)."""
        for active in self.active_bindings.values():
            if active.binding.id == binding_id:
                return self.app.get_key_display(active.binding)
        from review.tui.keymap import class_bindings

        for binding in class_bindings(type(self)) + class_bindings(type(self.app)):
            if binding.id == binding_id:  # not active just now: its key under the keymap, else its default
                keys = getattr(self.app, "user_keymap", {}).get(binding_id, binding.key)
                return self.app.get_key_display(binding.with_key(keys.split(",")[0]))
        return binding_id

    # -- notices ------------------------------------------------------------

    def notice(self, text: str, severity: str = "information") -> None:
        """Tell the user: a toast, and the status line's notice (kept until the next one)."""
        self.status.set_notice(text, severity)
        self.notify(text, severity=severity)

    # -- database work ------------------------------------------------------

    @property
    def db(self) -> DbWork:
        if self._db is None:
            self._db = DbWork(self, self.app.db_path)
        return self._db

    def read(self, label: str, fn: Callable[[sqlite3.Connection], Any], on_done: Callable[[Any], None],
             on_error: Callable[[DbJobFailed], None] | None = None) -> None:
        """Run a read off the UI thread; ``on_done(result)`` on the UI thread."""
        if self.close_after_write or self.exit_after_write:
            return  # closing: nothing more to show
        self.status.set_busy(f"loading… ({label})")
        self.db.read(label, fn, on_done, on_error)
        self.refresh_bindings()

    def write(self, label: str, fn: Callable[[sqlite3.Connection], Any], on_done: Callable[[Any], None],
              on_error: Callable[[DbJobFailed], None] | None = None) -> None:
        """Run a write off the UI thread; ``on_done(result)`` once it is committed."""
        self.status.set_busy(f"saving… ({label})")
        self.db.write(label, fn, on_done, on_error)
        self.refresh_bindings()

    def accepts_key(self) -> bool:
        """False (and a notice) while a database job is pending: the key is ignored."""
        job = self.db.pending
        if job is None:
            return True
        doing = "saving…" if job.kind == "write" else "loading…"
        self.notify(f"{doing} ({job.label}); that key was ignored", severity="warning")
        return False

    def _job_over(self, job) -> bool:
        """Clear the pending job; False for a stale message (a job no longer pending)."""
        if not self.db.finished(job):
            return False
        self.status.set_busy("")
        self.refresh_bindings()
        return True

    def on_db_job_done(self, message: DbJobDone) -> None:
        job = message.job
        if not self._job_over(job):
            return
        if job.on_done is not None:
            job.on_done(message.result)
        if job.kind == "write" and (self.close_after_write or self.exit_after_write):
            self._close_now(self.exit_after_write)

    def on_db_job_failed(self, message: DbJobFailed) -> None:
        job = message.job
        if not self._job_over(job):
            return
        if job.kind == "write" and (self.close_after_write or self.exit_after_write):
            self.close_after_write = self.exit_after_write = False
            self.notice(f"not saved: {message.message}; the screen stays open (q quits without it)", "error")
            return
        if job.on_error is not None:
            job.on_error(message)
        else:
            self.notice(message.message, "error")

    def reload(self) -> None:
        """Load again (the 'r' key): after a failed read, or to see others' changes."""
        if self.accepts_key():
            self.load()

    # -- closing ------------------------------------------------------------

    def request_close(self, exit_app: bool = False) -> None:
        """Close the screen (or the app) now, or as soon as a pending write is committed."""
        if self.db.writing:
            if exit_app:
                self.exit_after_write = True
            else:
                self.close_after_write = True
            self.notice(f"saving… ({self.db.pending.label}); closing when it is written")
            return
        self._close_now(exit_app)

    def _close_now(self, exit_app: bool) -> None:
        self.app.workers.cancel_node(self)  # a pending read: its thread gives up at its next slice
        stack = [s for s in self.app.screen_stack if isinstance(s, ReviewScreen)]
        if exit_app or stack == [self]:
            self.app.exit()
        else:
            self.dismiss()
