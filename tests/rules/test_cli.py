"""`review rules` at the command line: help, refusals that change nothing,
the protocol's own metrics file, the metric kinds a protocol accepts."""

from __future__ import annotations

import shutil

from review.db import open_db, transaction
from review.db import screening as sdb
from tests.rules.helpers import DATA, audit_count, build, dump, flags_in_force, in_force, record_id, run, run_json


def test_help_has_an_example():
    from click.testing import CliRunner

    from review.cli import main

    r = CliRunner().invoke(main, ["rules", "--help"])
    assert r.exit_code == 0 and "review rules --dry-run" in r.output and "--json" in r.output
    top = CliRunner().invoke(main, ["--help"]).output
    assert top.index("journals") < top.index("rules") < top.index("decide")


def test_db_after_the_subcommand(project):
    from click.testing import CliRunner

    from review.cli import main

    r = CliRunner().invoke(main, ["rules", "--dry-run", "--json", "--db", str(project)], env={"REVIEW_USER": "QZ"})
    assert r.exit_code == 0 and '"dry_run": true' in r.stdout


def test_a_closed_title_abstract_stage_is_not_changed_by_the_rules(project):
    conn = open_db(project)
    try:
        with transaction(conn):
            sdb.add_closure(conn, "CAL", "title_abstract", "close", {"units": 27})
    finally:
        conn.close()
    state = dump(project)
    r = run(project, "rules", ok=False)
    assert r.exit_code == 2 and "title/abstract screening was closed by CAL" in r.stderr
    assert "review stage reopen title_abstract" in r.stderr
    assert dump(project) == state
    dry = run_json(project, "rules", "--dry-run")
    assert any("closed by CAL" in n for n in dry["notes"])
    assert dump(project) == state


def test_a_reviewers_pack_takes_no_rules(project, tmp_path):
    pack = tmp_path / "ben.db"
    run(project, "pack", pack, "--reviewer", "BEN", user="BEN")
    state = dump(pack)
    r = run(pack, "rules", ok=False, user="BEN")
    assert r.exit_code == 2 and "pack" in r.stderr
    assert dump(pack) == state


def test_the_protocols_metrics_file_is_imported_by_the_run(tmp_path):
    shutil.copy(DATA / "metrics_2023.csv", tmp_path / "metrics_2023.csv")
    db = build(tmp_path, metrics=False, replace={"min_impact_factor = 10":
                                                  'min_impact_factor = 10\nimpact_factors = "metrics_2023.csv"'})
    state = dump(db)
    dry = run_json(db, "rules", "--dry-run")
    assert dump(db) == state                                        # the dry run imported nothing
    assert dry["excluded"]["min_impact_factor"] == 4 and dry["metrics_imported"][0]["journals"] == 9
    doc = run_json(db, "rules")
    assert doc["excluded"] == dry["excluded"] and doc["metrics_imported"][0]["file"].endswith("metrics_2023.csv")
    assert audit_count(db, "journals.import") == 1 and audit_count(db) == 1
    again = run_json(db, "rules")
    assert again["metrics_imported"] == [] and again["changes"]["events"] == 0
    assert audit_count(db, "journals.import") == 1


def test_a_missing_metrics_file_is_named(tmp_path):
    db = build(tmp_path, metrics=False, imports=(("wos.txt",),),
               replace={"min_impact_factor = 10": 'min_impact_factor = 10\nimpact_factors = "nowhere.csv"'})
    state = dump(db)
    r = run(db, "rules", ok=False)
    assert r.exit_code == 2 and "rules.impact_factors" in r.stderr and "nowhere.csv" in r.stderr
    assert dump(db) == state


def test_the_protocol_chooses_the_metric_kinds(tmp_path):
    """Figures imported as the user's own kind are not JIFs: a protocol that
    accepts JIFs only flags every journal (no value of the kind asked for)."""
    db = build(tmp_path, metrics=False, imports=(("wos.txt",),),
               replace={"min_impact_factor = 10": 'min_impact_factor = 10\nimpact_factor_kinds = ["jif"]'})
    run(db, "journals", "import", DATA / "metrics_2023.csv")          # kind 'user'
    doc = run_json(db, "rules")
    meso = record_id(db, "Mesothelin-directed")
    assert "min_impact_factor" not in doc["excluded"]
    assert flags_in_force(db)[meso] == {"no journal metric: no_value"}
    assert in_force(db)[record_id(db, "CAR-T cells in solid tumours")][0] == "publication_type"


def test_without_rules_nothing_happens_and_old_exclusions_are_retracted(project, tmp_path):
    run(project, "rules")
    bare = tmp_path / "bare.toml"
    text = (DATA / "protocol.toml").read_text(encoding="utf-8")
    bare.write_text(text[:text.index("[rules]")] + text[text.index("[screening]"):], encoding="utf-8")
    run(project, "init", bare)
    doc = run_json(project, "rules")
    assert doc["excluded"] == {} and doc["flagged"] == {}
    assert doc["changes"]["retracted"]["rule"] == {"publication_type": 9, "date_window": 1, "language": 1,
                                                   "humans_only": 1, "min_impact_factor": 4}
    assert in_force(project) == {} and flags_in_force(project) == {}
    text = run(project, "status").stdout
    assert "not applied yet" in text
