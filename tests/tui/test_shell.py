"""The app shell: screens opened by name (a screen added by one module and one
line), closing back to the screen beneath, and the database worker: reads and
writes off the UI thread, on a database another program has locked."""

import asyncio

import pytest

import review.db
from review.errors import BadInput
from review.tui import registry
from review.tui.app import ReviewApp
from review.tui.screens.help import HelpScreen
from tests.tui.conftest import decisions, lock, release, review_screens, settle, status
from tests.tui.probe import ProbeScreen


@pytest.fixture
def probe(monkeypatch):
    """Register the test screen: the one line a new screen needs."""
    monkeypatch.setitem(registry.SCREENS, "probe", "tests.tui.probe:ProbeScreen")


def run(db, script, start="dedup-pairs", **kw):
    async def go():
        app = ReviewApp(db, start=start, actor="bob", **kw)
        async with app.run_test() as pilot:
            await settle(pilot)
            await script(app, pilot)
        return app

    return asyncio.run(go())


def test_unknown_screen_is_refused_before_the_terminal_is_taken():
    with pytest.raises(BadInput, match="no screen named 'nope'"):
        ReviewApp("x.db", start="nope")


def test_a_registered_screen_opens_reads_writes_and_stacks(pairs_project, probe):
    async def script(app, pilot):
        (screen,) = review_screens(app)
        assert isinstance(screen, ProbeScreen) and screen.greeting == "hi"
        assert screen.count == 6 and status(app) == "6 records"
        await pilot.press("w")
        await settle(pilot)
        assert len(screen.written) == 1
        await pilot.press("o")  # a dashboard opens another screen on top
        await settle(pilot)
        assert [type(s).__name__ for s in review_screens(app)] == ["ProbeScreen", "PairScreen"]
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("q")  # closes the pair screen, back to the probe
        await pilot.pause()
        assert app.is_running and app.screen is screen
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running

    run(pairs_project, script, start="probe", start_args={"greeting": "hi"})
    assert decisions(pairs_project) == [("merge", 1, 3)]


def test_help_of_another_screen_lists_its_own_keys(pairs_project, probe):
    async def script(app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert [r[2] for r in app.screen.rows] == ["probe.write", "probe.pairs", "app.help", "app.quit",
                                                   "app.reload"]

    run(pairs_project, script, start="probe")


def test_a_read_on_a_locked_database_does_not_freeze_the_ui(pairs_project, notes, monkeypatch):
    monkeypatch.setattr(review.db, "BUSY_TIMEOUT_MS", 30_000)
    holder = lock(pairs_project, readers=True)  # not even a read gets through

    async def go():
        app = ReviewApp(pairs_project, start="dedup-pairs", actor="bob")
        async with app.run_test() as pilot:
            await pilot.pause()
            (screen,) = review_screens(app)
            assert "loading… (next pair)" in status(app) and screen.current is None
            await pilot.press("m")  # nothing on screen yet: ignored, with a notice
            await pilot.pause()
            assert any("loading… (next pair); that key was ignored" in n for n in notes)
            await pilot.press("question_mark")  # the UI answers while the read waits
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert screen.db.pending is not None  # still waiting for the lock
            release(holder)
            await settle(pilot)
            assert screen.current["pair_id"] == 1
            await pilot.press("m")
            await settle(pilot)

    try:
        asyncio.run(go())
    finally:
        if holder is not None:
            holder.close()
    assert decisions(pairs_project) == [("merge", 1, 3)]


def test_a_read_that_times_out_is_reported_and_r_retries(pairs_project, notes, monkeypatch):
    monkeypatch.setattr(review.db, "BUSY_TIMEOUT_MS", 300)
    holder = lock(pairs_project, readers=True)

    async def script(app, pilot):
        (screen,) = review_screens(app)
        assert screen.current is None
        assert "could not read the possible pairs" in status(app)
        assert any("database busy (another program holds it); press r to try again" in n for n in notes)
        release(holder)
        await pilot.press("r")
        await settle(pilot)
        assert screen.current["pair_id"] == 1

    run(pairs_project, script)


def test_quitting_during_a_read_does_not_wait_for_the_lock(pairs_project, monkeypatch):
    monkeypatch.setattr(review.db, "BUSY_TIMEOUT_MS", 30_000)
    holder = lock(pairs_project, readers=True)
    jobs = []

    async def go():
        app = ReviewApp(pairs_project, start="dedup-pairs", actor="bob")
        async with app.run_test() as pilot:
            await pilot.pause()
            (screen,) = review_screens(app)
            jobs.append(screen.db.pending)
            assert jobs[0].kind == "read"
            await pilot.press("q")
            await pilot.pause()
            assert not app.is_running

    try:
        asyncio.run(go())
        # the app has ended while its read still waits for the lock: it was abandoned, not waited for
        assert jobs[0].abandoned and jobs[0].thread.is_alive()
    finally:
        release(holder)
    jobs[0].thread.join()
