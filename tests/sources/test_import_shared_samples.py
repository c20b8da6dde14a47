"""Real GPL/AGPL export samples read in place from /work/shared (not copied
into the project); skipped on a machine without that folder."""

from __future__ import annotations

import pytest

from import_helpers import SHARED
from review.sources.readers import parse_bytes

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="needs /work/shared/data/formats")

SAMPLES = {
    "cnki/mrhelper_demo_cnki_202101_estudy.txt": ("cnki", 20),
    "cnki/zotero_pr3417_cnki_refer_endnote_testcases.txt": ("cnki", 8),
    "cnki/zotero_pr3417_cnki_refworks_testcases.txt": ("cnki", 11),
    "wanfang/mrhelper_demo_wanfang_202101_noteexpress.net": ("wanfang", 20),
    "medline_nbib/mrhelper_demo_pubmed_202101.nbib": ("medline", 10),
    "medline_nbib/synthesisr_PubMed_example.txt": ("medline", 3),
    "ris/synthesisr_Scopus_ris_example.ris": ("ris", 3),
    "ris/synthesisr_Ovid_ris_example.ris": ("ris", 4),
    "bibtex/synthesisr_Scopus_bib_example.bib": ("bibtex", 3),
    "endnote_xml/pandoc_endnotexml-reader.xml": ("endnote-xml", 2),
    "endnote_xml/zotero_endnote_xml_case1.xml": ("endnote-xml", 1),
    "endnote_xml/zotero_endnote_xml_case2.xml": ("endnote-xml", 2),
}


def _parse(rel):
    path = SHARED / rel
    return parse_bytes(path.read_bytes(), str(path))


@pytest.mark.parametrize("rel", sorted(SAMPLES))
def test_sample_detected_and_counted(rel):
    fmt, recs = _parse(rel)
    assert (fmt, len(recs)) == SAMPLES[rel]
    assert all(r.title for r in recs)


def test_estudy_fields():
    r = _parse("cnki/mrhelper_demo_cnki_202101_estudy.txt")[1][0]
    assert r.title.startswith("1例卡培他滨与苯妥英钠相互作用")
    assert r.authors == ("柯洪琴", "陈璿英", "王启斌")
    assert (r.journal, r.year, r.volume, r.issue, r.pages) == ("中南药学", 2021, "19", "01", "168-170")


def test_refworks_comma_packed_and_glued_author():
    recs = _parse("cnki/zotero_pr3417_cnki_refworks_testcases.txt")[1]
    assert recs[2].authors == ("颜宏", "石德成", "尹尚军", "赵伟")
    assert recs[3].authors == ("林行众",)


def test_wanfang_translated_title():
    r = _parse("wanfang/mrhelper_demo_wanfang_202101_noteexpress.net")[1][0]
    assert r.authors == ("江文杰", "韩超", "顾达民")
    assert dict(r.raw)["translated_title"].startswith("Influence of ultrasound-guided serratus plane block")


def test_scopus_ris_and_ovid_banners():
    assert _parse("ris/synthesisr_Scopus_ris_example.ris")[1][0].issn_print == "2096-4129"
    ovid = _parse("ris/synthesisr_Ovid_ris_example.ris")[1]
    assert ovid[0].doi == "10.4236/ojf.2020.101008"
