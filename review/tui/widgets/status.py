"""The status line under the header: what is on screen (or what is being
saved or loaded), and the latest notice, which stays until the next one so a
user who missed the toast can still read it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

SEVERITY_STYLE = {"information": "", "warning": "bold", "error": "bold reverse"}


class StatusLine(Static):
    """Two parts: ``item`` (replaced by ``busy`` while a database job runs) and ``notice``."""

    def __init__(self, **kw) -> None:
        super().__init__("", **kw)
        self.item = ""
        self.busy = ""
        self.notice = ""
        self.severity = "information"

    def set_item(self, text: str) -> None:
        self.item = text
        self._paint()

    def set_busy(self, text: str) -> None:
        self.busy = text
        self._paint()

    def set_notice(self, text: str, severity: str = "information") -> None:
        self.notice, self.severity = text, severity
        self._paint()

    def _paint(self) -> None:
        t = Text(self.busy or self.item)
        if self.notice:
            t.append("\n")
            t.append(self.notice, style=SEVERITY_STYLE.get(self.severity, ""))
        self.update(t)
