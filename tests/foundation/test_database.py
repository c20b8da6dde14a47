"""The database layer: migrations (fresh, repeated, upgrade from an older
schema), WAL and foreign keys, append-only tables, init and status."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli import main
from review.db import audit, open_db, transaction
from review.db.migrate import Migration, discover, head_version, migrate, schema_version
from review.errors import BadInput, ReviewError
from review.project import init_project, status

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "protocols" / "car-t-2025.toml"


def test_fresh_database_is_at_head_with_wal_and_foreign_keys(tmp_path):
    conn = open_db(tmp_path / "p.db", create=True)
    assert schema_version(conn) == head_version() >= 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO record_searches (record_id, search_id) VALUES (99, 99)")


def test_migrations_are_numbered_without_gaps():
    assert [m.version for m in discover()] == list(range(1, head_version() + 1))


def test_migrating_twice_is_a_no_op(tmp_path):
    conn = open_db(tmp_path / "p.db", create=True)
    tables = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    assert migrate(conn) == head_version()
    assert conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall() == tables


def test_upgrade_from_an_older_schema_keeps_data(tmp_path):
    """A database left at version 1 by an older review is upgraded on open."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, discover()[:1])
    assert schema_version(conn) == 1
    conn.execute("INSERT INTO project (key, value) VALUES ('protocol_id', 'old')")
    conn.close()
    conn = open_db(path)
    assert schema_version(conn) == head_version()
    assert conn.execute("SELECT value FROM project WHERE key='protocol_id'").fetchone()[0] == "old"


