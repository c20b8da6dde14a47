"""Each export format parses into the right records with the right fields."""

from __future__ import annotations

import pytest

from import_helpers import FORMATS
from review.sources.readers import parse_bytes, read_file


def parse(rel: str, fmt: str = "auto"):
    path = FORMATS / rel
    return parse_bytes(path.read_bytes(), str(path), fmt)


def test_embase_ris_with_bom():
    fmt, recs = parse("ris/asreview_embase.ris")
    assert fmt == "ris" and len(recs) == 6
    r = recs[0]
    assert r.title.startswith("Duplication cysts: Diagnosis, management")
    assert r.authors == ("Liu R.", "Adler D.G.")
    assert (r.year, r.volume, r.issue, r.pages) == (2014, "3", "3", "152-160")
    assert r.doi == "10.4103/2303-9027.138783" and r.issn_print == "2226-7190"
    assert r.journal == "Endoscopic Ultrasound"
    assert dict(r.raw)["database"] == "Embase"
    assert all(rec.abstract for rec in recs)


def test_ris_blank_first_line_pubmed_endnote_gives_pmid():
    fmt, recs = parse("ris/asreview_pubmed_endnote.txt")
    assert fmt == "ris" and len(recs) == 6
    assert recs[0].pmid == "21553931"
    assert recs[0].title.startswith("Boswellia serrata")


def test_ris_multiline_values_join_and_do_not_end_at_ER_text():
    _, recs = parse("ris/rispy_example_multiline.ris")
    assert len(recs) == 3
    assert recs[2].abstract == "first line, ER then second line and at the end the last line"


def test_proquest_and_scopus_style_issn_lists():
    _, recs = parse("ris/asreview_proquest.ris")
    assert len(recs) == 6 and recs[0].authors[:2] == ("Jones, Hannah", "Dorahy, Martin J")
    assert recs[0].issn_print == "0894-9867" and recs[0].doi == "10.1002/jts.22387"


def test_ris_with_many_reference_types_crlf():
    _, recs = parse("ris/asreview_baseline_reference_types.ris")
    assert len(recs) == 61


def test_ris_cyrillic_text_intact():
    _, recs = parse("ris/rispy_example_utf_chars.ris")
    assert recs[0].authors[0] == "Dobrokhotova, Yu E."
    assert any("\u0400" <= ch <= "\u04ff" for ch in recs[0].abstract)


def test_wos_continuation_lines_are_authors_and_title():
    fmt, recs = parse("wos/rispy_example_wos.txt")
    assert fmt == "wos" and len(recs) == 2
    r = recs[0]
    assert r.authors == ("Parkes-Loach, PS", "Majeed, AP", "Law, CJ", "Loach, PA")
    assert r.title.startswith("Interactions stabilizing the structure of the core light-harvesting complex")
    assert (r.year, r.pmid, r.doi, r.issn_print) == (2004, "15170338", "10.1021/bi049798f", "0006-2960")
    assert r.journal == "BIOCHEMISTRY" and r.journal_abbrev == "Biochemistry"


def test_medline_nbib():
    fmt, recs = parse("medline/own_pubmed.nbib")
    assert fmt == "medline" and len(recs) == 2
    r = recs[0]
    assert r.pmid == "31000001"
    assert r.title == ("Anti-CD19 chimeric antigen receptor T cells in adults with relapsed B-cell "
                       "acute lymphoblastic leukemia: a single-arm study.")
    assert r.authors == ("Zhang, Wei", "Li, Na")
    assert (r.issn_electronic, r.issn_linking) == ("1528-0020", "0006-4971")
    assert r.doi == "10.1182/blood-2018-11-883710" and r.year == 2019
    assert r.mesh == ("Adult", "*Immunotherapy, Adoptive") and r.nlm_id == "7603509"
    assert r.publication_types == ("Clinical Trial", "Journal Article")


def test_cnki_refer_crlf():
    fmt, recs = parse("cnki/cnki-converter_demo_endnote_first6.txt")
    assert fmt == "cnki" and len(recs) == 6
    r = recs[1]
    assert r.title == "融合 ELMo 和多尺度卷积神经网络的情感分析"
    assert r.authors[:2] == ("赵亚欧", "张家重")
    assert r.keywords[:2] == ("情感分析", "自然语言处理")  # packed with ;;
    assert r.issn_print == "1001-9081" and dict(r.raw)["database"] == "CNKI"


def test_cnki_noteexpress_packed_authors_and_fullwidth_colon():
    _, recs = parse("cnki/cnki2bibtex_Classic5Test_noteexpress.net")
    assert len(recs) == 5
    assert recs[0].authors == ("Alaa Alhaj-Ismail", "Sami Adwan", "John Stittle")
    (r,) = parse("cnki/cnki2bibtex_ChineseColon_noteexpress.net")[1]
    assert r.title == "软组织肉瘤诊治中国专家共识(2015年版)"
    assert r.abstract.startswith("软组织肉瘤")  # '{Abstract}：' with a full-width colon
    assert r.url == "https://rs.yiigle.com/CN112152201604/889113.htm"
    assert r.keywords == ("肉瘤", "软组织肿瘤", "诊断", "治疗", "规范")
    assert dict(r.raw)["translated_title"].startswith("Chinese expert consensus")


