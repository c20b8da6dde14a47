"""Two things side by side, field by field, with the fields that differ
marked (a '≠' before the field name, for terminals without colour, and
highlighted): two records of a possible duplicate pair today; two reviewers'
decisions on the adjudication screen later."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

DIFFERS = "bold black on yellow"


def comparison(left: str, right: str, rows: list[tuple[str, str, str, bool]]) -> Table:
    """A table: field | left | right, one row per ``(field, left, right, differs)``."""
    t = Table(expand=True, show_edge=False, box=None, padding=(0, 1), pad_edge=False)
    t.add_column("", no_wrap=True, style="dim", justify="right")
    t.add_column(left, ratio=1, overflow="fold", header_style="bold")
    t.add_column(right, ratio=1, overflow="fold", header_style="bold")
    for name, a, b, differs in rows:
        label = Text(("≠ " if differs else "  ") + name)
        style = DIFFERS if differs else ""
        t.add_row(label, Text(a or "—", style=style if a else "dim"), Text(b or "—", style=style if b else "dim"))
    return t


class CompareView(VerticalScroll):
    """A scrollable comparison (arrows, PgUp/PgDn scroll it); ``show`` replaces its content."""

    content = ""
    """What is shown (a Rich renderable)."""

    def compose(self):
        yield Static(id="compare-body")

    def show(self, renderable) -> None:
        self.content = renderable
        self.query_one("#compare-body", Static).update(renderable)
        self.scroll_home(animate=False)
