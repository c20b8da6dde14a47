"""Each rule on records written in real shapes (PubMed XML with publication
types, MeSH and languages; Embase RIS with TY codes; CNKI NoteExpress and
E-Study and Wanfang NoteExpress with Chinese document types; Web of Science
DT), brought in through `review import`, `review dedup` and `review journals
import`, then `review rules`."""

from __future__ import annotations

from review.db import events as ev
from review.db import open_db
from tests.rules.helpers import (audit_count, automation, dump, flags_in_force, in_force, record_id, run,
                                 run_json)


def test_each_rule_excludes_on_explicit_metadata_from_every_source(project):
    doc = run_json(project, "rules")
    got = in_force(project)
    by_title = {t: record_id(project, t) for t in (
        "Chimeric antigen receptor T cells across", "Cytokine release syndrome after BCMA", "Neurologic events",
        "Real-world outcomes of tisagenlecleucel", "Outcomes of CAR-T cell therapy at a regional",
        "CD19 CAR-T细胞治疗复发难治性急性B淋巴细胞白血病", "嵌合抗原受体T细胞治疗实体瘤的基础研究",
        "CAR-T cells in solid tumours", "Early results of T-cell therapy", "CAR-T-Zelltherapie",
        "CD19 CAR-T cells eradicate", "Anti-CD22 CAR-T", "Safety of CD19 CAR-T cells in Chinese",
        "靶向CD19嵌合抗原受体T细胞治疗复发难治性B细胞淋巴瘤", "Mesothelin-directed")}

    def rule(title):
        return got[by_title[title]]

    # publication types, each from its own source's words
    assert rule("Chimeric antigen receptor T cells across")[1]["type"] == "Review"            # PubMed PT
    assert rule("Cytokine release syndrome after BCMA")[1]["type"] == "Case Reports"
    assert rule("Neurologic events")[1]["type"] == "Letter"
    abst = rule("Real-world outcomes of tisagenlecleucel")[1]                                  # RIS TY ABST
    assert (abst["value"], abst["type"], abst["excluded_as"]) == ("ABST", "Meeting Abstract", "Meeting Abstract")
    assert "reference type" in abst["source"] and "Embase" in abst["source"]
    thes = rule("Outcomes of CAR-T cell therapy at a regional")[1]                            # RIS TY THES
    assert (thes["value"], thes["type"]) == ("THES", "Academic Dissertation")
    cnki = rule("CD19 CAR-T细胞治疗复发难治性急性B淋巴细胞白血病")[1]                       # CNKI + Wanfang "Thesis"
    assert cnki["type"] == "Academic Dissertation" and cnki["value"] == "Thesis"
    estudy = rule("嵌合抗原受体T细胞治疗实体瘤的基础研究")[1]                                 # E-Study 来源库: 博士
    assert (estudy["value"], estudy["type"]) == ("博士", "Academic Dissertation")
    assert "CNKI database" in estudy["source"]
    wos = rule("CAR-T cells in solid tumours")                                                # WoS DT "Review; Early Access"
    assert wos[0] == "publication_type" and wos[1]["type"] == "Review"
    for title in ("Chimeric antigen receptor T cells across", "Cytokine release syndrome after BCMA",
                  "Neurologic events", "Real-world outcomes of tisagenlecleucel",
                  "Outcomes of CAR-T cell therapy at a regional", "CD19 CAR-T细胞治疗复发难治性急性B淋巴细胞白血病",
                  "嵌合抗原受体T细胞治疗实体瘤的基础研究"):
        assert rule(title)[0] == "publication_type"
    # date window, language, humans only
    assert rule("Early results of T-cell therapy")[0] == "date_window"
    assert rule("Early results of T-cell therapy")[1]["value"] == 2008
    lang = rule("CAR-T-Zelltherapie")
    assert lang[0] == "language" and lang[1]["languages"] == ["ger"] and lang[1]["allowed"] == ["chi", "eng"]
    hum = rule("CD19 CAR-T cells eradicate")
    assert hum[0] == "humans_only" and hum[1]["value"] == "Animals" and "MeSH" in hum[1]["source"]
    # the minimum impact factor, naming the value, its kind, year and file
    for title, value in (("Anti-CD22 CAR-T", 3.5), ("Safety of CD19 CAR-T cells in Chinese", 1.6),
                         ("靶向CD19嵌合抗原受体T细胞治疗复发难治性B细胞淋巴瘤", 1.6), ("Mesothelin-directed", 9.1)):
        r, p = rule(title)
        assert r == "min_impact_factor"
        assert (p["value"], p["kind"], p["year"], p["minimum"]) == (value, "jif", 2023, 10)
        assert p["source"].endswith("metrics_2023.csv") and p["matched_by"] in ("issn", "eissn", "issnl")
        assert p["prisma"] == "automatic"
    # what the run reports is what is in force
    assert doc["dry_run"] is False
    assert sum(doc["excluded"].values()) == len(got) == 16
    assert doc["excluded"] == {"publication_type": 9, "date_window": 1, "language": 1, "humans_only": 1,
                               "min_impact_factor": 4}