def test_cnki_estudy_gb18030_crlf():
    path = FORMATS / "cnki/own_estudy_gb18030_crlf.txt"
    raw = path.read_bytes()
    assert b"\r\n" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    fmt, recs = parse("cnki/own_estudy_gb18030_crlf.txt")
    assert fmt == "cnki" and len(recs) == 2
    r = recs[0]
    assert r.title == "嵌合抗原受体T细胞治疗复发难治性急性淋巴细胞白血病的疗效分析"
    assert r.authors == ("王晓明", "李静", "张伟")
    assert r.keywords == ("CAR-T", "急性淋巴细胞白血病", "细胞因子释放综合征")
    assert (r.year, r.volume, r.issue, r.pages, r.journal) == (2020, "41", "05", "385-390", "中华血液学杂志")
    assert recs[1].year == 2021  # from PubTime when Year is missing


def test_cnki_refworks_glued_tag_comma_authors_multiline_abstract():
    _, recs = parse("cnki/own_refworks_crlf.txt")
    assert len(recs) == 3
    assert recs[0].abstract.endswith("方法纳入20例患者,观察总缓解率。")
    assert recs[0].volume == "41" and recs[0].doi == "10.3760/cma.j.issn.0253-3766.2019.08.009"
    assert recs[1].authors == ("黄磊", "吴娟", "郑凯")
    assert recs[2].authors == ("何晓东",)
    assert dict(recs[2].raw)["type"] == "Dissertation/Thesis"


def test_wanfang_noteexpress_one_tag_per_author():
    fmt, recs = parse("wanfang/own_wanfang_noteexpress.net")
    assert fmt == "wanfang" and len(recs) == 2
    r = recs[0]
    assert r.authors == ("郭建华", "林芳")
    assert r.keywords == ("嵌合抗原受体", "B细胞淋巴瘤", "细胞因子释放综合征")
    assert r.journal == "白血病·淋巴瘤" and r.issn_print == "1009-9921"
    assert dict(r.raw)["translated_title"].startswith("Clinical observation of CD19-targeted")
    assert dict(r.raw)["database"] == "北京万方数据股份有限公司"


def test_bibtex_scopus_shape():
    fmt, recs = parse("bibtex/own_scopus.bib")
    assert fmt == "bibtex" and len(recs) == 2
    r = recs[0]
    assert r.authors == ("Chen, L.", "Zhao, G.", "Müller, K.")
    assert r.title == "BCMA-targeted CAR-T cells in relapsed multiple myeloma: a phase I study"
    assert r.journal == "Journal of Hematology & Oncology" and r.journal_abbrev == "J. Hematol. Oncol."
    assert (r.pages, r.issn_print, r.year) == ("45-53", "1756-8722", 2020)
    assert r.keywords == ("BCMA", "CAR-T", "multiple myeloma")


def test_endnote_xml_styles_flattened_and_chinese():
    fmt, recs = parse("endnote_xml/own_endnote.xml")
    assert fmt == "endnote-xml" and len(recs) == 2
    assert recs[0].title == "Anti-CD19 CAR T cells in adults"
    assert recs[0].pmid == "31000001" and recs[0].doi == "10.1182/blood-2018-11-883710"
    assert recs[1].authors == ("刘洋", "孙海燕") and recs[1].journal == "中华肿瘤杂志"


def test_csv_columns_case_insensitive():
    fmt, recs = parse("csv/own_records.csv")
    assert fmt == "csv" and len(recs) == 2
    assert recs[0].title == "CAR-T cells in B-ALL, a cohort" and recs[0].pmid == "31000001"
    assert recs[0].authors == ("Zhang W", "Li N") and dict(recs[0].raw)["record_id"] == "r1"
    assert recs[1].authors == ("王晓明", "李静", "张伟")  # full-width semicolons


def test_seed_files_share_papers():
    cnki = read_file(FORMATS / "seed/cnki_car_t_noteexpress.net")
    wanfang = read_file(FORMATS / "seed/wanfang_car_t_noteexpress.net")
    assert (len(cnki), len(wanfang)) == (5, 4)
    assert {r.doi for r in cnki if r.doi} & {r.doi for r in wanfang if r.doi}
    english = [r for r in cnki if r.language == "eng"]
    assert len(english) == 1
    assert english[0].title in {dict(r.raw).get("translated_title") for r in wanfang}


def test_format_override_beats_detection():
    fmt, recs = parse("cnki/own_refworks_crlf.txt", "wanfang")
    assert fmt == "wanfang" and len(recs) == 3
