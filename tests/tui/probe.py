"""A screen written for the tests the way a new screen is added: this module
(a ReviewScreen subclass) and one line in review.tui.registry.SCREENS (put
there by the ``probe`` fixture). It counts the records (a read) and writes
an audit entry with 'w' (a write), through core functions."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Static

from review.db import audit, transaction
from review.db.records import list_records
from review.tui.screens.base import ReviewScreen


def note(conn, actor):
    with transaction(conn):
        return audit.log(conn, actor, "probe.note")


class ProbeScreen(ReviewScreen):
    SUB_TITLE = "probe"
    BINDINGS = [
        Binding("w", "write", "write a note", id="probe.write"),
        Binding("o", "open_pairs", "open the pair screen", id="probe.pairs"),
    ]

    def __init__(self, greeting: str = "hello") -> None:
        super().__init__()
        self.greeting = greeting
        self.count: int | None = None
        self.written: list[int] = []

    def compose_body(self):
        yield Static(self.greeting, id="probe-body")

    def load(self) -> None:
        self.read("counting", lambda conn: len(list_records(conn)), self.shown)

    def shown(self, n: int) -> None:
        self.count = n
        self.status.set_item(f"{n} records")

    def action_write(self) -> None:
        if self.accepts_key():
            actor = self.actor
            self.write("note", lambda conn: note(conn, actor), self.written.append)

    def action_open_pairs(self) -> None:
        self.app.open_screen("dedup-pairs")
