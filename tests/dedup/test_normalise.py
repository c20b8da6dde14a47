"""Unicode-aware normalisation: NFKC, markup, translation markers, DOIs, pages."""

from review.dedup.normalise import (
    cjk_part, norm_doi, norm_id, norm_pages, norm_text, norm_volume, surname_key,
)


def test_nfkc_case_accents_and_markup():
    assert norm_text("ＣＡＲ-Ｔ <i>in vivo</i> &amp; Café") == "car t in vivo cafe"
    assert norm_text('Effect of <mml:math><mml:mi>x</mml:mi></mml:math> dosing') == "effect of dosing"


def test_translation_markers_and_database_notes_are_dropped():
    assert norm_text("Efficacy of batroxobin. [Chinese]") == norm_text("Efficacy of batroxobin")
    assert norm_text("Gait after stroke (Article in German)") == "gait after stroke"
    assert norm_text("Gait in healthy people.[Erratum appears in Exp Brain Res. 2010;203(1):251]") == \
        "gait in healthy people"
    assert norm_text("Screening programs. [Review] [42 refs]") == "screening programs"


def test_cjk_kept_and_split_by_character():
    assert norm_text("嵌合抗原受体T细胞") == "嵌 合 抗 原 受 体 t 细 胞"
    assert cjk_part("CAR-T 细胞治疗 (study)") == "细胞治疗"


def test_doi_forms_reduce_to_10_prefix():
    for raw in ("https://doi.org/10.1000/ABC.1", "doi:10.1000/abc.1.", "http://dx.doi.org/10.1000/abc.1"):
        assert norm_doi(raw) == "10.1000/abc.1"
    assert norm_doi("http://dx.doi.org/10.1016/S0735-1097%2813%2962048-3") == "10.1016/s0735-1097(13)62048-3"
    assert norm_doi("not a doi") == ""


def test_pages_volumes_ids_and_surnames():
    assert norm_pages("221-8") == ("221", "228")
    assert norm_pages("pp. 1006–1016") == ("1006", "1016")
    assert norm_volume("25 (Suppl 1)") == "25"
    assert norm_volume("1)") == ""
    assert norm_id("PMID: 0012345") == "12345"
    assert surname_key("Zuna, R E") == surname_key("Zuna R. E.") == surname_key("R. E. Zuna") == "zuna"
