"""The publication-type vocabulary, the languages, the title cues, and the
checks on a unit's copies where they disagree."""

from __future__ import annotations

import pytest

from review.errors import ProtocolError
from review.protocol import parse_protocol
from review.rules import languages as L
from review.rules import types as T
from review.rules.checks import Checker, Config, Copy
from review.protocol import Rules


@pytest.mark.parametrize("field,value,expected", [
    # PubMed publication types (and MEDLINE PT)
    ("pt", "Journal Article", "Journal Article"), ("pt", "Review", "Review"), ("pt", "Case Reports", "Case Reports"),
    ("pt", "Randomized Controlled Trial", "Randomized Controlled Trial"), ("pt", "Published Erratum", "Published Erratum"),
    ("pt", "News", "News"),
    # Web of Science DT, Scopus/Embase document types
    ("pt", "Editorial Material", "Editorial"), ("pt", "Meeting Abstract", "Meeting Abstract"),
    ("pt", "Proceedings Paper", "Congress"), ("pt", "Conference Abstract", "Meeting Abstract"),
    ("pt", "Conference Paper", "Congress"), ("pt", "Short Survey", "Review"), ("pt", "Erratum", "Published Erratum"),
    ("pt", "Article", "Journal Article"), ("pt", "News Item", "News"), ("pt", "Retraction", "Retraction of Publication"),
    # RIS TY codes (capitals only), EndNote and NoteExpress reference types, Zotero, BibTeX
    ("ref", "JOUR", "Journal Article"), ("ref", "CONF", "Congress"), ("ref", "ABST", "Meeting Abstract"),
    ("ref", "THES", "Academic Dissertation"), ("ref", "BOOK", "Book"), ("ref", "CHAP", "Book Chapter"),
    ("ref", "NEWS", "Newspaper Article"), ("ref", "EDBOOK", "Book"), ("ref", "RPRT", "Technical Report"),
    ("ref", "Journal Article", "Journal Article"), ("ref", "Thesis", "Academic Dissertation"),
    ("ref", "Dissertation/Thesis", "Academic Dissertation"), ("ref", "Conference Proceedings", "Congress"),
    ("ref", "Book Section", "Book Chapter"), ("ref", "Newspaper Article", "Newspaper Article"),
    ("ref", "journalArticle", "Journal Article"), ("ref", "conferencePaper", "Congress"),
    ("ref", "phdthesis", "Academic Dissertation"), ("ref", "inproceedings", "Congress"),
    # CNKI / Wanfang: Chinese document types, degrees, E-Study source databases
    ("cnki", "期刊", "Journal Article"), ("cnki", "博士", "Academic Dissertation"),
    ("cnki", "硕士", "Academic Dissertation"), ("cnki", "中国会议", "Congress"), ("cnki", "国际会议", "Congress"),
    ("cnki", "报纸", "Newspaper Article"), ("cnki", "年鉴", "Yearbook"), ("cnki", "专利", "Patent"),
    ("cnki", "标准", "Standard"), ("thesis", "硕士", "Academic Dissertation"), ("thesis", "碩士", "Academic Dissertation"),
    ("ref", "学位论文", "Academic Dissertation"), ("ref", "期刊文章", "Journal Article"), ("ref", "会议论文", "Congress"),
    ("ref", "报纸文章", "Newspaper Article"), ("pt", "综述", "Review"), ("pt", "病例报告", "Case Reports"),
])
def test_every_sources_words_map_to_one_vocabulary(field, value, expected):
    kw = {"pt": {"publication_types": [value]}, "ref": {"reference_type": value},
          "cnki": {"cnki_database": value}, "thesis": {"thesis_type": value}}[field]
    said, unknown = T.types_said(**{"publication_types": (), **kw})
    assert [s.type for s in said] == [expected] and unknown == []


