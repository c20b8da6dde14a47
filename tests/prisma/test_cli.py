"""`review prisma` as a person uses it: text, --json with files written, bad
output paths (exit 2, nothing written), the protocol's register kind, and a
rule event's "prisma" payload."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from review.cli import main
from review.db import open_db, transaction, units
from review.db import events as ev
from review.errors import ProtocolError
from review.prisma.counts import compute
from review.project import project_protocol
from review.protocol import parse_protocol
from tests.prisma import scenario as sc


@pytest.fixture
def small(tmp_path):
    db = tmp_path / "p.db"
    sc.cli(db, "init", sc.protocol_file(tmp_path))
    sc.import_ris(db, tmp_path, "embase.ris", "Embase", sc.A, sc.B, sc.C)
    sc.import_ris(db, tmp_path, "ctgov.ris", "ClinicalTrials.gov", sc.REG)
    return db


def run(db, *args):
    return CliRunner().invoke(main, ["--db", str(db), "prisma", *map(str, args)], env={"REVIEW_USER": "QZ"})


def test_text_json_and_files(small, tmp_path):
    text = run(small, "--csv", tmp_path / "f.csv", "--svg", tmp_path / "f.svg")
    assert text.exit_code == 0, text.output
    assert "Records identified from registers" in text.output and "ClinicalTrials.gov" in text.output
    assert "Pending (in no box above until decided)" in text.output
    assert "[4 pending] dbr_sought_reports = records_screened - records_excluded" in text.output
    assert f"wrote {tmp_path / 'f.csv'}" in text.output and f"wrote {tmp_path / 'f.svg'}" in text.output
    doc = json.loads(run(small, "--json", "--csv", tmp_path / "g.csv").stdout)   # one document, nothing else
    assert doc["database_results"] == {"Embase": 3} and doc["register_results"] == {"ClinicalTrials.gov": 1}
    assert doc["pending"]["title_abstract"]["units"] == 4 and doc["written"] == [str(tmp_path / "g.csv")]
    assert [c["holds"] for c in doc["checks"]] == [True, False, True, True]
    assert (tmp_path / "g.csv").read_text(encoding="utf-8").startswith("data,node,box,")


def test_help_has_an_example(small):
    r = CliRunner().invoke(main, ["prisma", "--help"])
    assert r.exit_code == 0 and "review prisma --csv exports/prisma.csv --svg exports/prisma.svg" in r.output


@pytest.mark.parametrize("args", [("--csv", "NO/SUCH/DIR/f.csv"), ("--svg", "f.svg", "--csv", "NO/f.csv"),
                                  ("--search-summary", "--csv", "f.csv")])
def test_bad_output_requests_exit_2_and_write_nothing(small, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    r = run(small, *args)
    assert r.exit_code == 2 and "review: error:" in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before          # not even the SVG of a good path


def test_a_register_is_declared_in_the_protocol():
    base = sc.SEED.read_text(encoding="utf-8")
    p = parse_protocol(base + sc.REGISTER)
    assert [(d.name, d.kind) for d in p.sources.databases] == [
        ("CNKI", "database"), ("Wanfang", "database"), ("ClinicalTrials.gov", "register")]
    with pytest.raises(ProtocolError, match=r"sources.databases\[2\].kind': expected one of database, register"):
        parse_protocol(base + sc.REGISTER.replace('"register"', '"registry"'), "x.toml")


def test_a_rule_event_says_automatic_or_other(small):
    conn = open_db(small)
    a, b, c = (sc.rid(conn, x["title"]) for x in (sc.A, sc.B, sc.C))
    sc.rule(conn, a, "year_max", "2019")                                # no "prisma": automation tools
    sc.rule(conn, b, "publication_type", "Erratum", prisma="other")
    sc.rule(conn, c, "language", "fr", prisma="by hand")                # not a known value
    flow = compute(conn, project_protocol(conn))
    assert (flow.excluded_automatic, flow.excluded_other, flow.records_screened) == (2, 1, 1)
    assert any("has prisma = 'by hand'" in n and "counted as marked ineligible by automation tools" in n
               for n in flow.notes)
    # a second rule on an excluded unit does not count it twice; the first rule in force decides
    sc.rule(conn, b, "year_max", "2019")
    flow = compute(conn, project_protocol(conn))
    assert (flow.excluded_automatic, flow.excluded_other) == (2, 1)
    # undoing the first rule leaves the second in force
    first = [e for e in ev.events(conn, stage="automation", kinds=("rule",)) if e.unit_id == units.unit_of(conn, b)][0]
    with transaction(conn):
        ev.append_event(conn, "review-rules", "automation", first.unit_id, "undo", supersedes=first.id)
    flow = compute(conn, project_protocol(conn))
    assert (flow.excluded_automatic, flow.excluded_other) == (3, 0)
    conn.close()
