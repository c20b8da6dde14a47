"""Rules on hand-made cases: identifiers as evidence not proof, vetoes,
Chinese copies from CNKI and Wanfang, cannot-link clustering."""

from review.dedup.cluster import Groups
from review.dedup.engine import find_duplicates
from review.models import Record

ART = dict(
    title="Long-term outcomes of CD19 CAR-T cell therapy in relapsed lymphoma: a cohort study",
    authors=("Zhang, W.", "Li, X.", "Chen, Y."), year=2021, journal="Blood", volume="138", pages="100-110",
)


def rec(**kw) -> Record:
    return Record(**(ART | kw))


def labels(records, decisions=None):
    return find_duplicates(records, decisions).labels


def test_copies_with_typos_and_missing_fields_are_merged():
    a = rec(doi="10.1000/x")
    b = rec(title=ART["title"].upper().replace("cohort", "cohrt"), doi="", journal="Blood.", pages="100-10")
    c = rec(authors=("W Zhang", "X Li"), volume="", pages="")
    assert len(set(labels([a, b, c]))) == 1


def test_different_dois_or_pmids_veto_a_merge():
    assert len(set(labels([rec(doi="10.1000/a"), rec(doi="10.1000/b")]))) == 2
    assert len(set(labels([rec(pmid="1"), rec(pmid="2")]))) == 2


def test_shared_supplement_doi_is_not_proof():
    supp = "10.1182/blood-2021-supplement"
    a = rec(title="CAR-T toxicity in elderly patients", authors=("Smith, A.",), doi=supp, pages="")
    b = rec(title="Cost of tisagenlecleucel in Japan", authors=("Sato, K.",), doi=supp, pages="")
    res = find_duplicates([a, b])
    assert res.labels[0] != res.labels[1]


def test_erratum_comment_and_generic_titles_are_not_merged():
    err = rec(title="Erratum: " + ART["title"], pages="2000")
    reply = rec(title="Reply to: " + ART["title"], pages="")
    assert len(set(labels([rec(), err, reply]))) == 3
    ed1 = Record(title="Editorial", authors=("Smith, A.",), year=2020, journal="Blood", volume="1", pages="1")
    ed2 = Record(title="Editorial", authors=("Jones, B.",), year=2020, journal="Blood", volume="2", pages="5")
    assert len(set(labels([ed1, ed2]))) == 2


def test_conference_abstract_and_later_article_are_not_merged():
    abstract = rec(journal="Blood. Conference: 63rd ASH Annual Meeting", volume="138", pages="S1", year=2020,
                   raw=(("entrytype", "inproceedings"),))
    article = rec(year=2021, volume="139", pages="200-210")
    res = find_duplicates([abstract, article])
    assert res.labels[0] != res.labels[1]


def test_cnki_and_wanfang_copies_of_a_chinese_paper_are_found():
    cnki = Record(title="嵌合抗原受体T细胞治疗复发难治性弥漫大B细胞淋巴瘤的临床研究",
                  authors=("王伟", "李娜", "陈勇"), year=2020, journal="中华血液学杂志", volume="41",
                  pages="12-18")
    wanfang = Record(title="嵌合抗原受体T细胞治疗复发难治性弥漫大B细胞淋巴瘤的临床研究 [Chinese]",
                     authors=("王伟", "李娜"), year=2020, journal="中华血液学杂志", volume="41", pages="12-18",
                     raw=(("title_en", "Clinical study of CAR-T cells in relapsed refractory DLBCL"),))
    other = Record(title="嵌合抗原受体T细胞治疗急性淋巴细胞白血病的疗效分析",
                   authors=("王伟", "李娜"), year=2020, journal="中华血液学杂志", volume="41", pages="30-35")
    translated = Record(title="Clinical study of CAR-T cells in relapsed refractory DLBCL [Chinese]",
                        authors=("Wang, W.", "Li, N."), year=2020, journal="Zhonghua Xue Ye Xue Za Zhi",
                        volume="41", pages="12-18")
    res = find_duplicates([cnki, wanfang, other, translated])
    assert res.labels[0] == res.labels[1]
    assert res.labels[2] != res.labels[0]
    # the English-only copy matches the translated title the Wanfang copy carries: at least a possible pair
    tiers = {(p.i, p.j): p.verdict.tier for p in res.pairs}
    assert res.labels[3] == res.labels[1] or tiers.get((1, 3)) == "possible"


def test_groups_never_hold_two_dois_and_respect_kept_apart():
    g = Groups(["10.1000/a", "", "10.1000/b"], ["", "", ""], apart=[(0, 2)])
    assert g.union(0, 1) == ""
    assert "DOI" in g.union(1, 2)
    assert g.labels() == [0, 0, 2]
    g2 = Groups(["", "", ""], ["", "", ""], apart=[(0, 2)])
    g2.union(0, 1)
    assert "kept" in g2.union(1, 2)


def test_human_decisions_override_the_rules():
    a, b = rec(), rec(title=ART["title"] + " (preliminary report)", pages="")
    assert find_duplicates([a, b], {(0, 1): "merge"}).labels == [0, 0]
    assert find_duplicates([rec(), rec()], {(0, 1): "keep"}).labels == [0, 1]