def test_ris_news_is_a_newspaper_but_pubmed_news_is_news():
    assert T.canonical("NEWS", reference_type=True) == "Newspaper Article"
    assert T.canonical("News") == "News"


def test_packed_and_unknown_types():
    said, unknown = T.types_said(["Article; Early Access", "Review"], "GEN", entry_type="Widget")
    assert [s.type for s in said] == ["Journal Article", "Review"] and unknown == ["Widget"]
    assert T.types_said([], "1")[1] == []          # CNKI E-Study's DataType number says nothing


def test_a_protocol_entry_takes_in_its_narrower_types():
    excluded = {"Clinical Trial": "Clinical Trial", "Review": "Review", "Congress": "Congress"}
    assert T.excluded_by("Randomized Controlled Trial", excluded) == "Clinical Trial"
    assert T.excluded_by("Systematic Review", excluded) == "Review"
    assert T.excluded_by("Meeting Abstract", excluded) == "Congress"
    assert T.excluded_by("Meta-Analysis", excluded) is None
    assert T.excluded_by("Congress", {"Meeting Abstract": "Meeting Abstract"}) is None


@pytest.mark.parametrize("title,found", [
    ("A case report of CRS after CAR-T", "Case Reports"),
    ("Late neurotoxicity: report of two cases", "Case Reports"),
    ("CAR-T细胞治疗淋巴瘤1例报告", "Case Reports"),
    ("CAR-T细胞治疗后迟发性神经毒性一例报道", "Case Reports"),
    ("CAR-T细胞治疗的研究进展", "Review"),
    ("CD19 CAR-T cells: a narrative review", "Review"),
    ("Efficacy of CAR-T: a systematic review and meta-analysis", "Systematic Review"),
    ("CAR-T细胞治疗淋巴瘤的Meta分析", "Meta-Analysis"),
    ("Re: neurotoxicity after CAR-T", "Letter"),
    ("Erratum: outcomes of CAR-T", "Published Erratum"),
    ("RETRACTED: CAR-T in myeloma", "Retracted Publication"),
])
def test_title_cues_suggest_types(title, found):
    excluded = {t: t for t in ("Case Reports", "Review", "Meta-Analysis", "Letter", "Published Erratum",
                               "Retracted Publication")}
    assert found in [name for name, _, _ in T.CueFinder(excluded).find(title)]


@pytest.mark.parametrize("title", [
    "Response to CAR-T therapy in older patients",      # not a letter
    "CAR-T细胞治疗后无进展生存的影响因素",               # 进展 in 无进展生存 (progression-free survival)
    "Peer review of trial protocols",
    "Case-control study of CRS",
])
def test_title_cues_leave_plain_titles_alone(title):
    excluded = {t: t for t in ("Case Reports", "Review", "Letter")}
    assert T.CueFinder(excluded).find(title) == []


def test_cues_only_for_types_the_protocol_excludes():
    assert T.CueFinder({"Letter": "Letter"}).find("A case report of CRS") == []


@pytest.mark.parametrize("text,codes,unknown", [
    ("eng", ["eng"], []), ("English", ["eng"], []), ("中文;", ["chi"], []), ("eng; fre", ["eng", "fre"], []),
    ("English, Chinese", ["eng", "chi"], []), ("Chinese (Simplified)", ["chi"], []), ("zh", ["chi"], []),
    ("und", [], []), ("", [], []), ("Serbo-Croatian", [], ["Serbo-Croatian"]), ("German", ["ger"], []),
])
def test_languages_normalise_to_pubmed_codes(text, codes, unknown):
    assert L.parse(text) == (codes, unknown)


def test_study_design_words():
    assert T.design_groups("randomized controlled trial") == {"rct"}
    assert T.design_groups("single-arm clinical trial") == {"trial", "rct"}
    assert T.design_groups("retrospective study") == {"observational"}
    assert T.design_groups("回顾性研究") == {"observational"}
    assert T.design_groups("qualitative interviews") == frozenset()


