"""decide, queue, note, undo, conflicts, resolve and stage close through the
real CLI on a real project; only records both reviewers included (or the
adjudicator included) reach full text; bad input exits 2 and changes nothing."""

from __future__ import annotations

import pytest

from review.db import events as ev
from review.db import open_db
from tests.screening.helpers import FT, MARK_REASON, TA, dump, new_project, run, run_json


@pytest.fixture
def db(tmp_path):
    return new_project(tmp_path, n=6)


def queue(db, who, stage=TA):
    return {r["id"]: r for r in run_json(db, "queue", "--reviewer", who, "--stage", stage, user=who)}


def test_decide_queue_and_the_way_to_full_text(db):
    run(db, "decide", 1, "include", "--stage", TA, user="ANA")
    run(db, "decide", 1, "include", "--stage", TA, user="BEN")
    run(db, "decide", 2, "include", "--stage", TA, user="ANA")
    run(db, "decide", 2, "exclude", "--stage", TA, "--reason", "2", user="BEN")
    run(db, "decide", 3, "maybe", "--stage", TA, user="ANA")
    run(db, "decide", 3, "maybe", "--stage", TA, user="BEN")
    run(db, "decide", 4, "include", "--stage", TA, user="ANA")           # BEN has not decided 4
    q = queue(db, "ANA")
    assert [r["id"] for r in q.values()] == [1, 2, 3, 4, 5, 6]
    assert q[2]["decision"] == "include" and q[2]["conflict"] is True and q[4]["conflict"] is False
    assert q[5]["decision"] is None and q[5]["title"].startswith("Trial 4 of CAR-T")
    # full text: only record 1 (both included)
    assert list(queue(db, "BEN", FT)) == [1]
    # conflicts: 2 (include/exclude) and 3 (maybe/maybe), with reasons, for the adjudicator
    conf = run_json(db, "conflicts", "--adjudicator", "CAL", user="CAL")
    assert [(c["id"], c["stage"]) for c in conf] == [(2, TA), (3, TA)]
    assert conf[0]["decisions"]["BEN"] == {**conf[0]["decisions"]["BEN"], "decision": "exclude",
                                           "reason": "wrong population"}
    assert conf[1]["why"] == "both unsure (maybe)"
    single = run_json(db, "conflicts", "--one-reviewer", "--stage", TA, user="CAL")
    assert [(s["id"], s["decided_by"], s["waiting_for"]) for s in single] == [(4, ["ANA"], ["BEN"])]
    # the adjudicator includes 2: it moves to full text; 3 stays out until resolved
    run(db, "resolve", 2, "include", "--stage", TA, "--note", "a trial after all", user="CAL")
    assert list(queue(db, "ANA", FT)) == [1, 2]
    assert [c["id"] for c in run_json(db, "conflicts", user="CAL")] == [3]


def test_full_text_report_not_retrieved_and_reasons(db):
    for who in ("ANA", "BEN"):
        run(db, "decide", 1, "include", "--stage", TA, user=who)
    bad = run(db, "decide", 1, "exclude", "--stage", FT, user="ANA", ok=False)
    assert bad.exit_code == 2 and "needs a reason" in bad.output and f"1. {MARK_REASON}" in bad.output
    run(db, "decide", 1, "not_retrieved", "--stage", FT, "--report", "https://doi.org/10.1000/test.0", user="ANA")
    row = queue(db, "ANA", FT)[1]
    assert row["decision"] == "not_retrieved" and row["report"] == "https://doi.org/10.1000/test.0"
    assert queue(db, "BEN", FT)[1]["report"] is None          # a report location is the reviewer's own too


def test_undo_and_note(db):
    run(db, "decide", 1, "include", "--stage", TA)
    run(db, "decide", 1, "exclude", "--stage", TA, "--reason", "wrong population")
    out = run_json(db, "undo", "--reviewer", "ANA", "--stage", TA, 1)
    assert out["undone"]["decision"] == "exclude"
    assert queue(db, "ANA")[1]["decision"] == "include"       # the earlier decision is in force again
    run(db, "undo", "--stage", TA)
    assert queue(db, "ANA")[1]["decision"] is None
    nothing = run(db, "undo", "--stage", TA, ok=False)
    assert nothing.exit_code == 2 and "nothing to undo" in nothing.output
    run(db, "note", 2, "check the registry", "--stage", TA)
    assert queue(db, "ANA")[2]["note"] == "check the registry" and queue(db, "ANA")[2]["decision"] is None
    assert queue(db, "BEN")[2]["note"] is None
    # the adjudicator reads it once 2 is a conflict
    run(db, "decide", 2, "include", "--stage", TA, user="ANA")
    run(db, "decide", 2, "exclude", "--stage", TA, "--reason", "1", user="BEN")
    (c,) = run_json(db, "conflicts", user="CAL")
    assert c["decisions"]["ANA"]["notes"] == ["check the registry"] and c["decisions"]["BEN"]["notes"] == []
    conn = open_db(db)
    kinds = [e.kind for e in ev.events(conn, stage=TA)]
    assert kinds == ["decision", "decision", "undo", "undo", "note", "decision", "decision"]
    actions = [r[0] for r in conn.execute("SELECT action FROM audit_log WHERE action LIKE 'title_abstract.%'")]
    assert actions == (["title_abstract.decision"] * 2 + ["title_abstract.undo"] * 2 + ["title_abstract.note"]
                       + ["title_abstract.decision"] * 2)


