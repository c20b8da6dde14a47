"""Format detection by content, not by file name."""

from __future__ import annotations

import pytest

from import_helpers import FORMATS
from review.errors import BadInput
from review.sources.detect import detect_format

CASES = {
    "ris/asreview_embase.ris": "ris",
    "ris/asreview_pubmed_endnote.txt": "ris",
    "ris/asreview_ovid_zotero.ris": "ris",
    "ris/rispy_example_bom.ris": "ris",
    "wos/rispy_example_wos.txt": "wos",
    "medline/own_pubmed.nbib": "medline",
    "cnki/cnki-converter_demo_endnote_first6.txt": "cnki",
    "cnki/cnki2bibtex_Classic5Test_noteexpress.net": "cnki",
    "cnki/own_estudy_gb18030_crlf.txt": "cnki",
    "cnki/own_refworks_crlf.txt": "cnki",
    "wanfang/own_wanfang_noteexpress.net": "wanfang",
    "seed/cnki_car_t_noteexpress.net": "cnki",
    "seed/wanfang_car_t_noteexpress.net": "wanfang",
    "bibtex/own_scopus.bib": "bibtex",
    "endnote_xml/own_endnote.xml": "endnote-xml",
    "csv/own_records.csv": "csv",
}


@pytest.mark.parametrize("rel", sorted(CASES))
def test_detects_fixture(rel):
    path = FORMATS / rel
    assert detect_format(path.read_bytes(), str(path)) == CASES[rel]


def test_detection_ignores_the_file_name():
    data = (FORMATS / "medline/own_pubmed.nbib").read_bytes()
    assert detect_format(data, "misleading.ris") == "medline"


def test_pubmed_xml_detected():
    data = b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet>\n<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>'
    assert detect_format(data, "x.xml") == "pubmed-xml"


def test_gb18030_wanfang_detected():
    text = (FORMATS / "wanfang/own_wanfang_noteexpress.net").read_text("utf-8")
    assert detect_format(text.replace("\n", "\r\n").encode("gb18030"), "w.net") == "wanfang"


@pytest.mark.parametrize("data,message", [
    (b"", "empty"), (b"  \n\n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"<html><body>Not found</body></html>", "neither PubMed XML nor EndNote XML"),
])
def test_undetectable(data, message):
    with pytest.raises(BadInput, match=message):
        detect_format(data, "f")
