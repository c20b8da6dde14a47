"""Rules never overrule a person: a unit someone decided is never excluded
(a flag says what the rule would have done), an exclusion it inherits through
a merge is retracted, and an adjudicator's resolution at title/abstract
overrules an earlier rule exclusion, which stays as the record of what the
rule did. Whether someone decided is all the rules read: what they decided
never shows."""

from __future__ import annotations

import json
import re

from review.db import open_db, units
from review.project import project_protocol
from review.screening.view import stage_view
from tests.rules.helpers import DATA, automation, build, dump, flags_in_force, in_force, record_id, run, run_json

TA = "title_abstract"


def test_a_reviewers_decision_is_never_overruled(project):
    low = record_id(project, "Anti-CD22 CAR-T")                   # Frontiers in Oncology, IF 3.5 < 10
    run(project, "decide", low, "include", "--stage", TA, user="ANA")
    doc = run_json(project, "rules")
    assert low not in in_force(project)
    assert flags_in_force(project)[low] == {"decided by a person: min_impact_factor"}
    assert doc["excluded"]["min_impact_factor"] == 3
    assert doc["flagged"]["decided by a person: min_impact_factor"] == 1
    flag = [e for e in automation(project) if e.kind == "flag" and e.reason.startswith("decided")][0]
    assert flag.payload["value"] == 3.5 and flag.payload["kind"] == "jif"
    conn = open_db(project)
    try:
        view = stage_view(conn, project_protocol(conn), TA)
        assert units.unit_of(conn, low) in view.units          # still screened by people
    finally:
        conn.close()


def test_an_adjudicators_resolution_overrules_an_earlier_rule_exclusion(project):
    case = record_id(project, "Cytokine release syndrome after BCMA")
    run(project, "rules")
    assert in_force(project)[case][0] == "publication_type"
    run(project, "resolve", case, "include", "--stage", TA, user="CAL")
    state = dump(project)
    doc = run_json(project, "rules")
    assert dump(project) == state                               # nothing to change: the exclusion stays as history
    assert doc["overruled"] == {"publication_type": 1}
    assert doc["excluded"]["publication_type"] == 8 and sum(doc["excluded"].values()) == 15
    conn = open_db(project)
    try:
        from review.prisma.counts import compute
        flow = compute(conn, project_protocol(conn))
        view = stage_view(conn, project_protocol(conn), TA)
        assert units.unit_of(conn, case) in view.units
    finally:
        conn.close()
    assert flow.excluded_automatic == 15 and flow.records_screened == 27 - 15


def test_a_merge_never_hides_a_persons_decision_behind_a_rule(tmp_path):
    """The Embase copy of a review (typed JOUR only) is decided by ANA; the
    PubMed copy (typed Review) is excluded by the rules; dedup then merges
    them: the merged unit inherits both. The next run retracts the inherited
    exclusion (at its source event), flags the unit, and ANA's decision is in
    view again."""
    db = build(tmp_path, imports=(("embase.ris", "--source", "Embase"),), dedup=False)
    embase = record_id(db, "Chimeric antigen receptor T cells across")
    run(db, "rules")
    run(db, "decide", embase, "include", "--stage", TA, user="ANA")
    run(db, "import", DATA / "pubmed_cart.xml")
    run(db, "rules")
    pubmed = record_id(db, "Chimeric antigen receptor T cells across", source="PubMed")
    source_event = [e for e in automation(db) if e.kind == "rule" and e.record_id == pubmed][0]
    run(db, "dedup")
    conn = open_db(db)
    try:
        merged = units.unit_of(conn, embase)
        assert merged == units.unit_of(conn, pubmed) and merged not in (source_event.unit_id,)
        view = stage_view(conn, project_protocol(conn), TA)
        assert view.ineligible[merged] == "excluded by rule publication_type"      # hidden until the rules run
    finally:
        conn.close()
    doc = run_json(db, "rules")
    undo = [e for e in automation(db) if e.kind == "undo" and e.supersedes == source_event.id]
    assert len(undo) == 1 and undo[0].note == "a person decided the record"
    assert doc["changes"]["retracted"]["rule"] == {"publication_type": 1}
    assert embase not in in_force(db)
    assert flags_in_force(db)[embase] == {"decided by a person: publication_type"}
    conn = open_db(db)
    try:
        view = stage_view(conn, project_protocol(conn), TA)
        assert merged in view.units and view.reviewers[merged]["ANA"].decision == "include"
    finally:
        conn.close()
    state = dump(db)
    run(db, "rules")
    assert dump(db) == state


def _normalise(text: str) -> str:
    text = re.sub(r"\d{4}-\d\d-\d\d[T ][\d:.]+(\+00:00)?", "<TS>", text)
    return re.sub(r"\b[0-9a-f]{32,64}\b", "<HEX>", text)


def test_what_a_reviewer_decided_never_shows_in_the_rules_output(tmp_path, built):
    """As BEN: the rules' output, dry and real, and the events they write are the
    same whether ANA included or excluded the records she decided."""
    import shutil

    seen = []
    for name, decision in (("x", "include"), ("y", "exclude")):
        (tmp_path / name).mkdir()
        db = tmp_path / name / "p.db"
        shutil.copy(built, db)
        for title in ("Anti-CD22 CAR-T", "Efficacy of CD19 CAR-T cells in relapsed", "Cytokine release syndrome"):
            run(db, "decide", record_id(db, title), decision, "--stage", TA, user="ANA")
        outs = [run(db, "rules", "--dry-run", *j, user="BEN").stdout for j in ([], ["--json"])]
        outs += [run(db, "rules", "--json", user="BEN").stdout]
        outs += [json.dumps([(e.kind, e.reason, e.record_id, e.payload, e.note) for e in automation(db)],
                            ensure_ascii=False)]
        seen.append([_normalise(o) for o in outs])
    assert seen[0] == seen[1]
    assert "decided by a person: min_impact_factor" in seen[0][0]
