"""The pair screen while another program holds the database: the screen stays
responsive ("saving…" / "loading…"), keys are not applied to unseen pairs, a
busy timeout is reported instead of crashing and can be retried, quitting
waits for a pending write (never for a pending read), and a decision made by
someone else since the pair was shown is named. Real SQLite file, a second
real connection holding the lock, Textual App.run_test with pilot.press."""

import asyncio

import pytest

from textual.worker import WorkerCancelled

import review.db
from review.db import open_db
from review.dedup import store
from review.tui.app import ReviewApp
from tests.tui.conftest import decisions, lock, release, review_screens, settle, status


def run_app(db, script):
    """Run the pair screen on ``db``; ``script(app, pilot, screen)`` drives it."""

    async def main():
        app = ReviewApp(db, start="dedup-pairs", actor="bob")
        async with app.run_test() as pilot:
            await settle(pilot)
            await script(app, pilot, review_screens(app)[0])
        return app

    return asyncio.run(main())


def test_locked_database_shows_saving_and_stores_after_release(pairs_project, notes, monkeypatch):
    monkeypatch.setattr(review.db, "BUSY_TIMEOUT_MS", 10_000)

    async def script(app, pilot, screen):
        holder = lock(pairs_project)
        try:
            await pilot.press("m")
            await pilot.pause()  # returns: the event loop is not blocked by the lock
            assert "saving… (merge pair 1)" in status(app)
            assert screen.current["pair_id"] == 1
            await pilot.press("k")  # ignored while saving: never applied to an unseen pair
            await pilot.press("s")
            await pilot.press("u")
            await pilot.pause()
            assert sum("that key was ignored" in n for n in notes) == 3
            assert decisions(pairs_project) == []
        finally:
            release(holder)
        await settle(pilot)
        assert "saving" not in status(app) and screen.current["pair_id"] == 3
        assert app.is_running
        await pilot.press("q")

    run_app(pairs_project, script)
    assert decisions(pairs_project) == [("merge", 1, 3)]


def test_busy_timeout_is_reported_and_the_pair_stays(pairs_project, notes, monkeypatch):
    monkeypatch.setattr(review.db, "BUSY_TIMEOUT_MS", 50)

    async def script(app, pilot, screen):
        holder = lock(pairs_project)
        try:
            await pilot.press("m")
            await settle(pilot)
            assert app.is_running
            assert any("database busy (another program is writing to it); press the key again" in n
                       for n in notes)
            assert screen.current["pair_id"] == 1
            assert "saving" not in status(app) and "pair 1" in status(app) and "database busy" in status(app)
            assert decisions(pairs_project) == []
        finally:
            release(holder, commit=False)
        await pilot.press("m")  # pressed again, now it is written
        await settle(pilot)
        await pilot.press("q")

    run_app(pairs_project, script)
    assert decisions(pairs_project) == [("merge", 1, 3)]


def test_decision_made_elsewhere_since_shown_is_named(pairs_project, notes):
    async def script(app, pilot, screen):
        other = open_db(pairs_project)
        store.decide(other, 1, "keep", "carol")
        other.close()
        await pilot.press("m")
        await settle(pilot)
        assert any("carol had decided 'keep'" in n and "'merge' replaces it" in n for n in notes), notes
        await pilot.press("q")

    run_app(pairs_project, script)
    assert [d[0] for d in decisions(pairs_project)] == ["keep", "merge"]


@pytest.mark.parametrize("key, quit_key", [("m", "q"), ("k", "ctrl+q")])
def test_quit_while_saving_waits_for_the_write(pairs_project, monkeypatch, key, quit_key):
    monkeypatch.setattr(review.db, "BUSY_TIMEOUT_MS", 10_000)

    async def script(app, pilot, screen):
        holder = lock(pairs_project)
        await pilot.press(key)
        await pilot.press(quit_key)
        await pilot.pause()
        assert app.is_running and "closing when it is written" in status(app)
        release(holder)
        try:  # the app exits as soon as the write is done, cancelling what is left
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            pass

    app = run_app(pairs_project, script)
    assert app.return_code == 0
    assert decisions(pairs_project) == [({"m": "merge", "k": "keep"}[key], 1, 3)]


def test_a_write_that_fails_while_quitting_keeps_the_screen_open(pairs_project, notes, monkeypatch):
    """Quitting must not lose a decision silently: if the pending write fails, say so and stay.
    (The other program, while it holds the lock, adds a trigger that refuses the write.)"""
    monkeypatch.setattr(review.db, "BUSY_TIMEOUT_MS", 10_000)

    async def script(app, pilot, screen):
        holder = lock(pairs_project)
        await pilot.press("m")
        await pilot.press("q")
        await pilot.pause()
        assert "closing when it is written" in status(app)
        holder.execute("CREATE TRIGGER refuse BEFORE INSERT ON dedup_decisions"
                       " BEGIN SELECT RAISE(ABORT, 'refused by the other program'); END")
        release(holder)
        await settle(pilot)
        assert app.is_running
        assert "not saved: database error: refused by the other program" in status(app)
        assert screen.current["pair_id"] == 1
        conn = open_db(pairs_project)
        conn.execute("DROP TRIGGER refuse")
        conn.close()
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running

    run_app(pairs_project, script)
    assert decisions(pairs_project) == [("merge", 1, 3)]
