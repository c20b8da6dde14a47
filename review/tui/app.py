"""The review app: one Textual ``App`` for every screen of the tool.

``ReviewApp(db_path, start="dedup-pairs")`` opens on a registered screen
(``review.tui.registry``); keys common to all screens (help, quit, reload)
are bound here with ids, each screen binds its own. The user's keymap
(``review.tui.keymap``) is applied through Textual's ``set_keymap``. Styles
live in one file, ``app.tcss``.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from review.tui.registry import screen_class


class ReviewApp(App):
    """The review app, opened on the screen named ``start``."""

    CSS_PATH = "app.tcss"
    TITLE = "review"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("question_mark", "help", "help", id="app.help", tooltip="this list of keys"),
        Binding("q", "close", "quit", id="app.quit", tooltip="close, once your decisions are saved"),
        Binding("r", "reload", "reload", id="app.reload", show=False,
                tooltip="read again (after an error)"),
    ]

    def __init__(self, db_path: str | Path, start: str = "dedup-pairs", *, actor: str | None = None,
                 keymap: dict[str, str] | None = None, keymap_source: Path | str | None = None,
                 start_args: dict | None = None) -> None:
        super().__init__()
        from review.clock import current_actor

        self.db_path = str(db_path)
        self.actor = actor or current_actor()
        self.start = start
        self.start_args = start_args or {}
        self.keymap_source = keymap_source
        screen_class(start)  # an unknown name fails here, before the terminal is taken over
        self.sub_title = Path(self.db_path).name
        self.user_keymap = dict(keymap or {})
        if keymap:
            self.set_keymap(keymap)

    def on_mount(self) -> None:
        self.open_screen(self.start, **self.start_args)

    def open_screen(self, name: str, **kwargs) -> None:
        """Open the registered screen ``name`` on top of the current one."""
        self.push_screen(screen_class(name)(**kwargs))

    def _review_screen(self):
        from review.tui.screens.base import ReviewScreen

        return self.screen if isinstance(self.screen, ReviewScreen) else None

    def action_help(self) -> None:
        from review.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def action_close(self) -> None:
        """q: close the current screen (the app, on the first one), after a pending write."""
        screen = self._review_screen()
        if screen is None:
            self.exit()
        else:
            screen.request_close()

    def action_reload(self) -> None:
        screen = self._review_screen()
        if screen is not None:
            screen.reload()

    async def action_quit(self) -> None:
        """ctrl+q: quit the app, once every pending write is committed."""
        from review.tui.screens.base import ReviewScreen

        writing = [s for s in self.screen_stack if isinstance(s, ReviewScreen) and s.db.writing]
        if not writing:
            self.exit()
        for s in writing:
            s.request_close(exit_app=True)
