"""The extraction, reconcile and MINORS screens through the real app
(App.run_test) on real project files: entering, correcting and submitting a
study, the adjudicator settling a difference with a rationale, MINORS scored
with its guidance on screen; plus snapshots of the three screens."""

from __future__ import annotations

import asyncio
import io
import json

import pytest
from rich.console import Console

from review.db import events as ev
from review.db import open_db
from review.tui.app import ReviewApp
from tests.extraction.projects import S1, S2, included_project
from tests.screening.helpers import run
from tests.tui.conftest import review_screens, settle, status


def project(tmp_path):
    db = included_project(tmp_path)
    run(db, "studies")
    return db


@pytest.fixture
def db(tmp_path):
    return project(tmp_path)


def drive(db, start, actor, script, size=(110, 48), **args):
    async def go():
        app = ReviewApp(db, start=start, actor=actor, start_args=args)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await script(app, pilot, review_screens(app)[0])
        return app

    return asyncio.run(go())


def rendered(widget, width=100) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


def mine(db, who, study=S1):
    doc = json.loads(run(db, "extract", "show", study, "--reviewer", who, "--json", user=who).stdout)
    return {v["field"]: v["value"] for v in doc["values"]}, doc


async def type_into(pilot, screen, name, text):
    box = screen.query_one(f"#in-{name}")
    box.focus()
    await pilot.pause()
    box.value = ""
    await pilot.press(*text) if text else None
    await pilot.pause()


def test_enter_correct_and_submit_a_study(db):
    async def script(app, pilot, screen):
        report = rendered(screen.query_one("#report"))
        assert S1 in report and "Trial 0 of CAR-T cells in lymphoma" in report and "lentiviral CD19" in report
        assert status(app).startswith(f"{S1} (1/2) · open")
        await type_into(pilot, screen, "n", "20")
        await pilot.press("enter")                          # saves n, moves on
        await settle(pilot)
        assert mine(db, "ANA")[0] == {"n": 20}
        assert "saved: 20" in rendered(screen.query_one("#msg-n"))
        await type_into(pilot, screen, "responders", "25")
        assert "✗ 25 events is more than n = 20" in rendered(screen.query_one("#msg-responders"))
        await pilot.press("tab")                            # leaving a refused value saves nothing
        await settle(pilot)
        assert mine(db, "ANA")[0] == {"n": 20}
        await type_into(pilot, screen, "responders", "60%")  # corrected: a percent of n
        assert "✓ 12  (percent of n:60)" in rendered(screen.query_one("#msg-responders"))
        await pilot.press("tab")
        await settle(pilot)
        await type_into(pilot, screen, "dr", "")
        await pilot.press("ctrl+o")                         # NA: not reported
        await settle(pilot)
        assert mine(db, "ANA")[0] == {"n": 20, "responders": 12, "dr": None}
        await pilot.press("ctrl+s")                         # cancer is required
        await settle(pilot)
        assert "cannot submit without the required field(s) cancer" in status(app)
        await type_into(pilot, screen, "cancer", "Lymphoma")
        await pilot.press("ctrl+s")                         # saves the typed value, then submits
        await settle(pilot)
        values, doc = mine(db, "ANA")
        assert values["cancer"] == "lymphoma" and doc["submitted"] is True
        assert "submitted (a change reopens it)" in status(app)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert status(app).startswith(f"{S2} (2/2)") and screen.query_one("#in-n").value == ""

    drive(db, "extract", "ANA", script)


def test_the_other_reviewers_values_stay_hidden(db):
    for field, value in (("n", "33"), ("cancer", "myeloma"), ("dr", "41.5")):
        run(db, "extract", "set", S1, field, value, "--reviewer", "ANA", user="ANA")
    run(db, "extract", "submit", S1, "--reviewer", "ANA", user="ANA")

    async def script(app, pilot, screen):
        assert [screen.query_one(f"#in-{f}").value for f in ("n", "cancer", "dr")] == ["", "", ""]
        assert "submitted by ANA" in status(app)
        text = "".join(rendered(w) for w in screen.query("Static"))
        assert "41.5" not in text and "33" not in text

    drive(db, "extract", "BEN", script)


def test_an_arm_has_its_own_values(db):
    async def script(app, pilot, screen):
        await type_into(pilot, screen, "n", "30")
        await pilot.press("tab")
        await settle(pilot)
        arm = screen.query_one("#arm")
        arm.focus()
        await pilot.press(*"low dose", "enter")
        await pilot.pause()
        assert screen.query_one("#in-n").value == "" and screen.query_one("#in-n").placeholder == "whole study: 30"
        await type_into(pilot, screen, "n", "10")
        await pilot.press("tab")
        await settle(pilot)

    drive(db, "extract", "ANA", script)
    doc = mine(db, "ANA")[1]
    assert {(v["arm"], v["field"]): v["value"] for v in doc["values"]} == {("", "n"): 30, ("low dose", "n"): 10}


def both_submit(db, ana_n="20", ben_n="21"):
    for who, n in (("ANA", ana_n), ("BEN", ben_n)):
        for field, value in (("n", n), ("cancer", "myeloma"), ("responders", "7")):
            run(db, "extract", "set", S1, field, value, "--reviewer", who, user=who)
        run(db, "extract", "submit", S1, "--reviewer", who, user=who)


