"""Offline PubMed XML parsing: recorded efetch files, field by field."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.errors import BadInput
from review.sources.pubmed_xml import parse_pubmed_xml

DATA = Path(__file__).resolve().parents[1] / "data" / "entrez"


def one(name: str):
    recs = list(parse_pubmed_xml(DATA / name))
    assert len(recs) == 1
    return recs[0]


def test_structured_abstract_issns_and_journal_ids():
    r = one("pubmed4.xml")
    assert r.pmid == "27797938"
    assert r.doi == "10.1136/gutjnl-2016-312510"
    assert r.title.startswith("Leucocyte telomere length, genetic variants at the TERT gene region")
    assert r.journal == "Gut" and r.journal_abbrev == "Gut"
    assert (r.issn_print, r.issn_electronic, r.issn_linking) == ("", "1468-3288", "0017-5749")
    assert r.nlm_id == "2985108R"
    assert r.year == 2017 and r.volume == "66" and r.issue == "6" and r.pages == "1116-1122"
    assert r.authors[:3] == ("Bao Y", "Prescott J", "Yuan C")
    assert "Qian ZR" in r.authors
    paras = r.abstract.split("\n")
    assert [p.split(":")[0] for p in paras] == ["OBJECTIVE", "DESIGN", "RESULTS", "CONCLUSIONS"]
    assert "p trend" not in r.abstract and "ptrend=0.048" in r.abstract and "r2<0.25" in r.abstract
    assert "Observational Study" in r.publication_types
    assert "Adenocarcinoma" in r.mesh and r.keywords == ("PANCREATIC CANCER",)
    assert r.language == "eng"
    assert r.source_ref == "pmid:27797938" and dict(r.raw)["pmc"] == "PMC5442267"


def test_mathml_and_html_markup_are_removed_from_the_abstract():
    r = one("pubmed6.xml")
    assert r.pmid == "30108519" and r.doi == "10.3389/fphys.2018.01034"
    assert "<" not in r.abstract.replace("P < 0.001", "")
    assert "mml" not in r.abstract and "mrow" not in r.abstract
    assert "(LEmin)" in r.abstract and "km·h-1" in r.abstract
    assert "  " not in r.abstract
    assert r.keywords[0] == "Owles' point"
    assert (r.issn_print, r.issn_electronic, r.issn_linking, r.nlm_id) == ("1664-042X", "", "1664-042X", "101549006")


def test_two_articles_with_and_without_doi_and_abstract():
    recs = list(parse_pubmed_xml((DATA / "pubmed1.xml").read_bytes(), "pubmed1.xml"))
    assert [r.pmid for r in recs] == ["12091962", "9997"]
    a, b = recs
    assert a.doi == "" and a.abstract == "" and a.year == 1990
    assert a.issn_print == "1043-1578" and a.journal_abbrev == "Soc Justice"
    assert a.publication_types == ("Journal Article", "Review")
    assert b.doi == "10.1016/0005-2795(76)90109-4" and b.year == 1976
    assert b.authors == ("Strekas TC",)


def test_in_data_review_record_and_eissn():
    r = one("pubmed5.xml")
    assert r.pmid == "28775130" and dict(r.raw)["status"] == "In-Data-Review"
    assert (r.issn_electronic, r.issn_linking) == ("1470-7926", "1351-0711")
    assert r.mesh == () and "pesticides" in r.keywords
    assert r.abstract.startswith("OBJECTIVES: ")


BOOK = b"""<?xml version="1.0"?>
<PubmedArticleSet><PubmedBookArticle><BookDocument>
<PMID Version="1">20301295</PMID>
<ArticleIdList><ArticleId IdType="bookaccession">NBK1116</ArticleId></ArticleIdList>
<Book><Publisher><PublisherName>University of Washington, Seattle</PublisherName></Publisher>
<BookTitle book="gene">GeneReviews<sup>&#xae;</sup></BookTitle>
<PubDate><Year>1993</Year></PubDate>
<AuthorList Type="editors"><Author><LastName>Adam</LastName><Initials>MP</Initials></Author></AuthorList>
</Book>
<ArticleTitle>Alpha-Thalassemia</ArticleTitle>
<Language>eng</Language>
<AuthorList Type="authors"><Author><LastName>Tamary</LastName><ForeName>Hannah</ForeName><Initials>H</Initials></Author>
<Author><CollectiveName>GeneReviews Consortium</CollectiveName></Author></AuthorList>
<PublicationType UI="D000078">Review</PublicationType>
<Abstract><AbstractText Label="CLINICAL CHARACTERISTICS">Alpha-thalassemia has two forms.</AbstractText></Abstract>
</BookDocument><PubmedBookData><ArticleIdList><ArticleId IdType="pubmed">20301295</ArticleId>
<ArticleId IdType="doi">10.0000/book.example</ArticleId></ArticleIdList></PubmedBookData></PubmedBookArticle>
</PubmedArticleSet>"""


def test_book_article():
    (r,) = parse_pubmed_xml(BOOK, "book.xml")
    assert r.pmid == "20301295" and r.title == "Alpha-Thalassemia"
    assert r.journal == "GeneReviews®" and r.year == 1993
    assert r.authors == ("Tamary H", "GeneReviews Consortium")
    assert r.abstract == "CLINICAL CHARACTERISTICS: Alpha-thalassemia has two forms."
    assert r.doi == "10.0000/book.example" and r.publication_types == ("Review",)


def test_medline_date_gives_the_year():
    xml = (DATA / "pubmed1.xml").read_bytes()
    start = xml.index(b"<PubDate>")
    end = xml.index(b"</PubDate>", start)
    xml = xml[:start] + b"<PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate>" + xml[end:]
    assert next(iter(parse_pubmed_xml(xml, "x.xml"))).year == 1998


def test_truncated_xml_names_the_input_line_and_article():
    data = (DATA / "pubmed2.xml").read_bytes()
    cut = data[: data.index(b"</PubmedArticle>") + 300]  # inside the second article
    it = parse_pubmed_xml(cut, "export.xml")
    first = next(it)
    assert first.pmid == "11748933"
    with pytest.raises(BadInput) as exc:
        list(it)
    msg = str(exc.value)
    assert msg.startswith("export.xml:") and "after article 1" in msg and "line" in msg


def test_html_and_foreign_xml_are_refused(tmp_path):
    with pytest.raises(BadInput, match=r"pubmed3.html:1: not PubMed XML: root element <html>"):
        list(parse_pubmed_xml(DATA / "pubmed3.html"))
    with pytest.raises(BadInput, match="esearch2.xml:1: not PubMed XML: root element <eSearchResult>"):
        list(parse_pubmed_xml(DATA / "esearch2.xml"))
    with pytest.raises(BadInput, match="no such file"):
        parse_pubmed_xml(tmp_path / "missing.xml")


def test_article_without_pmid_is_named():
    bad = b"<PubmedArticleSet><PubmedArticle><MedlineCitation><Article/></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    with pytest.raises(BadInput, match=r"x.xml \(article 1\): article 1 has no PMID"):
        list(parse_pubmed_xml(bad, "x.xml"))
