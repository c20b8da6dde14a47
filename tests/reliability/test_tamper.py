"""Tamper evidence: any change made outside review to what people decided or
to the records (an edit, a deletion, an insertion) is found by
`review audit verify` (exit 1, naming what changed); an untouched project
verifies clean."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.reliability.project import build, cli, raw

DROP = "DROP TRIGGER IF EXISTS {t}_append_only_{k}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("tamper"))


def copy(built, tmp_path):
    db = tmp_path / "t.db"
    shutil.copy(built, db)
    return db


def test_an_untouched_project_verifies_clean(built, tmp_path):
    db = copy(built, tmp_path)
    r = cli(db, "audit", "verify", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["ok"] and {c["name"] for c in doc["checks"]} >= {
        "audit log", "events", "extraction_values", "quality_scores", "study_links", "dedup_decisions", "seals",
        "records (sealed per search and import)"}
    assert all(c["ok"] for c in doc["checks"])


CASES = {
    "a record's title edited": ("records (sealed", ["UPDATE records SET title = 'Something else' WHERE id = 2"]),
    "a record deleted": ("records (sealed", ["PRAGMA foreign_keys = OFF", "DELETE FROM record_searches WHERE record_id = 5",
                                             "DELETE FROM unit_members WHERE record_id = 5",
                                             "DELETE FROM records WHERE id = 5"]),
    "a record inserted": ("records (sealed", ["INSERT INTO records (source, fingerprint, title, created_at)"
                                              " VALUES ('Embase', 'x', 'Injected', 'now')"]),
    "a screening decision edited": ("events", [DROP.format(t="events", k="u"),
                                              "UPDATE events SET decision = 'include' WHERE decision = 'exclude'"]),
    "a screening decision deleted": ("events", [DROP.format(t="events", k="d"), "DELETE FROM events WHERE id = 2"]),
    "the last decision deleted": ("events", [DROP.format(t="events", k="d"),
                                             "DELETE FROM events WHERE id = (SELECT MAX(id) FROM events)"]),
    "a duplicate decision inserted": ("dedup_decisions", [
        "INSERT INTO dedup_decisions (ts, actor, record_a, record_b, decision, prev_hash, hash)"
        " SELECT ts, 'JM', 1, 2, 'merge', hash, hash FROM dedup_decisions ORDER BY id DESC LIMIT 1"]),
    "a duplicate decision edited": ("dedup_decisions", [DROP.format(t="dedup_decisions", k="u"),
                                                        "UPDATE dedup_decisions SET decision = 'merge'"]),
    "an extraction value edited": ("extraction_values", [DROP.format(t="extraction", k="u"),
                                                         "UPDATE extraction_values SET value = '120'"]),
    "a MINORS score edited": ("quality_scores", [DROP.format(t="quality", k="u"), "UPDATE quality_scores SET score = 0"]),
    "a study link removed": ("study_links", [DROP.format(t="study_links", k="d"), "DELETE FROM study_links"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_change_behind_reviews_back_is_found(built, tmp_path, case):
    check, sql = CASES[case]
    db = copy(built, tmp_path)
    raw(db, *sql)
    r = cli(db, "audit", "verify", "--json")
    assert r.exit_code == 1, r.output
    doc = json.loads(r.stdout)
    bad = [c["name"] for c in doc["checks"] if not c["ok"]]
    assert any(name.startswith(check) for name in bad), (case, bad)
    text = cli(db, "audit", "verify")
    assert text.exit_code == 1 and "BAD" in text.output and check.split(" ")[0] in text.stderr