def reconciled(db):
    conn = open_db(db)
    try:
        return [(v.field, json.loads(v.value) if v.value else None, v.note, v.actor) for v in ev.values(conn)
                if v.kind == "reconciled" and v.actor == "CAL"]
    finally:
        conn.close()


def test_the_adjudicator_picks_a_value_with_a_rationale(db):
    both_submit(db)

    async def script(app, pilot, screen):
        shown = rendered(screen.query_one("#difference"))
        assert S1 in shown and "Patients" in shown and "ANA" in shown and "BEN" in shown
        assert "20" in shown and "21" in shown and "1 to settle" in status(app)
        await pilot.press("w")
        await pilot.press(*"Table 1 says 21", "enter")
        await pilot.press("2")
        await settle(pilot)
        assert "Nothing differs" in rendered(screen.query_one("#difference"))

    drive(db, "reconcile", "CAL", script)
    assert reconciled(db) == [("n", 21, "Table 1 says 21", "CAL")]
    assert json.loads(run(db, "reconcile", "--json", user="CAL").stdout) == []


def test_the_adjudicator_types_a_value_of_their_own(db):
    both_submit(db, "20", "21")

    async def script(app, pilot, screen):
        await pilot.press("e")
        await pilot.press(*"25", "enter")           # neither reviewer's
        await settle(pilot)
        await pilot.press("e")

    drive(db, "reconcile", "CAL", script)
    assert reconciled(db) == [("n", 25, None, "CAL")]


def test_a_reviewer_cannot_open_the_reconcile_screen(db, notes):
    async def script(app, pilot, screen):
        assert "could not read the differences" in status(app)

    drive(db, "reconcile", "ANA", script)
    assert any("ANA is a reviewer; the protocol's adjudicators are: CAL" in n for n in notes)


def test_minors_scored_with_the_guidance_on_screen(db):
    async def script(app, pilot, screen):
        guide = rendered(screen.query_one("#guidance"))
        assert "1. A clearly stated aim" in guide and "0 not reported: no aim is stated" in guide
        assert "2 reported and adequate: a precise question" in guide
        for key in "21201":                           # items 1-5
            await pilot.press(key)
            await settle(pilot)
        assert "6. Follow-up period appropriate" in rendered(screen.query_one("#guidance"))
        await pilot.press("s")                        # items 6-8 missing
        await settle(pilot)
        assert "cannot submit MINORS without item(s) 6, 7, 8" in status(app)
        await pilot.press("k")
        await pilot.press("1")                        # item 5 corrected
        await settle(pilot)
        for key in "220":
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert "MINORS submitted" in status(app)
        assert "total so far (8/8 scored)" in rendered(screen.query_one("#items")) and "10/16" in \
            rendered(screen.query_one("#items"))

    drive(db, "minors", "ANA", script)
    doc = json.loads(run(db, "minors", "show", S1, "--reviewer", "ANA", "--json", user="ANA").stdout)
    assert doc["scores"] == {"item1": 2, "item2": 1, "item3": 2, "item4": 0, "item5": 1, "item6": 2, "item7": 2,
                             "item8": 0} and doc["submitted"] is True


def test_minors_differences_settled_on_the_reconcile_screen(db, tmp_path):
    for who, last in (("ANA", 2), ("BEN", 0)):
        f = tmp_path / f"{who}.csv"
        f.write_text("study," + ",".join(f"item{i}" for i in range(1, 9)) + f"\n{S1},2,2,2,2,2,2,2,{last}\n")
        run(db, "minors", "import", f, "--reviewer", who, user=who)

    async def script(app, pilot, screen):
        shown = rendered(screen.query_one("#difference"))
        assert "item 8. Prospective calculation of the study size" in shown and "2 (reported and adequate)" in shown
        await pilot.press("2")                        # BEN's 0
        await settle(pilot)

    drive(db, "reconcile", "CAL", script, tool="minors")
    row = json.loads(run(db, "minors", "table", "--json").stdout)[0]
    assert (row["item8"], row["total"]) == (0, 14)


@pytest.fixture
def snap_db(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEW_KEYMAP", "keymap.toml")
    return project(tmp_path)


def test_extract_screen_snapshot(snap_db, snap_compare):
    async def before(pilot):
        await settle(pilot)
        screen = review_screens(pilot.app)[0]
        await type_into(pilot, screen, "n", "20")
        await pilot.press("tab")
        await settle(pilot)
        await type_into(pilot, screen, "responders", "25")

    assert snap_compare(ReviewApp(snap_db, start="extract", actor="ANA"), terminal_size=(110, 40),
                        run_before=before)


def test_reconcile_screen_snapshot(snap_db, snap_compare):
    both_submit(snap_db)
    assert snap_compare(ReviewApp(snap_db, start="reconcile", actor="CAL"), terminal_size=(100, 30),
                        run_before=settle)


def test_minors_screen_snapshot(snap_db, snap_compare):
    assert snap_compare(ReviewApp(snap_db, start="minors", actor="ANA"), terminal_size=(100, 34), run_before=settle)