def test_records_the_rules_leave_alone(project):
    run(project, "rules")
    got = in_force(project)
    for title in ("Efficacy of CD19 CAR-T cells in relapsed",       # J Hematol Oncol 29.5, Clinical Trial, Phase II
                  "Ciltacabtagene autoleucel",                        # RIS CONF: a conference paper is not excluded
                  "Dual-targeting CAR-T cells",                       # WoS "Article; Proceedings Paper", Leukemia 12.8
                  "A case report of late neurotoxicity",             # only its title suggests a case report
                  "Bridging therapy before CAR-T",                    # no year: a flag
                  "First CAR T-cell treatments",                      # a language not understood: a flag
                  "Outcomes of axicabtagene",                         # journal not in the metrics: a flag
                  "Management of cytokine release syndrome"):        # practice guideline: not an excluded type
        assert record_id(project, title) not in got, title


def test_a_merged_pubmed_copy_decides_the_type_of_its_cnki_copy(project):
    """The CNKI copy says "Journal Article"; its PubMed copy says "Review": the unit is a review."""
    run(project, "rules")
    cnki = record_id(project, "嵌合抗原受体T细胞治疗B细胞恶性肿瘤的研究进展")
    pubmed = record_id(project, "[Progress in chimeric antigen receptor")
    conn = open_db(project)
    try:
        from review.db import units
        assert units.unit_of(conn, cnki) == units.unit_of(conn, pubmed)        # dedup grouped them
    finally:
        conn.close()
    rule, payload = in_force(project)[pubmed]
    assert rule == "publication_type" and payload["type"] == "Review"
    assert f"record {pubmed} (PubMed" in payload["source"]


def test_flags_for_what_is_only_suggested_or_unknown_never_exclusions(project):
    doc = run_json(project, "rules")
    flags = flags_in_force(project)
    excluded = in_force(project)
    assert flags[record_id(project, "A case report of late neurotoxicity")] == {"suggested type: Case Reports"}
    assert flags[record_id(project, "CAR-T细胞治疗后迟发性神经毒性1例报告")] == {
        "suggested type: Case Reports", "no journal metric: unmatched"}
    assert flags[record_id(project, "Bridging therapy before CAR-T")] == {"date window: no year"}
    assert flags[record_id(project, "First CAR T-cell treatments")] == {"language: not recognised"}
    assert flags[record_id(project, "Outcomes of axicabtagene")] == {"no journal metric: unmatched"}
    assert flags[record_id(project, "Management of cytokine release syndrome")] == {"study design: not in the protocol"}
    assert not set(flags) & set(excluded)                 # an excluded unit needs no person's look
    assert doc["flagged"] == {"date window: no year": 1, "language: not recognised": 1,
                              "no journal metric: unmatched": 4, "study design: not in the protocol": 1,
                              "suggested type: Case Reports": 2}
    # every unit without a known metric is flagged or excluded for something else, never for the metric
    conn = open_db(project)
    try:
        from review.journals.match import metrics_for_units
        from review.db import units
        active = units.active_units(conn)
        for u, m in metrics_for_units(conn).items():
            if not m.found:
                rep = active[u]
                assert rep in flags or excluded[rep][0] != "min_impact_factor"
    finally:
        conn.close()


