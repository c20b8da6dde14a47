"""`review dedup` on the project: groups stored in record_groups, possible
pairs decided by a person (append-only, audited), explain and undo, re-runs
that respect decisions, and failures that leave the database unchanged."""

import json

import pytest
from click.testing import CliRunner

from review.cli import main
from review.db import audit, open_db, transaction
from review.db.records import list_records, start_search, store_records
from review.dedup.representative import project_representative
from review.models import Record

T = "Long-term outcomes of CD19 CAR-T cell therapy in relapsed lymphoma: a cohort study"
BASE = dict(authors=("Zhang, W.", "Li, X."), year=2021, journal="Blood", volume="138")


def make_project(tmp_path):
    db = tmp_path / "p.db"
    conn = open_db(db, create=True)
    pubmed = [
        Record(title=T, pages="100-110", pmid="111", abstract="short", **BASE),
        Record(title="Unrelated trial of aspirin in stroke", authors=("Brown, K.",), year=2019,
               journal="Stroke", volume="50", pages="1-9", pmid="222"),
        Record(title="Editorial", authors=("Smith, A.",), year=2020, journal="Blood", pages="1"),
    ]
    embase = [
        Record(title=T.upper(), pages="100-10", doi="10.1182/blood.2021.1", abstract="A much longer abstract " * 5,
               **BASE),
        # same title and people but different pages and volume: only a possible pair
        Record(title=T, authors=BASE["authors"], year=2021, journal="Blood", volume="139", pages="500-510"),
    ]
    with transaction(conn):
        for name, recs in (("pubmed", pubmed), ("embase", embase)):
            sid = start_search(conn, kind="import", source=name, actor="t")
            store_records(conn, name, sid, recs)
    conn.close()
    return db


def cli(db, *args):
    return CliRunner().invoke(main, ["--db", str(db), *args], env={"REVIEW_USER": "alice"})


def groups(db):
    conn = open_db(db)
    try:
        return {r["id"]: r["group_id"] for r in list_records(conn)}
    finally:
        conn.close()