def test_a_failing_migration_leaves_the_database_at_its_version(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    good = Migration(1, "one", "CREATE TABLE a (x INTEGER);")
    bad = Migration(2, "two", "CREATE TABLE b (y INTEGER);\nINSERT INTO nowhere VALUES (1);")
    with pytest.raises(ReviewError, match=r"schema 2 \(two\) failed and was rolled back, leaving it at version 1"):
        migrate(conn, [good, bad])
    assert schema_version(conn) == 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "a" in names and "b" not in names


def test_database_newer_than_the_code_is_refused(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {head_version() + 5}")
    conn.close()
    with pytest.raises(BadInput, match="newer than this version"):
        open_db(path)


def test_open_refuses_a_missing_or_foreign_file(tmp_path):
    with pytest.raises(BadInput, match="no project database"):
        open_db(tmp_path / "absent.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(BadInput, match="not a review project database"):
        open_db(junk)


def test_events_and_audit_log_are_append_only(tmp_path):
    from review.db import events
    from review.db.records import start_search, store_records
    from review.models import Record

    res = init_project(SEED, tmp_path / "p.db")
    conn = open_db(res.db_path)
    with transaction(conn):
        sid = start_search(conn, kind="import", source="PubMed", actor="QZ")
        store_records(conn, "PubMed", sid, [Record(title="A trial", pmid="1")])
        events.append_event(conn, "QZ", "title_abstract", 1, "decision", record_id=1, decision="include")
        study = events.create_study(conn, "Smith 2020", "QZ")
        events.link_report(conn, 1, study, "QZ")
        events.append_values(conn, [{"study_id": study, "field": "n", "kind": "entry", "value": "12"}], "QZ", "x")
        events.append_scores(conn, [{"study_id": study, "tool": "MINORS", "item": 1, "kind": "entry",
                                     "score": 2}], "QZ", "x")
    for sql in ("UPDATE events SET decision = 'exclude'", "DELETE FROM events",
                "UPDATE extraction_values SET value = '1'", "DELETE FROM extraction_values",
                "UPDATE quality_scores SET score = 0", "DELETE FROM quality_scores",
                "UPDATE study_links SET study_id = NULL", "DELETE FROM study_links",
                "UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)


def test_transaction_rolls_back_on_error(tmp_path):
    conn = open_db(tmp_path / "p.db", create=True)
    with pytest.raises(RuntimeError):
        with transaction(conn):
            conn.execute("INSERT INTO project (key, value) VALUES ('a', 'b')")
            raise RuntimeError("boom")
    assert conn.execute("SELECT COUNT(*) FROM project").fetchone()[0] == 0


def test_audit_chain_detects_tampering(tmp_path):
    res = init_project(SEED, tmp_path / "p.db")
    conn = open_db(res.db_path)
    with transaction(conn):
        audit.log(conn, "QZ", "screen", "record:1", {"decision": "include"})
        audit.log(conn, "JM", "resolve", "record:1", {})
    assert audit.verify(conn).ok and audit.verify(conn).rows == 3
    # Tamper from outside review: drop the append-only trigger, edit a row.
    conn.execute("DROP TRIGGER audit_append_only_u")
    conn.execute("UPDATE audit_log SET actor = 'XJZ' WHERE id = 2")
    check = audit.verify(conn)
    assert not check.ok and check.first_bad_id == 2


def test_audit_verify_detects_rows_removed_from_the_end(tmp_path):
    res = init_project(SEED, tmp_path / "p.db")
    conn = open_db(res.db_path)
    with transaction(conn):
        audit.log(conn, "QZ", "screen", "record:1", {"decision": "include"})
    good = audit.verify(conn)
    assert good.ok and len(good.head) == 64
    conn.execute("DROP TRIGGER audit_append_only_d")
    conn.execute("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)")
    check = audit.verify(conn)
    assert not check.ok and check.first_bad_id == 2 and "removed from the end" in check.problem
    r = CliRunner().invoke(main, ["--db", str(res.db_path), "audit", "verify"])
    assert r.exit_code == 1 and "removed from the end" in r.stderr


def test_init_is_safe_to_run_again_and_records_protocol_changes(tmp_path):
    proto = tmp_path / "car-t-2025.toml"
    proto.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "screening_db" / "car-t-2025.db"
    first = init_project(proto, db)
    again = init_project(proto, db)
    assert first.created and not again.created and not again.protocol_changed
    proto.write_text(proto.read_text(encoding="utf-8").replace('"JM"', '"JM2"'), encoding="utf-8")
    changed = init_project(proto, db)
    assert changed.protocol_changed
    conn = open_db(db)
    assert [r[0] for r in conn.execute("SELECT action FROM audit_log ORDER BY id")] == [
        "init", "protocol-updated"
    ]
    assert status(conn)["people"]["adjudicators"] == ["JM2"]
    # the protocol in force before the change stays readable in the audit log
    upd = audit.entries(conn)[-1]["details"]
    assert '"JM"' in upd["previous_protocol_toml"] and '"JM2"' not in upd["previous_protocol_toml"]
    assert upd["previous_sha256"] != upd["protocol_sha256"]


def test_init_refuses_a_database_of_another_protocol(tmp_path):
    db = tmp_path / "p.db"
    init_project(SEED, db)
    other = tmp_path / "other.toml"
    other.write_text(SEED.read_text(encoding="utf-8").replace('id = "car-t-2025"', 'id = "other"'),
                     encoding="utf-8")
    with pytest.raises(BadInput, match="belongs to protocol 'car-t-2025'"):
        init_project(other, db)


def test_cli_init_and_status_as_a_new_user(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REVIEW_DB", raising=False)
    runner = CliRunner()
    r = runner.invoke(main, ["init", str(SEED)])
    assert r.exit_code == 0, r.output
    assert "screening_db/car-t-2025.db: created" in r.output
    assert (tmp_path / "screening_db" / "car-t-2025.db").exists()
    # No --db needed: the single database in ./screening_db/ is found.
    r = runner.invoke(main, ["status"])
    assert r.exit_code == 0, r.output
    assert "car-t-2025" in r.output and "not run yet" in r.output
    # --db before and after the subcommand; --json prints one JSON document.
    for args in (["--db", "screening_db/car-t-2025.db", "status", "--json"],
                 ["status", "--db", "screening_db/car-t-2025.db", "--json"]):
        r = runner.invoke(main, args)
        assert r.exit_code == 0, r.output
        doc = json.loads(r.stdout)
        assert doc["protocol"]["id"] == "car-t-2025"
        assert doc["identification"]["records"] == 0
        assert doc["database"]["schema_version"] == head_version()


def test_cli_status_counts_what_is_stored(tmp_path):
    db = tmp_path / "p.db"
    init_project(SEED, db)
    conn = open_db(db)
    from review.db.records import finish_search, start_search, store_records
    from review.models import Record

    with transaction(conn):
        sid = start_search(conn, kind="import", source="CNKI", actor="QZ", file="x.txt")
        added, present = store_records(conn, "CNKI", sid, [Record(title="甲"), Record(title="乙"), Record(title="甲")])
        finish_search(conn, sid, count_found=3, count_added=added)
    assert (added, present) == (3, 0)  # two copies of 甲 are two records (dedup groups them)
    r = CliRunner().invoke(main, ["--db", str(db), "status", "--json"])
    doc = json.loads(r.stdout)
    assert doc["identification"]["by_source"] == {"CNKI": 3}
    assert doc["identification"]["searches"][0]["added"] == 3


def test_cli_errors_have_exit_codes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REVIEW_DB", raising=False)
    runner = CliRunner()
    r = runner.invoke(main, ["status"])
    assert r.exit_code == 2 and "no project database" in r.output
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\n', encoding="utf-8")
    r = runner.invoke(main, ["init", str(bad)])
    assert r.exit_code == 2 and f"{bad}: key 'title': missing" in r.output
    (tmp_path / "screening_db").mkdir()
    for name in ("a.db", "b.db"):
        init_project(ROOT / "protocols" / "car-t-2025.toml", tmp_path / "screening_db" / name)
    r = runner.invoke(main, ["status"])
    assert r.exit_code == 2 and "several databases" in r.output


def test_every_command_has_help_text():
    runner = CliRunner()

    def walk(group, path):
        for name, cmd in group.commands.items():
            r = runner.invoke(main, [*path, name, "--help"])
            assert r.exit_code == 0, (path, name, r.output)
            assert (cmd.help or "").strip(), f"review {' '.join([*path, name])} has no help text"
            if hasattr(cmd, "commands"):
                walk(cmd, [*path, name])

    walk(main, [])


def test_python_dash_m_review_runs():
    r = subprocess.run([sys.executable, "-m", "review", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and "review" in r.stdout


def test_identical_records_in_one_file_are_each_kept_and_reimport_adds_nothing(tmp_path):
    from review.db import open_db, transaction
    from review.db.records import start_search, store_records
    from review.models import Record

    conn = open_db(tmp_path / "p.db", create=True)
    recs = [Record(title="Title of reference"), Record(title="Other"), Record(title="Title of reference")]
    with transaction(conn):
        sid = start_search(conn, kind="import", source="X", actor="t", file="a.ris")
        assert store_records(conn, "X", sid, recs) == (3, 0)
    with transaction(conn):
        sid = start_search(conn, kind="import", source="X", actor="t", file="a.ris")
        assert store_records(conn, "X", sid, list(reversed(recs))) == (0, 3)
    assert conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 3


def test_a_sqlite_file_that_is_not_a_project_is_refused_and_left_alone(tmp_path):
    import sqlite3

    other = tmp_path / "other.sqlite"
    c = sqlite3.connect(other)
    c.execute("CREATE TABLE notes (x TEXT)")
    c.commit()
    c.close()
    r = CliRunner().invoke(main, ["--db", str(other), "status"])
    assert r.exit_code == 2 and "not a review project database" in r.stderr
    c = sqlite3.connect(other)
    assert [t[0] for t in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["notes"]
    c.close()