def test_one_audit_entry_per_run_with_the_counts_and_the_events_named(project):
    before = audit_count(project)
    doc = run_json(project, "rules")
    assert audit_count(project) == before + 1
    conn = open_db(project)
    try:
        row = conn.execute("SELECT actor, details FROM audit_log WHERE action = 'rules.apply'").fetchone()
    finally:
        conn.close()
    import json
    details = json.loads(row["details"])
    assert row["actor"] == "QZ"
    assert details["excluded"] == doc["excluded"] and details["events"] == doc["changes"]["events"]
    events = automation(project)
    assert len(events) == doc["changes"]["events"] == 16 + 9
    assert {e.actor for e in events} == {"rules"}
    assert {e.kind for e in events} == {"rule", "flag"}
    assert all(e.stage == "automation" and e.reason for e in events)


def test_running_twice_writes_nothing_the_second_time(project):
    first = run_json(project, "rules")
    state = dump(project)
    second = run_json(project, "rules")
    assert dump(project) == state
    assert second["changes"]["events"] == 0
    assert second["changes"]["added"] == {"rule": {}, "flag": {}}
    assert second["changes"]["retracted"] == {"rule": {}, "flag": {}}
    assert second["changes"]["kept"] == {"rule": 16, "flag": 9}
    assert second["excluded"] == first["excluded"] and second["flagged"] == first["flagged"]
    text = run(project, "rules").stdout
    assert "nothing changed: 16 exclusions and 9 flags stand as they were" in text
    assert dump(project) == state


def test_dry_run_changes_nothing_and_says_what_would_happen(project):
    state = dump(project)
    dry = run_json(project, "rules", "--dry-run")
    text = run(project, "rules", "--dry-run").stdout
    assert dump(project) == state
    assert dry["dry_run"] is True and dry["changes"]["events"] == 0
    assert "dry run: nothing is written" in text
    assert "publication_type (publication type): 9" in text
    assert "record 2: Chimeric antigen receptor T cells across haematological cancers  [Review]" in text
    assert "suggested type: Case Reports: 2" in text
    real = run_json(project, "rules")
    for key in ("excluded", "flagged", "prisma"):
        assert real[key] == dry[key], key
    assert real["changes"]["added"] == dry["changes"]["added"]
    # a dry run after the real one: nothing would change
    again = run_json(project, "rules", "--dry-run")
    assert again["changes"]["added"] == {"rule": {}, "flag": {}} and again["excluded"] == real["excluded"]


def test_json_has_the_contract_keys(project):
    doc = run_json(project, "rules", "--dry-run")
    assert {"excluded", "flagged", "dry_run"} <= set(doc)
    assert all(isinstance(v, int) for v in doc["excluded"].values())
    assert all(isinstance(v, int) for v in doc["flagged"].values())
    assert set(doc["examples"]["publication_type"][0]) == {"record", "title", "value"}


def test_status_reads_the_automation_stage(project):
    run(project, "rules")
    text = run(project, "status").stdout
    line = next(ln for ln in text.splitlines() if ln.startswith("3 automatic rules"))
    assert "16 excluded (" in line
    for part in ("publication_type 9", "date_window 1", "language 1", "humans_only 1", "min_impact_factor 4",
                 "flagged for a person: no journal metric: unmatched (4)", "suggested type: Case Reports (2)"):
        assert part in line, part
    doc = run_json(project, "status")
    assert doc["automation"]["excluded"] == 16
    assert doc["title_abstract"]["units"] == 27 - 16


def test_events_are_chained_and_audited(project):
    run(project, "rules")
    r = run(project, "audit", "verify")
    assert r.exit_code == 0
    conn = open_db(project)
    try:
        assert ev.verify_chain(conn, "events").ok
    finally:
        conn.close()


def test_medline_text_mesh_and_types(tmp_path):
    """The same rules read from MEDLINE text (.nbib): MeSH check tags on MH lines, PT lines."""
    from tests.rules.helpers import build

    db = build(tmp_path, imports=(("medline_mice.nbib",),))
    run(db, "rules")
    got = in_force(db)
    assert got[record_id(db, "Armoured CD19 CAR-T cells")][0] == "humans_only"
    assert record_id(db, "CD19 CAR-T cells in patients and in mice") not in got
    review_ = got[record_id(db, "CAR-T cell therapy for B-cell malignancies")]
    assert review_[0] == "publication_type" and review_[1]["type"] == "Review"
    assert "publication type of record" in review_[1]["source"]
