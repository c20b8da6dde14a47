"""Running the rules again changes only what changed: after a new import, a
new metrics file, a changed protocol or changed duplicate groups, exclusions
still warranted stay (no new event), new ones are added, and those no longer
warranted are retracted with undo events (flags likewise). Each check reads
the events written."""

from __future__ import annotations

from review.db import open_db
from review.project import project_protocol
from tests.rules.helpers import (DATA, IMPORTS, automation, build, dump, flags_in_force, in_force, protocol,
                                 record_id, run, run_json)


def _new_events(db, before: int):
    return automation(db)[before:]


def test_a_new_import_adds_only_for_the_new_records(tmp_path):
    db = build(tmp_path, imports=[i for i in IMPORTS if i[0] != "wos.txt"])
    first = run_json(db, "rules")
    kept = in_force(db)
    n = len(automation(db))
    run(db, "import", DATA / "wos.txt")
    run(db, "dedup")
    doc = run_json(db, "rules")
    new = _new_events(db, n)
    review_ = record_id(db, "CAR-T cells in solid tumours")
    meso = record_id(db, "Mesothelin-directed")
    assert sorted((e.kind, e.reason, e.record_id) for e in new) == [
        ("rule", "min_impact_factor", meso), ("rule", "publication_type", review_)]
    assert doc["changes"]["added"] == {"rule": {"publication_type": 1, "min_impact_factor": 1}, "flag": {}}
    assert doc["changes"]["retracted"] == {"rule": {}, "flag": {}}
    assert doc["changes"]["kept"]["rule"] == sum(first["excluded"].values())
    after = in_force(db)
    assert {r: v for r, v in after.items() if r in kept} == kept     # the earlier exclusions, event for event


def test_a_new_metrics_file_retracts_and_adds_only_what_it_changes(project):
    run(project, "rules")
    meso = record_id(project, "Mesothelin-directed")                  # Cancer Letters 9.1 (2023) -> 10.2 (2024)
    axi = record_id(project, "Outcomes of axicabtagene")              # J Immunother: unmatched -> 3.1 (2024)
    old = in_force(project)[meso]
    n = len(automation(project))
    run(project, "journals", "import", DATA / "metrics_2024.csv", "--kind", "jif")
    doc = run_json(project, "rules")
    new = _new_events(project, n)
    rule_event = [e for e in automation(project) if e.kind == "rule" and e.record_id == meso][0]
    flag_event = [e for e in automation(project) if e.kind == "flag" and e.record_id == axi][0]
    assert sorted((e.kind, e.supersedes or e.reason) for e in new) == sorted([
        ("undo", rule_event.id), ("undo", flag_event.id), ("rule", "min_impact_factor")])
    assert all(e.note == "no longer warranted" for e in new if e.kind == "undo")
    assert meso not in in_force(project) and old[1]["value"] == 9.1
    rule, payload = in_force(project)[axi]
    assert rule == "min_impact_factor" and (payload["value"], payload["year"]) == (3.1, 2024)
    assert payload["source"].endswith("metrics_2024.csv")
    assert axi not in flags_in_force(project)
    assert doc["changes"]["added"] == {"rule": {"min_impact_factor": 1}, "flag": {}}
    assert doc["changes"]["retracted"] == {"rule": {"min_impact_factor": 1},
                                           "flag": {"no journal metric: unmatched": 1}}
    state = dump(project)
    run(project, "rules")
    assert dump(project) == state


