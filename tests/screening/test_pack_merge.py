"""Reviewers on separate machines: a pack holds one reviewer's work and
nothing of anyone else's; merging brings it back, idempotent and
order-free; a decision made on both sides is kept twice, with a notice; a bad
pack is refused and changes nothing. Real project files and the real CLI."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from review.db import events as ev
from review.db import open_db, transaction
from review.project import project_protocol
from review.screening.view import stage_view
from tests.screening.helpers import FT, TA, dump, new_project, run, run_json


@pytest.fixture
def project(tmp_path):
    db = new_project(tmp_path, n=10)
    conn = open_db(db)
    with transaction(conn):   # what the automatic rules write: an exclusion and a flag
        ev.append_event(conn, "rules", "automation", 10, "rule", record_id=10, decision="exclude",
                        reason="publication_type", payload={"value": "Review"})
        ev.append_event(conn, "rules", "automation", 9, "flag", record_id=9, reason="no impact factor known")
    conn.close()
    for who in ("ANA", "BEN"):
        run(db, "decide", 1, "include", "--stage", TA, user=who)
    run(db, "decide", 2, "exclude", "--stage", TA, "--reason", "2", "--note", "BEN-private-note", user="BEN")
    run(db, "decide", 3, "maybe", "--stage", TA, "--note", "ANA-own-note", user="ANA")
    return db


def canonical(db):
    """The state that must not depend on merge order: every event by uid, and
    every unit's standings and outcome at each stage."""
    conn = open_db(db)
    try:
        evs = ev.events(conn)
        uid = {e.id: e.uid for e in evs}
        events = sorted((e.uid, e.ts, e.actor, e.stage, e.unit_id, e.record_id, e.kind, e.decision, e.reason,
                         e.note, json.dumps(e.payload, sort_keys=True), uid.get(e.supersedes), e.origin)
                        for e in evs)
        protocol = project_protocol(conn)
        views = {}
        for s in (TA, FT):
            v = stage_view(conn, protocol, s)
            views[s] = {u: (sorted((a, st.decision, st.reason, st.note) for a, st in v.reviewers[u].items()),
                            v.outcomes[u].state) for u in v.units}
        return events, views
    finally:
        conn.close()


def test_a_pack_holds_its_reviewer_only_and_comes_back(project, tmp_path):
    pack = tmp_path / "ana-pack.db"
    out = run_json(project, "pack", pack, "--reviewer", "ANA")
    assert out["units"] == {TA: 9, FT: 1} and out["reviewer"] == "ANA"
    text = "\n".join(dump(pack))
    conn = sqlite3.connect(pack)
    actors = {r[0] for r in conn.execute("SELECT actor FROM events")}
    assert actors == {"ANA", "rules"}
    assert {r[0] for r in conn.execute("SELECT actor FROM audit_log")} <= {"ANA"}
    assert conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 10
    assert "BEN-private-note" not in text and "BEN" not in "".join(
        line for line in dump(pack) if not line.startswith(('INSERT INTO "people"', 'INSERT INTO "project"')))
    conn.close()
    # screening in the pack, as on the laptop
    q = {r["id"]: r for r in run_json(pack, "queue", "--stage", TA, user="ANA")}
    assert list(q) == [1, 2, 3, 4, 5, 6, 7, 8, 9] and q[3]["note"] == "ANA-own-note" and q[2]["decision"] is None
    assert q[9]["flags"] == ["no impact factor known"]
    run(pack, "decide", 2, "include", "--stage", TA, user="ANA")
    run(pack, "decide", 4, "exclude", "--stage", TA, "--reason", "3", user="ANA")
    run(pack, "decide", 5, "include", "--stage", TA, user="ANA")
    run(pack, "undo", "--stage", TA, user="ANA")                       # takes back 5
    run(pack, "decide", 1, "include", "--stage", FT, "--report", "/pdfs/trial0.pdf", user="ANA")
    refused = run(pack, "decide", 6, "include", "--stage", TA, user="BEN", ok=False)
    assert refused.exit_code == 2 and "ANA's pack" in refused.stderr
    # back home
    merged = run_json(project, "merge", pack)
    assert merged["added"] == 6 and merged["notices"] == []         # 3 decisions, an undo, a report, a decision
    q = {r["id"]: r for r in run_json(project, "queue", "--stage", TA, user="ANA")}
    assert (q[2]["decision"], q[4]["decision"], q[5]["decision"]) == ("include", "exclude", None)
    assert q[2]["conflict"] is True                                  # BEN excluded 2
    ft = run_json(project, "queue", "--stage", FT, user="ANA")
    assert ft[0]["decision"] == "include" and ft[0]["report"] == "/pdfs/trial0.pdf"
    # idempotent
    before = canonical(project)
    again = run_json(project, "merge", pack)
    assert again["added"] == 0 and again["already"] > 0
    assert canonical(project) == before
    conn = open_db(project)
    actions = [r[0] for r in conn.execute("SELECT action FROM audit_log WHERE action IN ('pack', 'merge')")]
    assert actions == ["pack", "merge", "merge"]
    assert ev.verify_chain(conn, "events").ok


