"""The queue API the screen pages through: order (by unit, seeded random,
given), pages of items, filters, search (FTS5 and a scan for Chinese),
incremental updates equal to a fresh build, writes from a worker thread's
connection, marks for merged and split duplicate groups."""

from __future__ import annotations

import threading
from dataclasses import asdict

import pytest

from review.db import connect, open_db, units
from review.project import project_protocol
from review.screening.decisions import decide
from review.screening.queue import Queue
from tests.screening.helpers import PROTOCOL, TA, new_project, ris, run


@pytest.fixture
def project(tmp_path):
    db = new_project(tmp_path, n=30)
    conn = open_db(db)
    yield db, conn, project_protocol(conn)
    conn.close()


def state(q: Queue):
    """Progress and every item (in order), whatever the filter."""
    return q.progress(), [asdict(q.item(u)) for u in q.units]


def test_items_pages_and_progress(project):
    db, conn, protocol = project
    decide(conn, protocol, 3, "exclude", reviewer="ANA", stage=TA, reason="2", note="adult only")
    decide(conn, protocol, 4, "maybe", reviewer="ANA", stage=TA)
    q = Queue(conn, protocol, "ANA", TA)
    assert q.units == list(range(1, 31)) and len(q) == 30
    page = q.page(2, 3)
    assert [i.record_id for i in page] == [3, 4, 5]
    assert page[0].decision == "exclude" and page[0].reason == "wrong population" and page[0].note == "adult only"
    assert page[0].title == "Trial 2 of CAR-T cells in lymphoma" and page[0].authors == ("Zhang, Wei", "Author2, A")
    assert page[0].journal == "Blood" and page[0].year == 2002 and "lentiviral" in page[0].abstract
    assert page[2].decision is None and not page[2].conflict
    assert q.progress() == q.progress().__class__(total=30, done=2, left=28, maybe=1, conflicts=0,
                                                  second_look=0, disagreements=0)
    assert q.page(29, 10)[0].record_id == 30 and q.page(30, 10) == []


def test_orders_by_unit_seeded_random_and_given(tmp_path):
    text = PROTOCOL.replace("[screening]", '[screening]\nrandom_order_for = ["BEN"]')
    db = new_project(tmp_path, n=40, protocol=text)
    conn = open_db(db)
    protocol = project_protocol(conn)
    ana, ben = Queue(conn, protocol, "ANA", TA), Queue(conn, protocol, "BEN", TA)
    assert ana.units == sorted(ana.units)
    assert sorted(ben.units) == ana.units and ben.units != ana.units
    assert Queue(conn, protocol, "BEN", TA).units == ben.units          # the same order every time
    assert Queue(conn, protocol, "ANA", TA, random_order=True).units not in (ana.units, ben.units)
    given = Queue(conn, protocol, "ANA", TA, order=[7, 3, 999, 7, 12])
    assert given.units[:3] == [7, 3, 12] and sorted(given.units) == ana.units


def test_filters_and_search(project, tmp_path):
    db, conn, protocol = project
    decide(conn, protocol, 1, "include", reviewer="ANA", stage=TA)
    decide(conn, protocol, 2, "maybe", reviewer="ANA", stage=TA)
    q = Queue(conn, protocol, "ANA", TA)
    assert q.filter("undecided") == 28 and q.page(0, 1)[0].record_id == 3
    assert q.filter("mine") == 2 and q.filter("maybe") == 1 and q.index(2) == 0 and q.index(1) is None
    assert q.filter("all", "trial 17") == 1 and q.page(0, 1)[0].title == "Trial 17 of CAR-T cells in lymphoma"
    assert q.filter("all", "LENTIVIR cd19") == 30               # prefix, any case, every word
    assert q.filter("undecided", "lentiviral") == 28
    assert q.filter("all", "myeloma") == 0
    # records imported after the index was built are found (the index catches up)
    f = tmp_path / "more.ris"
    f.write_text(ris(2, start=100, title="Myeloma {i}: BCMA CAR-T", abstract="嵌合抗原受体T细胞治疗多发性骨髓瘤"),
                 encoding="utf-8")
    run(db, "import", f, "--source", "CNKI")
    q.refresh()
    assert q.filter("all", "myeloma") == 2
    assert q.filter("all", "骨髓瘤") == 2 and q.filter("all", "骨髓瘤 BCMA") == 2 and q.filter("all", "肺癌") == 0
    with pytest.raises(Exception, match="unknown filter"):
        q.filter("later")


def test_incremental_updates_equal_a_fresh_build(project):
    db, conn, protocol = project
    for r in (1, 2, 3):
        decide(conn, protocol, r, "include", reviewer="BEN", stage=TA)
    q = Queue(conn, protocol, "ANA", TA)
    q.filter("undecided")
    assert q.decide(1, "exclude", reason="3").conflict               # BEN included 1: now both decided
    assert not q.decide(2, "include").conflict
    q.decide(4, "maybe", note="ask CAL")
    q.note(5, "registry?")
    q.decide(3, "exclude", reason="1")
    q.undo(3)
    q.undo()                       # the latest in force: 4's maybe
    fresh = Queue(conn, protocol, "ANA", TA)
    fresh.filter("undecided")
    assert state(q) == state(fresh)
    assert q.progress().conflicts == 1 and q.progress().done == 2
    # undoing 4's maybe takes its note with it; a note on its own stays
    assert q.item(5).note == "registry?" and q.item(4).decision is None and q.item(4).note is None
    # the selection keeps decided units in place until the filter is applied again
    assert 1 in q.selection and q.filter("undecided") == 28


