"""The pair view while another writer holds the database: the screen stays
responsive ("saving…"), keys are not applied to unseen pairs, a busy timeout
is reported instead of crashing, and a decision made by someone else since the
pair was shown is named. Real SQLite file, a second real connection holding
BEGIN IMMEDIATE, Textual App.run_test with pilot.press."""

import asyncio
import sqlite3

from textual.worker import WorkerCancelled

import review.db
from review.db import open_db
from review.dedup import store
from review.tui.dedup_pairs import PairReviewApp
from tests.dedup.test_project import cli, make_project
from tests.dedup.test_tui import decisions


def status(app):
    return str(app.query_one("#status").render())


def run_app(tmp_path, script):
    """Run the pair view on a fresh deduplicated project; ``script(app, pilot, notes, first)``
    drives it (``notes`` collects notifications, ``first`` is the pair shown first)."""
    db = make_project(tmp_path)
    assert cli(db, "dedup").exit_code == 0

    async def main():
        app = PairReviewApp(str(db), actor="bob")
        notes: list[str] = []
        async with app.run_test() as pilot:
            await pilot.pause()
            app.notify = lambda message, **kw: notes.append(str(message))
            first = app.current
            await script(app, pilot, notes, first, db)
        return db, app, first

    return asyncio.run(main())


async def settle(app, pilot):
    """Wait for the pending database write, then for the screen to update."""
    await app.workers.wait_for_complete()
    await pilot.pause()


def lock(db):
    holder = sqlite3.connect(str(db), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_locked_database_shows_saving_and_stores_after_release(tmp_path, monkeypatch):
    monkeypatch.setattr(review.db, "BUSY_TIMEOUT_MS", 5000)

    async def script(app, pilot, notes, first, db):
        holder = lock(db)
        try:
            await pilot.press("m")
            await pilot.pause()  # returns: the event loop is not blocked by the lock
            assert "saving" in status(app)
            assert app.current["pair_id"] == first["pair_id"]
            await pilot.press("k")  # ignored while saving: never applied to an unseen pair
            await pilot.press("s")
            await pilot.pause()
            assert any("ignored" in n for n in notes)
            assert decisions(db) == []
        finally:
            holder.execute("COMMIT")
            holder.close()
        await settle(app, pilot)
        assert app.saving is None and "saving" not in status(app)
        assert app.is_running
        await pilot.press("q")

    db, _, first = run_app(tmp_path, script)
    assert decisions(db) == [("merge", first["record_a"], first["record_b"])]


def test_busy_timeout_is_reported_and_the_pair_stays(tmp_path, monkeypatch):
    monkeypatch.setattr(review.db, "BUSY_TIMEOUT_MS", 50)

    async def script(app, pilot, notes, first, db):
        holder = lock(db)
        try:
            await pilot.press("m")
            await settle(app, pilot)
            assert app.is_running
            assert any("database busy, press the key again" in n for n in notes)
            assert app.current["pair_id"] == first["pair_id"]
            assert "saving" not in status(app) and f"pair {first['pair_id']}" in status(app)
            assert decisions(db) == []
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await pilot.press("m")  # pressed again, now it is written
        await settle(app, pilot)
        await pilot.press("q")

    db, _, first = run_app(tmp_path, script)
    assert decisions(db) == [("merge", first["record_a"], first["record_b"])]


def test_decision_made_elsewhere_since_shown_is_named(tmp_path):
    async def script(app, pilot, notes, first, db):
        other = open_db(db)
        store.decide(other, first["pair_id"], "keep", "carol")
        other.close()
        await pilot.press("m")
        await settle(app, pilot)
        assert any("carol had decided 'keep'" in n and "'merge' replaces it" in n for n in notes), notes
        await pilot.press("q")

    db, _, _ = run_app(tmp_path, script)
    assert [d[0] for d in decisions(db)] == ["keep", "merge"]


def test_quit_while_saving_waits_for_the_write(tmp_path, monkeypatch):
    monkeypatch.setattr(review.db, "BUSY_TIMEOUT_MS", 5000)

    async def script(app, pilot, notes, first, db):
        holder = lock(db)
        await pilot.press("m")
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running  # still saving: quitting now would lose the key press
        holder.execute("COMMIT")
        holder.close()
        try:  # the app exits as soon as the write is done, cancelling what is left
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            pass

    db, app, first = run_app(tmp_path, script)
    assert app.return_code == 0
    assert decisions(db) == [("merge", first["record_a"], first["record_b"])]