def test_a_changed_protocol_changes_only_what_it_touches(built, tmp_path):
    import shutil

    db = tmp_path / "p.db"
    shutil.copy(built, db)
    run(db, "rules")
    letter = record_id(db, "Neurologic events")
    old = record_id(db, "Early results of T-cell therapy")            # 2008
    before = in_force(db)
    n = len(automation(db))
    edited = protocol(tmp_path, {
        '"Letter", ': "",
        "year_min = 2010": "year_min = 2005",
        "humans_only = true": 'humans_only = true\nprisma_other = ["min_impact_factor"]',
    }, name="protocol-v2.toml")
    run(db, "init", edited)
    doc = run_json(db, "rules")
    new = _new_events(db, n)
    undone = {e.supersedes for e in new if e.kind == "undo"}
    assert [a for a in automation(db) if a.id in undone and a.record_id == letter]
    assert letter not in in_force(db) and old not in in_force(db)
    # the impact-factor exclusions now count as "removed for other reasons": each retracted and written again
    ifs = {r for r, (rule, _) in before.items() if rule == "min_impact_factor"}
    assert {r for r, (rule, p) in in_force(db).items() if rule == "min_impact_factor" and p["prisma"] == "other"} == ifs
    assert doc["changes"]["retracted"]["rule"] == {"publication_type": 1, "date_window": 1, "min_impact_factor": 4}
    assert doc["changes"]["added"]["rule"] == {"min_impact_factor": 4}
    assert doc["prisma"] == {"automatic": 10, "other": 4}
    # everything else stood: the other exclusions are the same events
    same = {r: v for r, v in in_force(db).items() if v[0] != "min_impact_factor"}
    assert same == {r: v for r, v in before.items() if r not in (letter, old) and v[0] != "min_impact_factor"}
    conn = open_db(db)
    try:
        from review.prisma.counts import compute
        flow = compute(conn, project_protocol(conn))
    finally:
        conn.close()
    assert (flow.excluded_automatic, flow.excluded_other) == (10, 4)


def test_a_merge_keeps_a_warranted_exclusion_and_moves_flags_to_the_new_unit(tmp_path):
    """CNKI's and Wanfang's copies of a thesis are each excluded, and two copies of
    a paper without a year are each flagged; then dedup merges each pair. The
    merged thesis inherits both exclusions, still warranted: no event. The flags
    on the two retired units are retracted and the merged unit gets its own."""
    undated = tmp_path / "scopus.ris"
    undated.write_text("TY  - JOUR\nDB  - Scopus\nT1  - Bridging therapy before CAR-T cell infusion in aggressive"
                       " lymphoma\nA1  - Schmidt, K.\nJF  - Blood\nSN  - 0006-4971\nLA  - English\n"
                       "AB  - Bridging regimens in 80 patients.\nER  - \n", encoding="utf-8")
    db = build(tmp_path, imports=(("wanfang.net", "--format", "wanfang"), ("cnki.net", "--format", "cnki"),
                                  ("embase.ris", "--source", "Embase"), (undated, "--source", "Scopus")),
               dedup=False)
    run(db, "rules")
    thesis = [record_id(db, "CD19 CAR-T细胞治疗复发难治性急性B淋巴细胞白血病", source=s) for s in ("Wanfang", "CNKI")]
    bridging = [record_id(db, "Bridging therapy before CAR-T", source=s) for s in ("Embase", "Scopus")]
    assert all(in_force(db)[t][0] == "publication_type" for t in thesis)
    assert all(flags_in_force(db)[b] == {"date window: no year"} for b in bridging)
    old_flags = {e.id for e in automation(db) if e.kind == "flag" and e.record_id in bridging}
    run(db, "dedup")
    n = len(automation(db))
    doc = run_json(db, "rules")
    new = _new_events(db, n)
    rep = min(thesis)
    assert in_force(db)[rep][0] == "publication_type"                 # inherited from both copies: stays
    assert [e for e in new if e.kind == "rule"] == []
    assert sorted(e.supersedes for e in new if e.kind == "undo") == sorted(old_flags)
    assert {e.note for e in new if e.kind == "undo"} == {"the record's duplicate group changed"}
    added = [e for e in new if e.kind == "flag"]
    assert [(e.reason, e.record_id in bridging) for e in added] == [("date window: no year", True)]
    assert flags_in_force(db)[min(bridging)] == {"date window: no year"}
    assert doc["changes"]["retracted"] == {"rule": {}, "flag": {"date window: no year": 2}}
    state = dump(db)
    run(db, "rules")
    assert dump(db) == state