def test_merging_packs_in_either_order_gives_one_state(project, tmp_path):
    packs = {}
    for who in ("ANA", "BEN"):
        packs[who] = tmp_path / f"{who}.db"
        run(project, "pack", packs[who], "--reviewer", who)
    for r in (4, 5, 6):
        run(packs["ANA"], "decide", r, "include", "--stage", TA, user="ANA")
        run(packs["BEN"], "decide", r, "exclude", "--stage", TA, "--reason", "1", user="BEN")
    run(packs["BEN"], "undo", "--stage", TA, 2, user="BEN")
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    shutil.copy(project, one)
    shutil.copy(project, two)
    for who in ("ANA", "BEN"):
        run(one, "merge", packs[who])
    for who in ("BEN", "ANA"):
        run(two, "merge", packs[who])
    assert canonical(one) == canonical(two)
    events, views = canonical(one)
    assert views[TA][4] == ([("ANA", "include", None, None), ("BEN", "exclude", "MARKER-REASON-7Q", None)],
                            "conflict")
    assert views[TA][2][0] == []                                      # ANA never decided 2; BEN took his back


def test_a_decision_made_on_both_sides_is_kept_twice_with_a_notice(project, tmp_path):
    pack = tmp_path / "ana.db"
    run(project, "pack", pack, "--reviewer", "ANA")
    run(pack, "decide", 6, "include", "--stage", TA, user="ANA")
    run(project, "decide", 6, "exclude", "--stage", TA, "--reason", "2", user="ANA")   # later, at the office
    merged = run_json(project, "merge", pack)
    assert len(merged["notices"]) == 1 and "record 6" in merged["notices"][0]
    assert "the project's (the later) is in force" in merged["notices"][0]
    assert "include" not in merged["notices"][0] and "exclude" not in merged["notices"][0]   # blind
    conn = open_db(project)
    six = [e for e in ev.events(conn, stage=TA, kinds=("decision",), actor="ANA") if e.record_id == 6]
    assert [e.decision for e in six] == ["exclude", "include"]
    view = stage_view(conn, project_protocol(conn), TA)
    assert view.reviewers[6]["ANA"].decision == "exclude"
    text = run(project, "merge", pack).output
    assert "0 new events" in text


def test_bad_packs_are_refused_and_change_nothing(project, tmp_path):
    pack = tmp_path / "ana.db"
    run(project, "pack", pack, "--reviewer", "ANA")
    run(pack, "decide", 7, "include", "--stage", TA, user="ANA")
    again = run(project, "pack", pack, "--reviewer", "ANA", ok=False)
    assert again.exit_code == 2 and "never overwritten" in again.stderr
    from_pack = run(pack, "pack", tmp_path / "x.db", "--reviewer", "ANA", ok=False)
    assert from_pack.exit_code == 2 and "already a pack" in from_pack.stderr
    into_pack = run(pack, "merge", pack, ok=False)
    assert "not into another pack" in into_pack.stderr
    not_a_pack = run(project, "merge", project, ok=False)
    assert not_a_pack.exit_code == 2 and "is not a pack" in not_a_pack.stderr
    (tmp_path / "other").mkdir()
    other = new_project(tmp_path / "other", n=3)
    foreign = run(other, "merge", pack, ok=False)
    assert foreign.exit_code == 2 and "another project" in foreign.stderr
    # an event changed behind review's back breaks the pack's chain
    tampered = tmp_path / "tampered.db"
    shutil.copy(pack, tampered)
    conn = sqlite3.connect(tampered)
    conn.execute("DROP TRIGGER events_append_only_u")
    conn.execute("UPDATE events SET decision = 'exclude', reason = 'wrong population' WHERE decision = 'include'"
                 " AND record_id = 7")
    conn.commit()
    conn.close()
    before = dump(project)
    bad = run(project, "merge", tampered, ok=False)
    assert bad.exit_code == 2 and "changed outside review" in bad.stderr
    assert dump(project) == before
    run(project, "merge", pack)                        # the untouched pack merges
    assert dump(project) != before
