"""How review/tui is built: SQL stays in the core (the screens read and write
through core functions), styles in the one app.tcss, and every registered
screen derives from ReviewScreen with ids on its bindings."""

import re
from pathlib import Path

import review.tui
from review.tui.registry import SCREENS, screen_class
from review.tui.screens.base import ReviewScreen

TUI = Path(review.tui.__file__).parent
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|PRAGMA|BEGIN|COMMIT|ROLLBACK)\b|\.execute\(")


def test_no_sql_in_the_tui():
    hits = [f"{p.relative_to(TUI)}:{n}: {line.strip()}" for p in TUI.rglob("*.py")
            for n, line in enumerate(p.read_text().splitlines(), 1) if SQL.search(line)]
    assert hits == []


def test_one_stylesheet():
    assert [p.name for p in TUI.rglob("*.tcss")] == ["app.tcss"]
    inline = [f"{p.relative_to(TUI)}:{n}" for p in TUI.rglob("*.py")
              for n, line in enumerate(p.read_text().splitlines(), 1)
              if re.match(r"\s*(DEFAULT_)?CSS\s*=", line)]
    assert inline == []


def test_registered_screens_are_review_screens_with_binding_ids():
    for name in SCREENS:
        cls = screen_class(name)
        assert issubclass(cls, ReviewScreen), name
        assert cls.BINDINGS and all(b.id for b in cls.BINDINGS), name