def _copy(rid, *, types=(), ref="", year=2020, language="", title="t", source="X"):
    said, unknown = T.types_said(types, ref)
    return Copy(rid, source, "", title, "", year, language, tuple(said), tuple(unknown), "[]")


def _checker(**kw):
    return Checker(Config.from_rules(Rules(**kw)))


def test_copies_that_disagree_on_the_form_are_flagged_not_excluded():
    ch = _checker(exclude_publication_types=("Academic Dissertation",))
    v = ch.verdict([_copy(1, ref="THES"), _copy(2, ref="JOUR")], None)
    assert v.exclusions == {} and list(v.flags) == ["publication type: copies disagree"]
    v = ch.verdict([_copy(1, ref="THES"), _copy(2, types=["硕士"])], None)
    assert list(v.exclusions) == ["publication_type"]
    v = ch.verdict([_copy(1, ref="THES"), _copy(2)], None)          # a copy that says nothing does not dispute
    assert list(v.exclusions) == ["publication_type"]


def test_a_genre_any_copy_states_decides():
    ch = _checker(exclude_publication_types=("Review",))
    v = ch.verdict([_copy(1, ref="Journal Article", source="CNKI"), _copy(2, types=["Journal Article", "Review"],
                                                                        source="PubMed")], None)
    assert v.exclusions["publication_type"].record_id == 2


def test_years_and_languages_across_copies():
    ch = _checker(year_min=2010, year_max=2020, languages=("English",))
    v = ch.verdict([_copy(1, year=2009), _copy(2, year=2011)], None)
    assert v.exclusions == {} and "date window: copies disagree" in v.flags
    v = ch.verdict([_copy(1, year=2009), _copy(2, year=None)], None)
    assert v.exclusions["date_window"].payload["value"] == 2009
    v = ch.verdict([_copy(1, language="chi"), _copy(2, language="eng")], None)
    assert "language" not in v.exclusions
    v = ch.verdict([_copy(1, language="chi"), _copy(2, language="")], None)
    assert v.exclusions["language"].payload["languages"] == ["chi"]


@pytest.mark.parametrize("key,value,message", [
    ("exclude_publication_types", '["Reveiw"]', "unknown publication type 'Reveiw' (did you mean 'Review'?)"),
    ("exclude_publication_types", '["Widgets"]', "unknown publication type 'Widgets'"),
    ("languages", '["Engish"]', "unknown language 'Engish' (did you mean 'english'?)"),
    ("impact_factor_kinds", '["jcr"]', "expected one of jif, user, sjr_cites_per_doc_2y"),
    ("prisma_other", '["impact_factor"]', "expected one of publication_type, date_window"),
    ("humans_only", '"yes"', "expected true or false"),
])
def test_protocol_rules_are_checked(key, value, message):
    with pytest.raises(ProtocolError) as e:
        parse_protocol(f'id = "x"\ntitle = "x"\n[rules]\n{key} = {value}\n', "p.toml")
    assert f"p.toml: key 'rules.{key}'" in str(e.value) and message in str(e.value)


def test_protocol_accepts_names_aliases_and_codes():
    p = parse_protocol('id = "x"\ntitle = "x"\n[rules]\nexclude_publication_types = ["Review", "thesis", "ABST"]\n'
                       'languages = ["eng", "Chinese", "zh"]\nhumans_only = true\nprisma_other = ["language"]\n'
                       'impact_factor_kinds = ["jif", "sjr_cites_per_doc_2y"]\n')
    cfg = Config.from_rules(p.rules)
    assert cfg.excluded_types == {"Review": "Review", "Academic Dissertation": "thesis", "Meeting Abstract": "ABST"}
    assert cfg.languages == {"eng", "chi"} and cfg.humans_only and cfg.prisma_other == {"language"}
    assert cfg.kinds == ("jif", "sjr_cites_per_doc_2y")
