"""Two people writing at once lose nothing: a decision committed while
`review dedup` scores, two undos of one decision, a split undone as one unit.

Real SQLite files and a second real connection (or thread); events are
ordered with hooks and threading.Event, never with sleeps."""

import threading
from contextlib import contextmanager

import pytest

from review.db import audit, open_db, transaction
from review.db.records import start_search, store_records
from review.dedup import store
from review.errors import BadInput
from review.models import Record
from tests.dedup.test_project import BASE, T, cli, groups, make_project


def _group(conn, rid):
    return store.group_of(conn, rid)


def _certain_merged(conn):
    r = conn.execute("SELECT record_a, record_b FROM dedup_pairs WHERE run_id = ? AND tier = 'certain'"
                     " AND merged = 1 ORDER BY id LIMIT 1", (store.latest_run(conn),)).fetchone()
    return r["record_a"], r["record_b"]


def test_keep_committed_while_dedup_scores_is_not_overridden(tmp_path, monkeypatch):
    db = make_project(tmp_path)
    c1, c2 = open_db(db), open_db(db)
    store.run(c1, "alice")
    a, b = _certain_merged(c1)
    assert _group(c1, a) == _group(c1, b)
    real = store.find_duplicates
    seen = {}

    def scoring_while_bob_decides(records, decisions):
        res = real(records, decisions)
        # bob keeps the pair apart and imports a record while alice's run is scoring
        seen["keep"] = store.decide_records(c2, a, b, "keep", "bob")
        with transaction(c2):
            sid = start_search(c2, kind="import", source="scopus", actor="bob")
            store_records(c2, "scopus", sid, [Record(title=T, pages="100-110", **BASE)])
        seen["new"] = c2.execute("SELECT max(id) FROM records").fetchone()[0]
        return res

    monkeypatch.setattr(store, "find_duplicates", scoring_while_bob_decides)
    summary = store.run(c1, "alice")
    assert store.effective_decisions(c1)[(a, b)] == "keep"
    assert _group(c1, a) != _group(c1, b), "a decision committed during the run was overridden"
    row = c1.execute("SELECT merged, refused FROM dedup_pairs WHERE run_id = ? AND record_a = ? AND record_b = ?",
                     (summary.run_id, a, b)).fetchone()
    assert row["merged"] == 0 and "kept" in row["refused"]
    # the record added meanwhile is kept, ungrouped until the next run
    assert _group(c1, seen["new"]) == seen["new"]
    monkeypatch.setattr(store, "find_duplicates", real)
    store.run(c1, "alice")
    assert _group(c1, a) != _group(c1, b)
    assert c1.execute("SELECT count(*) FROM records").fetchone()[0] == 6
    c1.close()
    c2.close()


def test_merge_with_a_record_added_during_the_run_is_applied(tmp_path, monkeypatch):
    db = make_project(tmp_path)
    c1, c2 = open_db(db), open_db(db)
    store.run(c1, "alice")
    real = store.find_duplicates
    seen = {}

    def scoring_while_bob_merges(records, decisions):
        res = real(records, decisions)
        with transaction(c2):
            sid = start_search(c2, kind="import", source="scopus", actor="bob")
            store_records(c2, "scopus", sid, [Record(title="A totally different paper", authors=("Q, R.",),
                                                     year=2001, journal="X")])
        seen["new"] = c2.execute("SELECT max(id) FROM records").fetchone()[0]
        store.decide_records(c2, 2, seen["new"], "merge", "bob")
        return res

    monkeypatch.setattr(store, "find_duplicates", scoring_while_bob_merges)
    store.run(c1, "alice")
    assert _group(c1, seen["new"]) == _group(c1, 2) == 2
    c1.close()
    c2.close()


def test_two_concurrent_undos_of_one_decision_only_one_succeeds(tmp_path, monkeypatch):
    db = make_project(tmp_path)
    conn = open_db(db)
    store.run(conn, "alice")
    did = store.decide_records(conn, 2, 3, "keep", "alice")
    conn.close()

    real_tx = store.transaction
    a_at_lock, b_done = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    @contextmanager
    def ordered_tx(c):
        # thread A reaches its write transaction; thread B then undoes first
        if threading.current_thread().name == "A" and not a_at_lock.is_set():
            a_at_lock.set()
            assert b_done.wait(10)
        with real_tx(c):
            yield c

    monkeypatch.setattr(store, "transaction", ordered_tx)

    def worker(name, wait_for=None):
        if wait_for is not None:
            assert wait_for.wait(10)
        c = open_db(db)
        try:
            results[name] = store.undo(c, name, did)
        except BadInput as exc:
            results[name] = exc
        finally:
            c.close()
            if name == "B":
                b_done.set()

    ta = threading.Thread(target=worker, args=("A",), name="A")
    tb = threading.Thread(target=worker, args=("B", a_at_lock), name="B")
    ta.start()
    tb.start()
    ta.join(20)
    tb.join(20)
    assert isinstance(results["B"], dict) and results["B"]["undid"] == did
    assert isinstance(results["A"], BadInput) and "already undone" in str(results["A"])
    conn = open_db(db)
    assert conn.execute("SELECT count(*) FROM dedup_decisions WHERE decision = 'undo'").fetchone()[0] == 1
    conn.close()


def _three_in_a_group(tmp_path):
    """Records 1 and 4 grouped automatically, 5 merged in by a person: group {1, 4, 5}."""
    db = make_project(tmp_path)
    assert cli(db, "dedup").exit_code == 0
    conn = open_db(db)
    store.decide_records(conn, 4, 5, "merge", "alice")
    conn.close()
    g = groups(db)
    assert g[1] == g[4] == g[5] == 1
    return db


def test_split_is_undone_in_one_step(tmp_path):
    db = _three_in_a_group(tmp_path)
    before = groups(db)
    r = cli(db, "dedup", "undo", "--record", "1")
    assert r.exit_code == 0, r.output
    g = groups(db)
    assert g[1] == 1 and g[4] == g[5] == 4
    r = cli(db, "dedup", "undo")
    assert r.exit_code == 0, r.output
    assert "undid split" in r.output and "1 and 4" in r.output and "1 and 5" in r.output
    assert groups(db) == before, "one undo must take back the whole split"
    conn = open_db(db)
    actions = [e["action"] for e in audit.entries(conn)]
    assert actions[-2:] == ["dedup.split", "dedup.undo"]
    assert audit.verify(conn).ok
    conn.close()
    # the next undo retracts alice's earlier merge, not a left-over of the split
    r = cli(db, "dedup", "undo", "--json")
    assert r.exit_code == 0, r.output
    assert '"decision": "merge"' in r.output
    g = groups(db)
    assert g[1] == g[4] and g[5] == 5


def test_undo_of_one_split_member_retracts_the_split_and_not_twice(tmp_path):
    db = _three_in_a_group(tmp_path)
    before = groups(db)
    assert cli(db, "dedup", "undo", "--record", "1").exit_code == 0
    conn = open_db(db)
    first, second = [r[0] for r in conn.execute(
        "SELECT id FROM dedup_decisions WHERE decision = 'keep' ORDER BY id")]
    done = store.undo(conn, "bob", second)
    assert sorted(done["undid_all"]) == [first, second]
    assert groups(db) == before
    with pytest.raises(BadInput, match="already undone"):
        store.undo(conn, "bob", first)
    conn.close()