def test_a_worker_thread_writes_on_its_own_connection(project):
    db, conn, protocol = project
    q = Queue(conn, protocol, "ANA", TA)
    got = {}

    def work():
        c = connect(db)
        try:
            got["rec"] = q.record_decision(c, 6, "include", note="from a worker")
        finally:
            c.close()

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert q.apply(got["rec"]) == 6
    item = q.item(6)
    assert item.decision == "include" and item.note == "from a worker" and q.progress().done == 1


def test_merged_and_split_groups_are_marked(tmp_path):
    """Copies decided before deduplication: a merged group whose copies ANA
    decided differently shows the disagreement (and is undecided for her);
    the queue notices the unit changed under it (stale)."""
    db = new_project(tmp_path, n=0)
    f = tmp_path / "a.ris"
    f.write_text(ris(3), encoding="utf-8")
    run(db, "import", f, "--source", "Embase")
    g = tmp_path / "b.ris"
    g.write_text(ris(1).replace("TI  - Trial 0", "TI  - TRIAL 0"), encoding="utf-8")
    run(db, "import", g, "--source", "Scopus")
    conn = open_db(db)
    protocol = project_protocol(conn)
    decide(conn, protocol, 1, "include", reviewer="ANA", stage=TA)
    decide(conn, protocol, 4, "exclude", reviewer="ANA", stage=TA, reason="2")
    q = Queue(conn, protocol, "ANA", TA)
    assert len(q.units) == 4
    run(db, "dedup")
    merged = units.unit_of(conn, 1)
    assert merged == units.unit_of(conn, 4) and merged not in q.units
    assert q.decide(2, "include") is not None and not q.stale     # an unchanged unit: fine
    fresh = Queue(conn, protocol, "ANA", TA)
    item = fresh.item(merged)
    assert item.records == (1, 4) and item.decision is None and item.disagreement == ("exclude", "include")
    assert fresh.progress().disagreements == 1 and fresh.filter("second_look") == 1
    assert fresh.filter("undecided") == 2
    # the old queue still shows record 1's old unit: the decision lands on the merged unit, the queue says stale
    assert q.decide(1, "include") is None and q.stale
    q.refresh()
    item = q.item(merged)
    assert item.decision == "include" and item.disagreement == () and q.progress().disagreements == 0
    assert not q.stale and q.progress().done == 2
    # taking record 4 out of the group splits the unit: both parts inherit the decision, for a second look
    run(db, "dedup", "undo", "--record", 4)
    q.refresh()
    parts = [units.unit_of(conn, 1), units.unit_of(conn, 4)]
    assert len(set(parts)) == 2 and merged not in parts
    for u in parts:
        it = q.item(u)
        assert it.decision == "include" and it.inherited and it.second_look
    assert q.progress().second_look == 2 and q.filter("second_look") == 2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_tally_says_what_the_stage_view_says(tmp_path, seed):
    """The compact whole-stage pass (behind the queue) equals stage_view on a
    project with rules, decisions, undos, resolutions, merged and split groups."""
    import random

    from review.db import events as ev
    from review.db import transaction
    from review.screening.decisions import resolve, undo
    from review.screening.tally import tally
    from review.screening.view import stage_view

    rnd = random.Random(seed)
    db = new_project(tmp_path, n=0)
    f, g = tmp_path / "a.ris", tmp_path / "b.ris"
    f.write_text(ris(40), encoding="utf-8")
    g.write_text(ris(8, start=0).replace("TI  - Trial", "TI  - TRIAL"), encoding="utf-8")   # copies of 1..8
    run(db, "import", f, "--source", "Embase")
    run(db, "import", g, "--source", "Scopus")
    conn = open_db(db)
    protocol = project_protocol(conn)
    with transaction(conn):
        for r in rnd.sample(range(1, 49), 5):
            ev.append_event(conn, "rules", "automation", units.unit_of(conn, r), "rule", record_id=r,
                            decision="exclude", reason="year")

    def scramble(stage, records):
        for _ in range(60):
            r = rnd.choice(records)
            who = rnd.choice(["ANA", "BEN"])
            d = rnd.choice(["include", "include", "exclude", "maybe"] + (["not_retrieved"] if stage == "full_text" else []))
            try:
                decide(conn, protocol, r, d, reviewer=who, stage=stage, reason="1" if d == "exclude" else None)
                if rnd.random() < 0.15:
                    undo(conn, protocol, who, stage)
                if rnd.random() < 0.1:
                    resolve(conn, protocol, r, rnd.choice(["include", "exclude"]), adjudicator="CAL", stage=stage)
            except Exception as exc:          # rule-excluded or not at this stage: skipped, as a person would be
                assert "not screened" in str(exc) or "nothing to undo" in str(exc) or "reason" in str(exc), exc

    def same():
        for stage in ("title_abstract", "full_text"):
            v, t = stage_view(conn, protocol, stage), tally(conn, protocol, stage)
            assert t.units == v.units
            assert t.states == {u: o.state for u, o in v.outcomes.items()}
            assert t.decisions == {u: {a: st.decision for a, st in by.items() if st.decided}
                                   for u, by in v.reviewers.items() if any(st.decided for st in by.values())}
            for who in ("ANA", "BEN"):
                q = Queue(conn, protocol, who, stage)
                assert q.own == {u: by[who].decision for u, by in v.reviewers.items()
                                 if who in by and by[who].decided}

    scramble("title_abstract", list(range(1, 49)))
    same()
    run(db, "dedup")                         # merges the copies: inherited standings, disagreements
    scramble("title_abstract", list(range(1, 49)))
    scramble("full_text", list(range(1, 49)))
    same()
    assert any(k == "merge" for _, _, k in units.lineage(conn))
    assert tally(conn, protocol, "full_text").decisions and ev.events(conn, kinds=("resolution",))
    run(db, "dedup", "undo", "--record", 41)  # a split
    assert any(k == "split" for _, _, k in units.lineage(conn))
    same()
