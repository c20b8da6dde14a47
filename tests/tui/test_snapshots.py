"""Snapshots of the screens (pytest-textual-snapshot): the pair screen at
80x24 and 200x50, the end of the queue after skipping, and the help screen.
Update after a deliberate change with `pytest tests/tui --snapshot-update`
and look at the SVG files in __snapshots__/ before committing them."""

import pytest

from review.tui.app import ReviewApp
from tests.tui.conftest import settle


@pytest.fixture
def app(pairs_project, monkeypatch):
    monkeypatch.setenv("REVIEW_KEYMAP", "keymap.toml")  # the help names this path: keep it fixed
    return ReviewApp(pairs_project, start="dedup-pairs", actor="bob")


def test_pair_view_80x24(app, snap_compare):
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_pair_view_200x50(app, snap_compare):
    assert snap_compare(app, terminal_size=(200, 50), run_before=settle)


def test_all_skipped_80x24(app, snap_compare):
    async def skip_all(pilot):
        await settle(pilot)
        for _ in range(3):
            await pilot.press("s")
            await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=skip_all)


def test_help_80x24(app, snap_compare):
    async def open_help(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_help)
