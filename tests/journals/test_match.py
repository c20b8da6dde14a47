"""Records matched to journal metrics: by ISSN, eISSN, ISSN-L, NLM id, title
and abbreviation; the latest year and import; ambiguous and unmatched
journals reported, never guessed; duplicate groups matched as one."""

from __future__ import annotations

import pytest

from review.db import open_db
from review.errors import BadInput
from review.journals.importer import import_metric_files
from review.journals.match import metrics_for_records, metrics_for_units, summary
from review.models import Record

from .conftest import DATA, add_records, group

EXTRA_CSV = """journal,issn,eissn,metric,year
Revista Española de Cardiología,0300-8932,1579-2242,7.2,2023
Oncology,0030-2414,1423-0232,3.4,2023
Oncology,0890-9091,,2.8,2023
Acta Alpha,1234-5679,,3.0,2023
Acta Beta,1234-5679,,4.0,2023
中华血液学杂志,0253-2727,,1.6,2023
"""

RECORDS = {
    "issn": Record(title="r1", journal="Blood", issn_print="0006-4971"),
    "eissn": Record(title="r2", journal="Gut", issn_electronic="1468-3288"),
    "issnl": Record(title="r3", journal="Gut (London)", issn_linking="0017-5749"),
    "nlm_source": Record(title="r4", journal="Cancer medicine", issn_electronic="2045-7634",
                         nlm_id="101595310"),
    "nlm": Record(title="r5", nlm_id="101595310"),
    "title": Record(title="r6", journal="Journal of hematology & oncology"),
    "title_the": Record(title="r7", journal="The New England journal of medicine"),
    "abbrev_exact": Record(title="r8", journal_abbrev="Cancer Lett"),
    "iso_prefix": Record(title="r9", journal="Eur J Gastroenterol Hepatol"),
    "iso_contraction": Record(title="r10", journal_abbrev="Proc Natl Acad Sci U S A"),
    "iso_nejm": Record(title="r11", journal="N Engl J Med"),
    "diacritics": Record(title="r12", journal="REVISTA ESPANOLA DE CARDIOLOGIA"),
    "cjk": Record(title="r13", journal="中华血液学杂志"),
    "ambiguous_title": Record(title="r14", journal="Oncology"),
    "ambiguous_issn": Record(title="r15", journal="Acta", issn_print="1234-5679"),
    "below": Record(title="r16", journal="Prz Gastroenterol", issn_print="1895-5770 (Print)"),
    "unmatched": Record(title="r17", journal="Journal of Nowhere", issn_print="0000-0019"),
    "no_journal": Record(title="r18"),
    "issn_conflict": Record(title="r19", journal="Blood", issn_print="9999-9999"),
    "no_value": Record(title="r20", journal="Zhonghua xueyexue zazhi"),
}


@pytest.fixture
def matched(project, tmp_path):
    extra = tmp_path / "extra.csv"
    extra.write_text(EXTRA_CSV, encoding="utf-8")
    conn = open_db(project)
    import_metric_files(conn, [DATA / "JCR_JournalResults_2022.csv", DATA / "JCR_JournalResults_2023.csv",
                               DATA / "scimagojr 2023.csv", extra], actor="tester")
    conn.close()
    ids = dict(zip(RECORDS, add_records(project, list(RECORDS.values()))))
    conn = open_db(project)
    yield conn, ids
    conn.close()


def test_each_key_matches(matched):
    conn, ids = matched
    got = metrics_for_units(conn)
    expect = {
        "issn": ("issn", "0006-4971", 21.0, "jif", 2023),
        "eissn": ("eissn", "1468-3288", 23.0, "jif", 2023),
        "issnl": ("issnl", "0017-5749", 23.0, "jif", 2023),
        "nlm_source": ("eissn", "2045-7634", 2.9, "jif", 2023),
        "nlm": ("nlm", "101595310", 2.9, "jif", 2023),
        "title": ("title", "Journal of hematology & oncology", 29.5, "jif", 2023),
        "title_the": ("title", "The New England journal of medicine", 96.2, "jif", 2023),
        "abbrev_exact": ("abbrev", "Cancer Lett", 9.1, "jif", 2023),
        "iso_prefix": ("abbrev", "Eur J Gastroenterol Hepatol", 1.8, "jif", 2023),
        "iso_contraction": ("abbrev", "Proc Natl Acad Sci U S A", 9.4, "jif", 2023),
        "iso_nejm": ("abbrev", "N Engl J Med", 96.2, "jif", 2023),
        "diacritics": ("title", "REVISTA ESPANOLA DE CARDIOLOGIA", 7.2, "user", 2023),
        "cjk": ("title", "中华血液学杂志", 1.6, "user", 2023),
        "below": ("issn", "1895-5770", 0.1, "jif", 2023),
    }
    for name, (label, key, value, kind, year) in expect.items():
        m = got[ids[name]]
        assert (m.matched_by, m.key, m.value, m.kind, m.year) == (label, key, value, kind, year), name
        assert m.source and m.line, name
    assert got[ids["below"]].qualifier == "<"
    assert got[ids["issn"]].source.endswith("JCR_JournalResults_2023.csv") and got[ids["issn"]].line == 6


