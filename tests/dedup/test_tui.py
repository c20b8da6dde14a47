"""The pair view: real Textual app, keys that really change the database."""

import asyncio

from review.db import open_db
from review.tui.dedup_pairs import PairReviewApp
from tests.dedup.test_project import cli, make_project


def decisions(db):
    conn = open_db(db)
    try:
        return [tuple(r) for r in conn.execute("SELECT decision, record_a, record_b FROM dedup_decisions ORDER BY id")]
    finally:
        conn.close()


def test_keys_merge_undo_keep_and_quit(tmp_path):
    db = make_project(tmp_path)
    assert cli(db, "dedup").exit_code == 0

    async def drive():
        app = PairReviewApp(str(db), actor="bob")
        async with app.run_test() as pilot:
            await pilot.pause()
            first = app.current
            assert first is not None
            left = str(app.query_one("#left").render())
            assert f"record {first['record_a']}" in left
            await pilot.press("m")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert decisions(db)[-1][0] == "merge"
            await pilot.press("u")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert decisions(db)[-1][0] == "undo"
            assert app.current["pair_id"] == first["pair_id"]
            await pilot.press("s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("k")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("q")
        return first

    first = asyncio.run(drive())
    rows = decisions(db)
    assert [r[0] for r in rows][:2] == ["merge", "undo"]
    assert (first["record_a"], first["record_b"]) == rows[0][1:]