def test_project_run_groups_explains_and_keeps_records(tmp_path):
    db = make_project(tmp_path)
    r = cli(db, "dedup", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["groups"] == 1 and doc["duplicates"] == 1
    g = groups(db)
    assert len(g) == 5 and g[1] == g[4] == 1 and g[5] == 5
    r = cli(db, "dedup", "explain", "4")
    assert r.exit_code == 0, r.output
    assert "duplicate of record 1 (group 1)" in r.output and "rule" in r.output and "title" in r.output
    ex = json.loads(cli(db, "dedup", "explain", "4", "--json").output)
    assert ex["members"] == [1, 4] and ex["links"][0]["fields"]["pmid"] == "na"
    conn = open_db(db)
    rep = project_representative(conn, 1)
    assert rep["record"].doi == "10.1182/blood.2021.1" and rep["record"].pmid == "111"
    assert rep["record"].abstract.startswith("A much longer") and set(rep["sources"]) == {"pubmed", "embase"}
    conn.close()


def test_possible_pair_decide_undo_and_rerun_respects_decisions(tmp_path):
    db = make_project(tmp_path)
    assert cli(db, "dedup").exit_code == 0
    pairs = json.loads(cli(db, "dedup", "pairs", "--json").output)
    five = [p for p in pairs if 5 in (p["record_a"], p["record_b"])]
    assert five, pairs
    pid = five[0]["pair_id"]
    r = cli(db, "dedup", "decide", str(pid), "merge")
    assert r.exit_code == 0, r.output
    assert groups(db)[5] == groups(db)[1]
    # a new run keeps the person's merge
    assert cli(db, "dedup").exit_code == 0
    assert groups(db)[5] == groups(db)[1]
    assert all(pid != p["pair_id"] for p in json.loads(cli(db, "dedup", "pairs", "--json").output))
    r = cli(db, "dedup", "undo")
    assert r.exit_code == 0 and "undid" in r.output
    assert groups(db)[5] == 5
    conn = open_db(db)
    rows = conn.execute("SELECT decision, actor FROM dedup_decisions ORDER BY id").fetchall()
    assert [tuple(x) for x in rows] == [("merge", "alice"), ("undo", "alice")]
    actions = [e["action"] for e in audit.entries(conn)]
    assert actions.count("dedup.run") == 2 and "dedup.merge" in actions and "dedup.undo" in actions
    assert audit.verify(conn).ok
    with pytest.raises(Exception):
        conn.execute("DELETE FROM dedup_decisions")
    conn.close()


def test_split_an_automatic_merge_and_keep_it_on_rerun(tmp_path):
    db = make_project(tmp_path)
    cli(db, "dedup")
    r = cli(db, "dedup", "undo", "--record", "4")
    assert r.exit_code == 0, r.output
    assert groups(db)[4] == 4
    cli(db, "dedup")
    assert groups(db)[4] == 4 and groups(db)[1] == 1
    ex = json.loads(cli(db, "dedup", "explain", "4", "--json").output)
    assert ex["decisions"] == [{"records": [1, 4], "decision": "keep"}]


def test_failed_commands_leave_the_database_unchanged(tmp_path):
    db = make_project(tmp_path)
    cli(db, "dedup")
    conn = open_db(db)
    snapshot = list(conn.iterdump())
    conn.close()
    for args in (("decide", "9999", "merge"), ("undo",), ("explain", "77"), ("undo", "--record", "2")):
        r = cli(db, "dedup", *args)
        assert r.exit_code == 2, (args, r.output)
        assert "review: error:" in r.output
    conn = open_db(db)
    assert list(conn.iterdump()) == snapshot
    conn.close()


def test_both_contract_forms_and_subcommands_share_the_group(tmp_path):
    r = CliRunner().invoke(main, ["dedup", "--help"])
    assert r.exit_code == 0 and "pairs" in r.output and "FILE..." in r.output
    r = CliRunner().invoke(main, ["dedup", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 2 and "no project database" in r.output


def test_a_changed_decision_says_what_it_replaces(tmp_path):
    db = make_project(tmp_path)
    assert cli(db, "dedup").exit_code == 0
    pid = json.loads(cli(db, "dedup", "pairs", "--json").output)[0]["pair_id"]
    first = cli(db, "dedup", "decide", str(pid), "keep")
    assert first.exit_code == 0 and "replaces" not in first.output
    second = cli(db, "dedup", "decide", str(pid), "merge")
    assert second.exit_code == 0
    assert "replaces alice's earlier decision 'keep'" in second.output
    r = cli(db, "dedup", "explain", "5")
    assert "is a duplicate of record" in r.output, r.output


def test_records_table_names_the_record_each_duplicate_is_grouped_with(tmp_path):
    db = make_project(tmp_path)
    before = cli(db, "records")
    assert "duplicates of another" not in before.output
    assert cli(db, "dedup").exit_code == 0
    after = cli(db, "records")
    assert after.exit_code == 0
    row4 = next(line for line in after.output.splitlines() if line.split()[:1] == ["4"])
    assert row4.split()[1] == "1"  # record 4 is a duplicate of record 1
    assert "5 records, 1 of them duplicates of another" in after.output


SEED = __import__("pathlib").Path(__file__).resolve().parents[2] / "protocols" / "car-t-2025.toml"


def test_status_counts_open_pairs_and_a_run_without_duplicates(tmp_path):
    from review.project import init_project, status

    db = make_project(tmp_path)
    init_project(SEED, db)
    conn = open_db(db)

    assert status(conn)["deduplication"]["deduplicated"] is False
    conn.close()
    assert cli(db, "dedup").exit_code == 0
    conn = open_db(db)
    dd = status(conn)["deduplication"]
    conn.close()
    pairs = json.loads(cli(db, "dedup", "pairs", "--json").output)
    assert dd["deduplicated"] and dd["possible_pairs_open"] == len(pairs) >= 1
    for p in pairs:
        assert cli(db, "dedup", "decide", str(p["pair_id"]), "keep").exit_code == 0
    conn = open_db(db)
    assert status(conn)["deduplication"]["possible_pairs_open"] == 0
    conn.close()


def test_a_run_that_finds_no_duplicates_counts_as_done(tmp_path):
    from review.project import init_project, status

    db = tmp_path / "p.db"
    init_project(SEED, db)
    conn = open_db(db)
    with transaction(conn):
        sid = start_search(conn, kind="import", source="x", actor="t")
        store_records(conn, "x", sid, [Record(title="A study of one thing", year=2020),
                                       Record(title="Another unrelated report", year=2001)])
    conn.close()
    assert cli(db, "dedup").exit_code == 0
    conn = open_db(db)
    dd = status(conn)["deduplication"]
    conn.close()
    assert dd["deduplicated"] and dd["duplicates"] == 0
