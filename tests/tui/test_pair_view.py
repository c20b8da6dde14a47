"""The dedup pair screen: every key path, on a real project file, through the
real app (App.run_test) and keys that really change the database."""

import asyncio
import io

from click.testing import CliRunner
from rich.console import Console

from review.cli import main
from review.db import open_db
from review.dedup import store
from review.tui.app import ReviewApp
from review.tui.widgets.compare import CompareView
from tests.dedup.test_project import cli, make_project
from tests.tui.conftest import decisions, review_screens, settle, status


def body(app) -> str:
    """The text of the comparison as a 100-column terminal shows it."""
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(app.screen.query_one(CompareView).content)
    return console.export_text()


def run(db, script, *, actor="bob", size=(100, 40), **kw):
    """Open the app on the pair screen and run ``script(app, pilot, screen)``; returns the app."""

    async def go():
        app = ReviewApp(db, start="dedup-pairs", actor=actor, **kw)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await script(app, pilot, review_screens(app)[0])
        return app

    return asyncio.run(go())


def open_pair_ids(db):
    conn = open_db(db)
    try:
        return [p["pair_id"] for p in store.open_pairs(conn)]
    finally:
        conn.close()


def test_opens_on_the_best_pair_with_both_records(pairs_project):
    async def script(app, pilot, screen):
        assert screen.current["pair_id"] == 1
        assert status(app).startswith("pair 1 (3 left) · score 0.910")
        text = body(app)
        assert "record 1" in text and "record 3" in text and "different end pages" in text
        assert "≠ pages" in text and "100-110" in text and "100-10" in text
        assert "≠ title" not in text  # the same title in capitals is not a difference
        assert "…" in text  # the long abstract is cut
        assert app.screen.sub_title == "possible duplicates · demo.db"

    run(pairs_project, script)


def test_merge_then_keep_write_and_show_the_next_pair(pairs_project):
    async def script(app, pilot, screen):
        await pilot.press("m")
        await settle(pilot)
        assert decisions(pairs_project) == [("merge", 1, 3)]
        assert screen.current["pair_id"] == 3 and "pair 1: merge saved" in status(app)
        await pilot.press("k")
        await settle(pilot)
        assert decisions(pairs_project)[-1] == ("keep", 5, 6)
        assert screen.current["pair_id"] == 2 and "(1 left)" in status(app)

    run(pairs_project, script)


def test_skipping_every_pair_says_so_and_b_goes_back(pairs_project, notes):
    async def script(app, pilot, screen):
        await pilot.press("b")  # offered only once every pair has been seen: nothing happens
        await settle(pilot)
        assert screen.current["pair_id"] == 1 and "back to" not in status(app)
        for expected in (1, 3, 2):
            assert screen.current["pair_id"] == expected
            await pilot.press("s")
            await settle(pilot)
        assert screen.current is None
        assert "3 pair(s) skipped this session; none left unseen" in status(app)
        assert "No possible pairs left" not in status(app)
        assert "press b to decide them now" in body(app)
        assert decisions(pairs_project) == []
        assert open_pair_ids(pairs_project) == [1, 3, 2]  # what `review dedup pairs` lists
        await pilot.press("m")  # no pair on screen: nothing is decided
        await settle(pilot)
        assert decisions(pairs_project) == []
        await pilot.press("b")
        await settle(pilot)
        assert screen.current["pair_id"] == 1 and "back to the 3 skipped pair(s)" in status(app)
        await pilot.press("k")
        await settle(pilot)
        assert screen.current["pair_id"] == 3

    run(pairs_project, script)
    assert decisions(pairs_project) == [("keep", 1, 3)]


def test_end_of_the_queue_without_skips(pairs_project):
    async def script(app, pilot, screen):
        for key in "mkm":
            await pilot.press(key)
            await settle(pilot)
        assert screen.current is None
        assert "No possible pairs left (3 decided this session)" in status(app)
        await pilot.press("b")  # nothing skipped: b does nothing
        await settle(pilot)
        assert screen.current is None

    run(pairs_project, script)
    assert [d[0] for d in decisions(pairs_project)] == ["merge", "keep", "merge"]


def test_undo_with_nothing_to_undo_says_so(pairs_project, notes):
    async def script(app, pilot, screen):
        await pilot.press("u")
        await settle(pilot)
        assert "nothing to undo" in status(app)
        assert any(n.startswith("nothing to undo") for n in notes)
        assert screen.current["pair_id"] == 1

    run(pairs_project, script)
    assert decisions(pairs_project) == []


def test_undo_takes_back_the_decision_and_shows_its_pair_again(pairs_project):
    async def script(app, pilot, screen):
        await pilot.press("s")  # pair 1 skipped
        await settle(pilot)
        await pilot.press("m")  # pair 3 merged
        await settle(pilot)
        assert screen.current["pair_id"] == 2 and screen.decided == 1
        await pilot.press("u")
        await settle(pilot)
        assert "undid merge of records 5 and 6" in status(app) and "before this session" not in status(app)
        assert screen.current["pair_id"] == 3 and screen.decided == 0

    run(pairs_project, script)
    assert decisions(pairs_project) == [("merge", 5, 6), ("undo", 5, 6)]


def test_undo_of_a_decision_from_an_earlier_session_says_so(pairs_project):
    conn = open_db(pairs_project)
    store.decide(conn, 2, "keep", "bob")
    conn.close()

    async def script(app, pilot, screen):
        assert 2 not in open_pair_ids(pairs_project)
        await pilot.press("u")
        await settle(pilot)
        assert "undid keep of records 2 and 4 (decision 1, made before this session)" in status(app)
        assert screen.current["pair_id"] == 2  # the pair undone is shown first

    run(pairs_project, script)


def test_q_quits(pairs_project):
    async def script(app, pilot, screen):
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running

    app = run(pairs_project, script)
    assert app.return_code == 0


def test_help_lists_the_keys_of_the_screen(pairs_project):
    async def script(app, pilot, screen):
        await pilot.press("question_mark")
        await pilot.pause()
        from review.tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        ids = [r[2] for r in app.screen.rows]
        assert ids == ["dedup.merge", "dedup.keep", "dedup.skip", "dedup.undo",
                       "app.help", "app.quit", "app.reload"]  # b is not offered mid-queue
        await pilot.press("q")  # closes the help, not the app
        await pilot.pause()
        assert app.screen is screen and app.is_running
        await pilot.press("m")
        await settle(pilot)

    run(pairs_project, script)
    assert decisions(pairs_project) == [("merge", 1, 3)]


def test_with_a_real_dedup_run(tmp_path):
    """The screen on pairs found by `review dedup` itself (not written by the fixture)."""
    db = make_project(tmp_path)
    assert cli(db, "dedup").exit_code == 0
    first_open = open_pair_ids(db)[0]

    async def script(app, pilot, screen):
        first = screen.current
        assert first["pair_id"] == first_open
        assert f"record {first['record_a']}" in body(app)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert screen.current["pair_id"] == first["pair_id"]
        await pilot.press("q")

    run(db, script)
    assert [d[0] for d in decisions(db)] == ["merge", "undo"]


def test_cli_refuses_without_a_terminal(pairs_project):
    r = CliRunner().invoke(main, ["--db", str(pairs_project), "dedup", "review"])
    assert r.exit_code == 2 and "needs a terminal" in r.output
