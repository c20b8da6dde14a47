"""The adjudicator's view of what the reviewers still differ on (extraction
fields, or MINORS items with ``tool="minors"``), one difference at a time,
each reviewer's value side by side. 1 / 2 take the first / second reviewer's
value, e types a value of your own (Enter saves it), w the rationale kept
with the choice, s skips. Each choice is written at once (off the UI thread)
and the next difference shows only once it is saved. Reads and writes go
through review.extraction.session.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from review.tui.dbwork import DbJobFailed
from review.tui.screens.base import ReviewScreen


def difference_view(d, position: str) -> Group:
    t = Table(box=None, expand=True, padding=(0, 2), show_header=True, header_style="bold")
    t.add_column("key", no_wrap=True)
    t.add_column("reviewer", no_wrap=True)
    t.add_column("value", ratio=1)
    t.add_column("note", ratio=1, style="dim")
    for i, (who, shown) in enumerate(d.shown.items(), start=1):
        t.add_row(str(i), who, shown, d.notes.get(who, ""))
    arm = f" · arm {d.arm}" if d.arm else ""
    head = Text.assemble((d.study, "bold"), f"{arm} · ", (d.label, "bold"), f" ({d.key}) · ", (position, "dim"))
    return Group(head, Text(d.help, style="dim"), Text(""), t)


class DifferenceView(Static, can_focus=True):
    """The difference on screen (focusable, so the choice keys reach the screen)."""


class ReconcileScreen(ReviewScreen):
    """Settle differences one by one."""

    SUB_TITLE = "reconcile"
    BINDINGS = [
        Binding("1", "pick(0)", "first reviewer's", id="reconcile.first"),
        Binding("2", "pick(1)", "second reviewer's", id="reconcile.second"),
        Binding("e", "edit", "type a value", id="reconcile.edit", tooltip="then Enter saves it"),
        Binding("w", "why", "rationale", id="reconcile.why", tooltip="kept with the value you choose"),
        Binding("s", "skip", "skip", id="reconcile.skip", tooltip="leave this one for later"),
        Binding("escape", "leave", "leave the input", id="reconcile.leave", show=False),
    ]

    def __init__(self, tool: str = "extraction") -> None:
        super().__init__()
        self.tool = tool
        self.items: list = []
        self.skipped: set[tuple[str, str, str]] = set()
        self.current = None
        self.settled = 0
        if tool == "minors":
            self.SUB_TITLE = "reconcile MINORS"

    def compose_body(self) -> ComposeResult:
        yield DifferenceView("", id="difference")
        yield Input(id="value", placeholder="a value of your own (Enter saves it)")
        yield Input(id="why", placeholder="rationale, kept with the value you choose (Enter: back)")

    def load(self) -> None:
        from review.extraction.session import differences_page

        actor, tool = self.actor, self.tool
        self.read("differences", lambda conn: differences_page(conn, actor, tool), self.show, self._failed)

    def _failed(self, failed: DbJobFailed) -> None:
        self.status.set_item("could not read the differences")
        self.notice(failed.message, "error")

    def show(self, items) -> None:
        self.items = items
        todo = [d for d in items if (d.study, d.key, d.arm) not in self.skipped]
        self.current = todo[0] if todo else None
        view = self.query_one("#difference", DifferenceView)
        if self.current is None:
            more = f"; {len(items)} skipped (r reads them again)" if items else ""
            view.update(Text(f"\nNothing differs{more}. {self.settled} settled in this session.", style="bold"))
            self.status.set_item(f"nothing left to settle{more}")
            if items:
                self.skipped.clear()
        else:
            view.update(difference_view(self.current, f"{len(todo)} left"))
            keys = " · ".join(f"{self.key_for(i)} {w}" for i, w in (("reconcile.first", "first"),
                                                                   ("reconcile.second", "second"),
                                                                   ("reconcile.edit", "your own")))
            self.status.set_item(f"{len(todo)} to settle · {keys}")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pick", "edit", "skip", "why"):
            return True if self.current is not None or self.db.pending is not None else None
        return True

    def action_pick(self, index: int) -> None:
        if not self.accepts_key() or self.current is None:
            return
        values = list(self.current.typed.values())
        if index >= len(values):
            return
        self.save(values[index], f"{list(self.current.typed)[index]}'s value")

    def action_edit(self) -> None:
        if self.current is not None:
            box = self.query_one("#value", Input)
            box.value = ""
            box.focus()

    def action_why(self) -> None:
        self.query_one("#why", Input).focus()

    def action_leave(self) -> None:
        self.query_one("#difference").focus()

    def action_skip(self) -> None:
        if not self.accepts_key() or self.current is None:
            return
        d = self.current
        self.skipped.add((d.study, d.key, d.arm))
        self.status.set_notice(f"skipped {d.study} {d.key}")
        self.show(self.items)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "value" and event.value.strip() and self.current is not None:
            if self.accepts_key():
                self.save(event.value.strip(), "your value")
        else:
            self.query_one("#difference").focus()

    def save(self, text: str, what: str) -> None:
        from review.extraction.session import choose

        d, actor, tool = self.current, self.actor, self.tool
        why = self.query_one("#why", Input).value.strip() or None

        def done(res: dict) -> None:
            self.settled += 1
            self.query_one("#why", Input).value = ""
            self.query_one("#value", Input).value = ""
            self.query_one("#difference").focus()
            self.status.set_notice(f"{d.study} {d.key}: {what} settled")
            self.load()

        self.write(f"settle {d.study} {d.key}", lambda conn: choose(conn, actor, d, text, why, tool), done)
