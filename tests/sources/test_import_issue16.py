"""Issue 16: the export kinds a reviewer meets that were refused or misread.
Each file is one a peer tool's test suite ships (copied, MIT: CoLRev) or one
written in its shape (own_*); the expected counts and fields are what the
exporting tool or a well-kept reader gives (noted at each test: rispy 0.10,
bibtexparser 2.1, CoLRev's expected .bib files)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from import_helpers import FORMATS, dump, new_project, run

from review.sources.readers import parse_bytes


def parse(rel: str, fmt: str = "auto"):
    path = FORMATS / rel
    return parse_bytes(path.read_bytes(), str(path), fmt)


def _json(res):
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


# -- Ovid RIS: NL field and link text after ER; the database from the file -------------------

def test_ovid_psycinfo_ris_with_nl_after_er():
    fmt, recs = parse("ris/own_ovid_psycinfo_nl.ris")  # CRLF, numbered banners, NL + links after ER
    assert fmt == "ris" and len(recs) == 2  # rispy: 2 records
    assert recs[0].title == "Mindfulness training for health care workers: A randomized trial"
    assert recs[0].doi == "10.1037/ocp0000281" and recs[0].year == 2021
    assert recs[0].abstract.endswith("Burnout fell in the course group.")  # the link text is not data
    assert recs[1].pages == "455-461" and recs[1].issn_print == "2352-7218"


@pytest.mark.parametrize("rel,source", [
    ("ris/own_ovid_psycinfo_nl.ris", "PsycINFO (Ovid)"),  # D=psyc in Ovid's links
    ("ris/own_ovid_medline.ris", "Ovid MEDLINE"),  # DB  - Ovid MEDLINE(R) ALL <1946 to ...>
    ("ris/colrev_psycinfo.ris", "PsycINFO"),  # APA's header 'Database: PsycINFO'
    ("ris/colrev_proquest_abi.ris", "ProQuest"),  # DB  - ProQuest Dissertations & Theses Global
    ("ris/asreview_proquest.ris", "ProQuest"),  # DB  - PTSDpubs, docview links on proquest.com
    ("ris/asreview_ovid_zotero.ris", "PsycINFO"),  # APA's copyright line in the abstracts
    ("ris/own_cochrane_central.ris", "Cochrane CENTRAL"),
    ("medline/colrev_eric.nbib", "ERIC"),  # OWN - ERIC
    ("endnote/own_endnote_tagged.txt", "PubMed"),  # %~ PubMed
])
def test_source_named_from_the_file_without_source_option(tmp_path, rel, source):
    db = new_project(tmp_path)
    assert _json(run(db, "import", "--json", FORMATS / rel))["files"][0]["source"] == source


def test_ovid_links_give_the_platform_of_records_naming_their_database(tmp_path):
    text = (FORMATS / "ris/own_ovid_psycinfo_nl.ris").read_text().replace(
        "ID  - 2021-45678-001", "DB  - APA PsycInfo\nID  - 2021-45678-001")
    path = tmp_path / "ovid.ris"
    path.write_text(text)
    db = new_project(tmp_path)
    assert _json(run(db, "import", "--json", path))["files"][0]["source"] == "PsycINFO (Ovid)"


def test_source_option_still_wins(tmp_path):
    db = new_project(tmp_path)
    doc = _json(run(db, "import", "--json", "--source", "Embase", FORMATS / "ris/own_ovid_medline.ris"))
    assert doc["files"][0]["source"] == "Embase"


def test_ovid_medline_accession_is_the_pmid():
    _, recs = parse("ris/own_ovid_medline.ris")
    assert [r.pmid for r in recs] == ["31234567", "32345678"]


def test_psycinfo_header_pmid_tag_and_labelled_issns():
    _, [rec] = parse("ris/colrev_psycinfo.ris")
    # CoLRev's psycinfo_ris_result.bib: doi 10.1011/HEA0004444, pubmedid 33355555, pages 1023--1095
    assert rec.pmid == "33355555" and rec.doi.lower() == "10.1011/hea0004444"
    assert rec.pages == "1023-1095" and rec.volume == "34" and len(rec.authors) == 5
    assert (rec.issn_print, rec.issn_electronic) == ("0222-6666", "1999-7777")
    assert dict(rec.raw)["database"] == "PsycINFO"


# -- ERIC and other MEDLINE-tagged files without PMIDs ---------------------------------------

def test_eric_medline_text_without_pmid():
    fmt, [rec] = parse("medline/colrev_eric.nbib")
    assert fmt == "medline"
    # CoLRev's eric_nbib_result.bib
    assert rec.title == "Paper title" and rec.authors == ("Smith, Tom", "Hunter, Shawn")
    assert rec.doi == "10.1000/123456789" and rec.year == 2000 and rec.journal == "Journal Name"
    assert (rec.volume, rec.issue, rec.pages) == ("10", "1", "1-9") and rec.issn_print == "1234-4567"
    assert rec.keywords == ("Keyword 1", "Keyword 2") and rec.pmid == ""
    assert dict(rec.raw) == {"database": "ERIC", "accession": "EJ1131633"}


def test_eric_forced_medline_format_and_several_records(tmp_path):
    one = (FORMATS / "medline/colrev_eric.nbib").read_text()
    two = one + "\n" + one.replace("Paper title", "Second paper").replace("EJ1131633", "EJ1131634")
    path = tmp_path / "eric.txt"
    path.write_text(two)
    fmt, recs = parse_bytes(path.read_bytes(), str(path), "medline")
    assert [r.title for r in recs] == ["Paper title", "Second paper"]


# -- EndNote tagged format -----------------------------------------------------------------------

def test_endnote_tagged_from_ais_without_leading_percent_zero():
    fmt, recs = parse("endnote/colrev_ais_enl.txt")
    assert fmt == "endnote" and len(recs) == 6  # CoLRev's ais_enl_result.bib: 6 entries
    first = recs[0]
    assert first.title.startswith("How Trust Leads to Commitment on Microsourcing Platforms")
    assert first.authors == ("Guo, Wenbo", "Straub, Detmar W.", "Zhang, Pengzhu", "Cai, Zhao")
    assert first.year == 2021 and (first.volume, first.issue, first.pages) == ("45", "3", "1309-1348")
    assert [r.year for r in recs] == [2021, 2021, 2021, 2019, 2017, 2017]


def test_endnote_tagged_enl_file():
    fmt, recs = parse("endnote/colrev_enl_data.enl")
    assert fmt == "endnote" and len(recs) == 3  # CoLRev's enl_data_expected.bib: 3 entries


def test_endnote_tagged_identifiers():
    fmt, recs = parse("endnote/own_endnote_tagged.txt")
    assert fmt == "endnote"
    assert [r.pmid for r in recs] == ["35123456", "34999999"]  # %M from PubMed; 'PMID:' in %# (Custom 5)
    assert recs[0].doi == "10.1016/j.jtct.2022.01.020" and recs[0].issn_print == "2666-6367"
    assert recs[0].keywords == ("CAR T cells", "outpatient", "cohort")


def test_endnote_is_a_format_name(tmp_path):
    db = new_project(tmp_path)
    doc = _json(run(db, "import", "--json", "--format", "endnote", FORMATS / "endnote/own_endnote_tagged.txt"))
    assert doc["files"][0]["format"] == "endnote" and doc["total"]["added"] == 2


# -- BibTeX: a key with a space; a broken entry kept apart ----------------------------------------

def test_scopus_bibtex_key_with_a_space():
    _, recs = parse("bibtex/colrev_scopus.bib")
    assert len(recs) == 11 and not recs.refused  # bibtexparser 2.1: 11 entries, no failed block
    rec = next(r for r in recs if r.doi == "10.1011/111-111-11-1111-1_11")  # @article{Conference paper2022775,
    assert rec.title == "Article classified as document_type Conference Paper" and rec.year == 2022


def test_broken_bibtex_entry_is_refused_alone(tmp_path):
    _, recs = parse("bibtex/own_broken_entry.bib")
    # bibtexparser 2.1: entries good1, 'Conference paper2022775', good3; one failed block at line 9
    assert [r.title for r in recs] == ["Tisagenlecleucel in children and young adults", "CAR T cells in practice",
                                       "Axicabtagene ciloleucel in large B-cell lymphoma"]
    assert recs.refused == ["entry 2 (line 9): unbalanced braces or quotes: the entry is not closed before the"
                            " next entry starts (line 14)"]
    db = new_project(tmp_path)
    res = run(db, "import", FORMATS / "bibtex/own_broken_entry.bib")
    assert res.exit_code == 0, res.output
    assert "3 records, 3 added" in res.output and "refused 1 broken entry" in res.output
    assert "entry 2 (line 9)" in res.output
    doc = _json(run(db, "import", "--json", FORMATS / "bibtex/own_broken_entry.bib"))
    assert doc["files"][0]["refused"] == recs.refused and doc["files"][0]["already_imported"]
    conn = sqlite3.connect(db)
    details = json.loads(conn.execute("SELECT details FROM searches WHERE kind='import'").fetchone()[0])
    assert details["refused"] == recs.refused  # the log says what was left out
    assert conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 3


def test_bibtex_with_only_broken_entries_is_refused_whole(tmp_path):
    db = new_project(tmp_path)
    before = dump(db)
    bad = tmp_path / "all_broken.bib"
    bad.write_text("@article{a, title={open\n\n@article{b, title = }\n")
    res = run(db, "import", bad)
    assert res.exit_code == 2 and "no readable BibTeX entry: entry 1 (line 1)" in res.output
    assert dump(db) == before


# -- dates and identifiers in odd places ------------------------------------------------------------

def test_transport_database_start_date():
    _, recs = parse("ris/colrev_trid.ris")
    assert [r.year for r in recs] == [2017, 2018, 2019]  # 'Start date: 20170812', '2018/04', '2019/08/23'
    assert recs[1].doi == "10.1444/j.hello.2018.05.005"  # rispy: 'https://doi.org/10.1444/...'


def test_cochrane_central_id_is_an_accession_not_a_doi():
    _, recs = parse("ris/own_cochrane_central.ris")
    assert recs[0].doi == "" and dict(recs[0].raw)["accession"] == "CN-00677540"
    assert recs[1].doi == "10.1016/S2352-3026(20)30380-0"  # the article's DOI, from M3
    assert dict(recs[1].raw)["accession"] == "CN-02212345"


def test_endnote_xml_pmid_in_custom5_and_accession_number():
    _, recs = parse("endnote_xml/own_endnote_identifiers.xml")
    assert [r.pmid for r in recs] == ["33560371", "34987654", ""]  # Embase's accession is not a PMID
    assert recs[2].doi == "" and dict(recs[2].raw)["accession"] == "620123456"
    assert recs[1].doi == "10.3324/haematol.2021.279999"


# -- review records: cuts marked, columns by display width --------------------------------------------

def test_records_table_marks_every_cut_and_sizes_by_display_width():
    from review.cli.sources import format_records
    from review.textwidth import display_width

    rows = [
        {"id": 1, "pmid": None, "doi": "10.1016/j.very.long.doi.2021.01.001234567890.abcdefghij", "year": 2021,
         "title": "嵌合抗原受体T细胞治疗复发难治性B细胞急性淋巴细胞白血病的临床研究进展与展望", "source": "CNKI",
         "group_id": 1},
        {"id": 2, "pmid": "123", "doi": None, "year": 2020, "title": "Short", "source": "APA PsycInfo (Ovid) via a"
         " very long platform name", "group_id": 2},
    ]
    lines = format_records(rows, width=30).splitlines()
    widths = {display_width(ln) for ln in lines[1:3]}
    assert "…" in lines[1] and lines[1].rstrip().endswith("…")  # the CJK title cut and marked
    assert "10.1016/j.very.long.doi.2021.01.0012345…" in lines[1]  # the DOI cut and marked
    assert "APA PsycInfo (Ovid) via…" in lines[2]
    title_col = lines[0].index("title")
    assert all(display_width(ln[:ln.index(t)]) == title_col for ln, t in zip(lines[1:3], ("嵌", "Short")))
    assert max(widths) <= title_col + 30


def test_display_width_helpers():
    from review.textwidth import cut, display_width, fit

    assert display_width("abc") == 3 and display_width("細胞") == 4 and display_width("e\u0301") == 1
    assert cut("細胞治療", 5) == "細胞…" and display_width(cut("細胞治療", 5)) == 5
    assert fit("ab", 4) == "ab  " and fit("ab", 4, ">") == "  ab" and fit("abcdef", 4) == "abc…"
    assert cut("abc", 3) == "abc" and cut("abcd", 0) == ""