def test_no_metric_says_why(matched):
    conn, ids = matched
    got = metrics_for_units(conn)
    amb = got[ids["ambiguous_title"]]
    assert amb.value is None and amb.reason == "ambiguous"
    assert sorted(c["value"] for c in amb.candidates) == [2.8, 3.4]
    assert "'Oncology' names more than one journal" in amb.detail
    amb2 = got[ids["ambiguous_issn"]]
    assert amb2.reason == "ambiguous" and amb2.matched_by == "issn"
    assert sorted(c["journal"] for c in amb2.candidates) == ["Acta Alpha", "Acta Beta"]
    un = got[ids["unmatched"]]
    assert un.reason == "unmatched" and "ISSN 0000-0019 in no metric file" in un.detail
    assert got[ids["no_journal"]].reason == "no_journal"
    conflict = got[ids["issn_conflict"]]
    assert conflict.reason == "unmatched"
    assert "'Blood' fits 'BLOOD', but its ISSNs (0006-4971, 1528-0020) differ" in conflict.detail
    nv = got[ids["no_value"]]
    assert (nv.reason, nv.matched_by, nv.journal) == ("no_value", "title", "ZHONGHUA XUEYEXUE ZAZHI")
    assert "listed without a value" in nv.detail
    s = summary(got)
    assert s["units"] == len(RECORDS)
    assert s["without_metric"] == {"no_value": 1, "ambiguous": 2, "unmatched": 2, "no_journal": 1}
    assert s["with_metric"] == 14 and s["matched_by"]["abbrev"] == 4


def test_kinds_are_preferred_in_order_and_can_be_restricted(matched):
    conn, ids = matched
    rid = ids["nlm_source"]
    assert metrics_for_units(conn, [rid])[rid].kind == "jif"
    m = metrics_for_units(conn, [rid], kinds=("sjr_cites_per_doc_2y",))[rid]
    assert (m.kind, m.value, m.year) == ("sjr_cites_per_doc_2y", 3.68, 2023)
    m = metrics_for_units(conn, [rid], kinds=("openalex_2yr_mean_citedness",))[rid]
    assert m.reason == "no_value" and "only jif, sjr_cites_per_doc_2y" in m.detail
    with pytest.raises(BadInput, match="unknown metric kind"):
        metrics_for_units(conn, kinds=("impact",))


def test_latest_year_then_latest_import(project, tmp_path):
    conn = open_db(project)
    for name, value, year in (("a.csv", "6.0", 2023), ("b.csv", "6.5", 2023), ("c.csv", "9.9", 2021)):
        p = tmp_path / name
        p.write_text(f"journal,issn,metric,year\nCancer,0008-543X,{value},{year}\n", encoding="utf-8")
        import_metric_files(conn, [p], actor="tester")
    [rid] = add_records(project, [Record(title="x", journal="Cancer", issn_print="0008-543X")])
    m = metrics_for_units(conn)[rid]
    assert (m.value, m.year, m.source) == (6.5, 2023, str(tmp_path / "b.csv"))


def test_a_duplicate_group_is_matched_on_all_its_copies(project):
    conn = open_db(project)
    import_metric_files(conn, [DATA / "own_metrics.csv", DATA / "JCR_JournalResults_2023.csv"], actor="t")
    cnki, pubmed = add_records(project, [Record(title="CAR-T 中文", journal="中华肿瘤杂志"),
                                         Record(title="CAR-T", journal="Zhonghua Zhong Liu Za Zhi",
                                                issn_print="0006-4971")])
    lonely = metrics_for_records(conn, [cnki])[cnki]
    assert lonely.reason == "unmatched"
    group(project, [cnki, pubmed])
    units = metrics_for_units(conn)
    assert set(units) == {cnki}  # one unit, keyed by the group's representative
    assert (units[cnki].matched_by, units[cnki].value) == ("issn", 21.0)
    by_member = metrics_for_units(conn, [pubmed])
    assert by_member[pubmed].value == 21.0  # a member stands for its group
    with pytest.raises(BadInput, match="no record 999"):
        metrics_for_units(conn, [999])


def test_a_jcr_classic_title_without_issns_joins_its_namesake(project):
    conn = open_db(project)
    import_metric_files(conn, [DATA / "JCR_classic_2018_oncology.csv", DATA / "JCR_JournalResults_2023.csv"],
                        actor="t")
    [rid] = add_records(project, [Record(title="x", journal="Cancer letters")])
    m = metrics_for_units(conn)[rid]
    assert (m.value, m.year, m.matched_by) == (9.1, 2023, "title")


@pytest.mark.parametrize("abbr,title,tier", [
    ("J Hematol Oncol", "Journal of Hematology & Oncology", 2),
    ("N Engl J Med", "NEW ENGLAND JOURNAL OF MEDICINE", 2),
    ("CA Cancer J Clin", "CA-A CANCER JOURNAL FOR CLINICIANS", 2),
    ("Proc Natl Acad Sci U S A", "Proceedings of the National Academy of Sciences of the United States of America", 1),
    ("Dtsch Med Wochenschr", "Deutsche Medizinische Wochenschrift", 1),
    ("Rev Esp Cardiol", "Revista Española de Cardiología", 2),
    ("Cancer", "Cancers", 0),  # nothing abbreviated in a one-word name
    ("Cancer Res", "Cancer Research Communications", 0),  # word counts differ
    ("PM and R", "Pharmacological Reports", 0),  # 'pm' is too short to be a contraction
    ("Neurology", "Neuropharmacology", 0),
    ("J Clin Oncol", "Journal of Clinical Oncology", 2),
    ("J Clin Oncol", "Journal of Clinical Ophthalmology", 0),
])
def test_abbreviation_rule(abbr, title, tier):
    from review.journals.match import JournalIndex
    from review.journals.names import abbreviation_match, abbreviation_readings, significant_words, title_key

    key = title_key(abbr)
    index = JournalIndex([(7, title, title_key(title), "", "")], [], [])
    assert index.iso_candidates(key) == ([7] if tier else [])
    if tier:
        got = max(abbreviation_match(r, significant_words(title_key(title))) for r in abbreviation_readings(key))
        assert got == tier