def test_a_stage_closes_only_when_complete(db):
    for r in range(1, 7):
        run(db, "decide", r, "exclude", "--stage", TA, "--reason", "3", user="ANA")
    for r in range(1, 6):
        run(db, "decide", r, "exclude", "--stage", TA, "--reason", "3", user="BEN")
    status = run_json(db, "status")[TA]
    assert status["one_reviewer"] == 1 and status["can_close"] is False
    refused = run(db, "stage", "close", TA, "--adjudicator", "CAL", ok=False)
    assert refused.exit_code == 2 and "1 decided by one reviewer only" in refused.output
    run(db, "decide", 6, "include", "--stage", TA, user="BEN")
    refused = run(db, "stage", "close", TA, user="CAL", ok=False)
    assert "1 conflicts" in refused.output
    run(db, "resolve", 6, "exclude", "--stage", TA, "--reason", "3", user="CAL")
    assert run_json(db, "status")[TA]["can_close"] is True
    closed = run_json(db, "stage", "close", TA, user="CAL")
    assert closed["outcomes"] == {"exclude": 6}
    late = run(db, "decide", 1, "include", "--stage", TA, user="ANA", ok=False)
    assert late.exit_code == 2 and "closed by CAL" in late.output
    assert run_json(db, "status")[TA]["closed"]["by"] == "CAL"
    run(db, "stage", "reopen", TA, "--reason", "late copies", user="CAL")
    run(db, "decide", 1, "include", "--stage", TA, user="ANA")


BAD = [
    (("decide", 99, "include", "--stage", TA), "ANA", "no record 99"),
    (("decide", 1, "include", "--stage", "abstracts"), "ANA", "unknown stage 'abstracts'"),
    (("decide", 1, "exclude", "--stage", TA, "--reason", "too long"), "ANA", "not in the protocol's list"),
    (("decide", 1, "exclude", "--stage", TA, "--reason", "9"), "ANA", "not in the protocol's list"),
    (("decide", 1, "include", "--stage", TA, "--reason", "2"), "ANA", "a reason goes with an exclusion"),
    (("decide", 1, "perhaps", "--stage", TA), "ANA", "decision must be one of"),
    (("decide", 1, "not_retrieved", "--stage", TA), "ANA", "decision must be one of"),
    (("decide", 1, "include", "--stage", TA, "--report", "x.pdf"), "ANA", "full-text stage"),
    (("decide", 1, "include", "--stage", TA), "ZOE", "ZOE is not in the protocol's [people]"),
    (("decide", 1, "include", "--stage", TA), "CAL", "CAL is an adjudicator"),
    (("decide", 1, "include", "--stage", FT), "ANA", "not screened at full_text"),
    (("resolve", 1, "include", "--stage", TA), "ANA", "ANA is a reviewer"),
    (("resolve", 1, "maybe", "--stage", TA), "CAL", "include or exclude"),
    (("resolve", 42, "include", "--stage", TA), "CAL", "no record 42"),
    (("conflicts",), "BEN", "BEN is a reviewer"),
    (("conflicts", "--stage", "screening"), "CAL", "unknown stage"),
    (("queue", "--stage", TA), "CAL", "CAL is an adjudicator"),
    (("queue", "--stage", TA), "ZOE", "not in the protocol's [people]"),
    (("undo", "--stage", TA), "ANA", "nothing to undo"),
    (("undo", "--adjudicator", "ANA", "--stage", TA), "ANA", "ANA is a reviewer"),
    (("note", 1, " ", "--stage", TA), "ANA", "an empty note"),
    (("note", 1, "hm", "--stage", TA), "CAL", "CAL is an adjudicator"),
    (("agreement", "--stage", "extraction"), "ANA", "unknown stage"),
    (("stage", "close", TA), "ANA", "ANA is a reviewer"),
    (("stage", "close", TA), "CAL", "cannot be closed yet"),
    (("stage", "reopen", TA), "CAL", "is not closed"),
    (("pack", "nowhere/x.db", "--reviewer", "ANA"), "ANA", "no folder"),
    (("pack", "x.db", "--reviewer", "CAL"), "CAL", "CAL is an adjudicator"),
    (("merge", "missing.db"), "ANA", "no pack file"),
]


@pytest.mark.parametrize("args,user,message", BAD, ids=[" ".join(map(str, a[:3])) + f" as {u}" for a, u, _ in BAD])
def test_bad_input_exits_2_and_changes_nothing(db, args, user, message):
    run(db, "decide", 2, "include", "--stage", TA, user="BEN")
    before = dump(db)
    r = run(db, *args, user=user, ok=False)
    assert r.exit_code == 2, r.output
    assert message in r.stderr and r.stdout == "", r.output
    assert dump(db) == before
