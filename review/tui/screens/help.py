"""The help screen ('?'): the keys active on the screen beneath, generated
from its bindings as they are now (so keys remapped in the keymap file show
as remapped), with each binding's id for the keymap file."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def active_keys(screen: Screen) -> list[tuple[str, str, str, bool]]:
    """(keys, description, binding id, enabled) for each binding with an id active on
    ``screen``, the screen's own first; several keys of one binding are joined."""
    app = screen.app
    rows: dict[str, list] = {}
    for key, active in screen.active_bindings.items():
        b = active.binding
        if not b.id:
            continue
        shown = app.get_key_display(b)
        what = f"{b.description} — {b.tooltip}" if b.tooltip else b.description
        row = rows.setdefault(b.id, [[], what, b.id, active.enabled, active.node is app])
        if shown not in row[0]:
            row[0].append(shown)
    from review.tui.keymap import class_bindings

    declared = [b.id for cls in (type(screen), type(app)) for b in class_bindings(cls) if b.id]
    ordered = sorted(rows.values(), key=lambda r: (r[4], declared.index(r[2]) if r[2] in declared else 0))
    return [(", ".join(r[0]), r[1], r[2], r[3]) for r in ordered]


class HelpScreen(ModalScreen):
    """Lists the keys of the screen it was opened from; any of its keys closes it."""

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "close help", id="help.close"),
    ]

    def __init__(self, beneath: Screen) -> None:
        super().__init__()
        self.rows = active_keys(beneath)
        self.title_text = f"Keys: {getattr(beneath, 'SUB_TITLE', '') or 'this screen'}"
        self.scrolls = bool(beneath.query(ScrollableContainer))

    def compose(self) -> ComposeResult:
        t = Table(box=None, expand=True, padding=(0, 1), show_header=True, header_style="bold")
        t.add_column("key", no_wrap=True, style="bold")
        t.add_column("does", ratio=1)
        t.add_column("binding id", no_wrap=True, style="dim")
        for keys, what, bid, enabled in self.rows:
            t.add_row(keys, what if enabled else Text(f"{what} (not now)", style="dim"), bid)
        from review.tui.keymap import keymap_path

        source = getattr(self.app, "keymap_source", None)
        where = (f"Keymap in use: {source}" if source
                 else f"No keymap file yet: create {keymap_path()} (or set REVIEW_KEYMAP)")
        note = Text.assemble(
            ("↑ ↓ PgUp PgDn Home End scroll the view.\n" if self.scrolls else "", ""),
            ("\nRemap a key in a keymap file, one line per binding id:\n", ""),
            ('  dedup.merge = "x"', "bold"), ("\n", ""),
            (where, "dim"),
        )
        with VerticalScroll(id="help"):
            yield Static(Text(self.title_text, style="bold"), id="help-title")
            yield Static(t)
            yield Static(note)
            yield Static(Text("Press ?, q or Escape to close.", style="dim"), id="help-close")

    def action_dismiss(self) -> None:
        self.dismiss()
