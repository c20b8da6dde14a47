"""Studies: each report included at full text is a study of its own under
"Surname Initials Year" (unique); a follow-up report joins its trial's study;
labels can change; links and renames are audited."""

from __future__ import annotations

import json

import pytest

from review.db import open_db
from review.extraction.studies import author_label, unique_labels
from tests.screening.helpers import FT, PROTOCOL, TA, new_project, run

PROTO = PROTOCOL + """
[[fields]]
name = "n"
type = "int"
"""


@pytest.mark.parametrize("author,label", [
    ("Zhao, Wan-Hong", "Zhao WH"), ("Zhao, WH", "Zhao WH"), ("Mailankody S", "Mailankody S"),
    ("Blumenschein, George R.", "Blumenschein GR"), ("Blumenschein GR", "Blumenschein GR"),
    ("王晓明", "王晓明"), ("van der Berg, J. A.", "van der Berg JA"), ("Smith", "Smith"),
])
def test_author_labels(author, label):
    assert author_label(author) == label


def test_unique_labels():
    assert unique_labels(["Pan J 2023", "Pan J 2023", "Li C 2021", "Pan J 2023"], {"Li C 2021"}) == \
        ["Pan J 2023", "Pan J 2023b", "Li C 2021b", "Pan J 2023c"]


def include(db, *records):
    for stage in (TA, FT):
        for who in ("ANA", "BEN"):
            for r in records:
                run(db, "decide", r, "include", "--stage", stage, user=who)


def studies(db, user="ANA"):
    return json.loads(run(db, "studies", "--json", user=user).stdout)


def audit(db, action):
    conn = open_db(db)
    try:
        return [json.loads(r[0]) for r in conn.execute("SELECT details FROM audit_log WHERE action = ?", (action,))]
    finally:
        conn.close()


def test_each_included_report_is_a_study(tmp_path):
    db = new_project(tmp_path, n=27, protocol=PROTO)
    include(db, 1, 2, 26)
    run(db, "decide", 3, "include", "--stage", TA, user="ANA")       # not included: not a study
    got = studies(db)
    assert [(s["study"], [r["record_id"] for r in s["reports"]]) for s in got] == [
        ("Zhang W 2000", [1]), ("Zhang W 2001", [2]), ("Zhang W 2000b", [26])]
    assert got[0]["extraction"] == {"submitted_by": [], "status": "not started"}
    assert studies(db) == got                                          # made once
    assert len(audit(db, "study.create")) == 3 and len(audit(db, "study.link")) == 3


def test_a_follow_up_joins_its_study_and_labels_change(tmp_path):
    db = new_project(tmp_path, n=4, protocol=PROTO)
    include(db, 1, 2, 3)
    out = json.loads(run(db, "studies", "link", 3, "--study", "Zhang W 2000", "--json").stdout)
    assert [r["record_id"] for r in out["study"]["reports"]] == [1, 3] and out["left"]["reports"] == []
    assert [s["study"] for s in studies(db)] == ["Zhang W 2000", "Zhang W 2001"]
    r = run(db, "studies", "link", 4, "--study", "Zhang W 2000", ok=False)
    assert r.exit_code == 2 and "record 4 is not an included report" in r.stderr
    r = run(db, "studies", "link", 3, "--study", "Zhang 2000", ok=False)
    assert "no study labelled 'Zhang 2000' (did you mean 'Zhang W 2000', 'Zhang W 2001'?)" in r.stderr and "add --new" in r.stderr
    run(db, "studies", "link", 3, "--study", "Zhang W 2000 follow-up", "--new")
    assert [s["study"] for s in studies(db)] == ["Zhang W 2000", "Zhang W 2001", "Zhang W 2000 follow-up"]
    run(db, "studies", "rename", "Zhang W 2001", "Li X 2001")
    assert audit(db, "study.rename") == [{"from": "Zhang W 2001", "to": "Li X 2001"}]
    r = run(db, "studies", "rename", "Li X 2001", "Zhang W 2000", ok=False)
    assert "there is already a study labelled 'Zhang W 2000'" in r.stderr
    assert run(db, "audit", "verify").exit_code == 0


def test_moving_the_only_report_of_a_study_with_values_needs_force(tmp_path):
    db = new_project(tmp_path, n=2, protocol=PROTO)
    include(db, 1, 2)
    run(db, "extract", "set", "Zhang W 2001", "n", "40", "--reviewer", "ANA")
    r = run(db, "studies", "link", 2, "--study", "Zhang W 2000", ok=False)
    assert "study 'Zhang W 2001' has extraction values or quality scores and no other report" in r.stderr
    run(db, "studies", "link", 2, "--study", "Zhang W 2000", "--force")
    assert [len(s["reports"]) for s in studies(db)] == [2]


def test_a_merged_duplicate_keeps_its_study(tmp_path):
    """Deduplication merging an included report with a later copy keeps the
    report's study (the unit made from it inherits the link)."""
    from tests.screening.helpers import ris

    db = new_project(tmp_path, n=2, protocol=PROTO)
    include(db, 1, 2)
    before = studies(db)
    copy = tmp_path / "copy.ris"
    copy.write_text(ris(1), encoding="utf-8")          # the same paper as record 1, from another database
    run(db, "import", copy, "--source", "Scopus")
    run(db, "dedup")
    after = studies(db)
    assert [s["study"] for s in after] == [s["study"] for s in before]
    assert after[0]["reports"][0]["record_id"] == 1
