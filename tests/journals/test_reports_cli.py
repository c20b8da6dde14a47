"""`review journals unmatched`, `show` and `match`, on records imported the
ordinary way (real PubMed XML, a CNKI export) and on ones made for the case."""

from __future__ import annotations

import json

import pytest

from review.models import Record

from .conftest import DATA, ROOT, add_records, group, run

ENTREZ = ROOT / "tests" / "data" / "entrez"


@pytest.fixture
def imported(project):
    """Real PubMed records and a CNKI export, then the JCR and plain-CSV metric files."""
    files = [ENTREZ / f"pubmed{i}.xml" for i in (1, 2, 4, 5, 6)]
    res = run(project, "import", *files, ROOT / "tests" / "data" / "formats" / "seed" / "cnki_car_t_noteexpress.net")
    assert res.exit_code == 0, res.output
    for f in ("JCR_JournalResults_2023.csv", "own_metrics.csv"):
        assert run(project, "journals", "import", DATA / f).exit_code == 0
    return project


def records_by_journal(db) -> dict[str, int]:
    rows = json.loads(run(db, "records", "--json").output)
    return {r["journal"]: r["id"] for r in rows}


def test_real_pubmed_records_match_by_their_identifiers(imported):
    ids = records_by_journal(imported)
    gut = json.loads(run(imported, "journals", "match", ids["Gut"], "--json").output)
    assert gut["match"]["matched_by"] == "eissn" and gut["match"]["value"] == 23.0
    assert {"field": "nlm", "value": "2985108R"} in gut["identifiers"]
    cryo = json.loads(run(imported, "journals", "match", ids["Cryobiology"], "--json").output)
    assert (cryo["match"]["matched_by"], cryo["match"]["value"], cryo["match"]["line"]) == ("issn", 2.3, 15)
    jmr = json.loads(run(imported, "journals", "match",
                         ids["Journal of magnetic resonance (San Diego, Calif. : 1997)"], "--json").output)
    assert (jmr["match"]["matched_by"], jmr["match"]["kind"]) == ("issn", "user")


def test_unmatched_lists_journals_most_records_first(imported):
    add_records(imported, [Record(title="another", journal="中华肿瘤杂志", issn_print="0253-3766")], "Wanfang")
    res = run(imported, "journals", "unmatched", "--json")
    assert res.exit_code == 0
    rows = json.loads(res.output)
    counts = [r["records"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    top = rows[0]
    assert (top["journal"], top["issns"], top["records"], top["reason"]) == ("中华肿瘤杂志", ["0253-3766"], 2, "unmatched")
    names = {r["journal"] for r in rows}
    assert "Gut" not in names and "Cryobiology" not in names and "Social justice (San Francisco, Calif.)" in names
    text = run(imported, "journals", "unmatched", "--limit", "2").output.splitlines()
    assert text[0].split() == ["records", "reason", "journal"] and len(text) == 3
    assert text[1].split() == ["2", "unmatched", "中华肿瘤杂志", "[0253-3766]"]


def test_ambiguous_journals_are_reported_with_their_candidates(project):
    assert run(project, "journals", "import", DATA / "own_metrics.csv").exit_code == 0
    a, b = add_records(project, [Record(title="x", journal="Oncology"), Record(title="y", journal="ONCOLOGY")])
    rows = json.loads(run(project, "journals", "unmatched", "--json").output)
    [onc] = rows
    assert (onc["records"], onc["reason"]) == (2, "ambiguous")
    assert sorted((c["issns"][0], c["value"]) for c in onc["candidates"]) == [("0030-2414", 3.4), ("0890-9091", 2.8)]
    text = run(project, "journals", "unmatched").output
    assert "ambiguous" in text and "'Oncology' names more than one journal, with different values" in text
    group(project, [a, b])
    assert json.loads(run(project, "journals", "unmatched", "--json").output)[0]["records"] == 1


def test_show_summarises_imports_and_matching(imported):
    doc = json.loads(run(imported, "journals", "show", "--json").output)
    assert [i["format"] for i in doc["imports"]] == ["jcr", "csv"]
    assert doc["stored"]["journals"] == 20 and doc["stored"]["metrics"] == 20
    m = doc["matching"]
    assert m["units"] == 12 and m["with_metric"] == sum(m["matched_by"].values())
    assert (m["with_metric"], m["matched_by"]["issn"], m["matched_by"]["eissn"]) == (4, 3, 1)
    assert m["without_metric"] == {"no_value": 1, "ambiguous": 0, "unmatched": 7, "no_journal": 0}
    text = run(imported, "journals", "show").output
    assert "import 1: " in text and "(jcr, jif 2023): 15 journals, 15 values" in text
    assert "records (one per duplicate group): 12; with a metric 4 (by issn 3, eissn 1)" in text


def test_match_explains_a_record_without_metric(imported):
    ids = records_by_journal(imported)
    out = run(imported, "journals", "match", ids["Biochimica et biophysica acta"]).output
    assert ("no metric: unmatched (ISSN 0006-3002 in no metric file; NLM id 0217513 not known from any "
            "file or matched record; no title match for 'Biochimica et biophysica acta')") in out
    res = run(imported, "journals", "match", 999)
    assert res.exit_code == 2 and "no record 999" in res.output


def test_a_project_without_metrics(project):
    assert "no journal metrics yet" in run(project, "journals", "show").output
    assert run(project, "journals", "unmatched").output.strip() == "every record's journal has a metric"


@pytest.mark.parametrize("sub", ["import", "fetch", "unmatched", "show", "match"])
def test_help_has_an_example(sub):
    from click.testing import CliRunner

    from review.cli import main

    out = CliRunner().invoke(main, ["journals", sub, "--help"]).output
    assert "Example" in out and f"review journals {sub}" in out
