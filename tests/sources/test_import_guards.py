"""Guards found by QA: Latin-1 taken for GB18030, non-CNKI Refer/RefWorks
files filed under CNKI, CSV years that are not years, empty records, XML
error wording, and the title/authors coverage in the text report."""

from __future__ import annotations

import json
import sqlite3

import pytest

from import_helpers import FORMATS, dump, new_project, run
from review.errors import BadInput
from review.sources.readers import parse_bytes
from review.sources.text import decode

GB18030_CNKI = FORMATS / "cnki/own_estudy_gb18030_crlf.txt"

LATIN1_REFER = (
    "%0 Journal Article\n%A Müller, Jürgen\n%T Métabolisme génétique\n%J Revue\n%D 2020\n"
).encode("latin-1")
LATIN1_NOTEEXPRESS = (
    "{Reference Type}: Journal Article\n{Title}: Métabolisme génétique\n{Author}: Müller, Jürgen\n"
    "{Year}: 2020\n"
).encode("latin-1")

LANCET_REFER = (
    "%0 Journal Article\n%A Smith, John\n%A Doe, Jane\n%T CAR-T cell therapy outcomes in adults\n"
    "%J The Lancet\n%D 2021\n%V 397\n%P 100-110\n%R 10.1016/S0140-6736(21)00001-1\n\n"
    "%0 Journal Article\n%A Roe, Rick\n%T Cytokine release syndrome after CAR-T\n%J The Lancet\n%D 2022\n"
)
LANCET_REFWORKS = (
    "RT Journal Article\nA1 Smith, John\nT1 CAR-T cell therapy outcomes in adults\nJF The Lancet\n"
    "YR 2021\nDO 10.1016/S0140-6736(21)00001-1\n"
)


def _write(tmp_path, name: str, data: bytes | str):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _json(res):
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


# 1. Latin-1 is refused, real GB18030 still decodes ------------------------------------------

@pytest.mark.parametrize("name,data,line", [
    ("latin1_refer.txt", LATIN1_REFER, 2),
    ("latin1_noteexpress.net", LATIN1_NOTEEXPRESS, 2),
])
def test_latin1_refer_and_noteexpress_are_refused_not_mojibake(tmp_path, name, data, line):
    data.decode("gb18030")  # the trap: these Latin-1 bytes are also valid GB18030
    db = new_project(tmp_path)
    before = dump(db)
    path = _write(tmp_path, name, data)
    res = run(db, "import", path)
    assert res.exit_code == 2, res.output
    assert f"{path}: line {line}: byte 0x" in res.output
    assert "re-export it as UTF-8" in res.output and "閠" not in res.output
    assert dump(db) == before


def test_gb18030_fixture_still_decodes_as_chinese():
    text = decode(GB18030_CNKI.read_bytes(), "x.txt", allow_gb18030=True)
    assert "中" in text or "的" in text
    fmt, recs = parse_bytes(GB18030_CNKI.read_bytes(), "x.txt")
    assert fmt == "cnki" and recs and all(r.title for r in recs)


def test_gb18030_with_a_few_rare_characters_still_decodes():
    text = "{Reference Type}: Journal Article\n{Title}: 嵌合抗原受体T细胞治疗淋巴瘤的临床研究进展\n" \
           "{Author}: 王𬌗;李丽\n{Year}: 2021\n"
    assert decode(text.encode("gb18030"), "x.net", allow_gb18030=True) == text


def test_latin1_that_is_valid_gb18030_refused_by_decode():
    data = "%0 Journal Article\n%T M\u00e9tabolisme g\u00e9n\u00e9tique des f\u00e9es\n".encode("latin-1")
    data.decode("gb18030")  # valid GB18030, but not Chinese
    with pytest.raises(BadInput, match=r"x\.txt: line 2: byte 0xe9 .*re-export it as UTF-8"):
        decode(data, "x.txt", allow_gb18030=True)


# 2. Source: CNKI/Wanfang only when the content says so --------------------------------------

@pytest.mark.parametrize("name,text", [("lancet.txt", LANCET_REFER), ("lancet_rw.txt", LANCET_REFWORKS)])
def test_refer_and_refworks_without_cnki_marker_are_not_filed_under_cnki(tmp_path, name, text):
    db = new_project(tmp_path)
    doc = _json(run(db, "import", "--json", _write(tmp_path, name, text)))
    f = doc["files"][0]
    assert f["format"] == ("endnote" if name == "lancet.txt" else "cnki")  # the same parser reads it
    assert f["source"] == name.rsplit(".", 1)[0]
    sources = {r[0] for r in sqlite3.connect(db).execute("SELECT source FROM searches")}
    assert sources == {name.rsplit(".", 1)[0]}


@pytest.mark.parametrize("extra,expected", [
    ("%W CNKI\n", "CNKI"),
    ("%U https://kns.cnki.net/kcms/detail/x\n", "CNKI"),
    ("%W 万方数据\n", "Wanfang"),
    ("%W PubMed\n", "PubMed"),
])
def test_refer_with_a_database_marker_gets_that_source(tmp_path, extra, expected):
    db = new_project(tmp_path)
    text = LANCET_REFER.replace("%D 2021\n", "%D 2021\n" + extra)
    assert _json(run(db, "import", "--json", _write(tmp_path, "x.txt", text)))["files"][0]["source"] == expected


def test_refer_with_chinese_text_and_no_marker_is_cnki(tmp_path):
    db = new_project(tmp_path)
    text = "%0 Journal Article\n%A 王伟\n%T 嵌合抗原受体T细胞治疗\n%D 2021\n"
    assert _json(run(db, "import", "--json", _write(tmp_path, "x.txt", text)))["files"][0]["source"] == "CNKI"


def test_refworks_ds_cnki_and_noteexpress_provider_markers(tmp_path):
    db = new_project(tmp_path)
    rw = _write(tmp_path, "a.txt", LANCET_REFWORKS + "DS CNKI\n")
    ne = _write(tmp_path, "b.net", "{Reference Type}: Journal Article\n{Title}: A trial\n"
                                   "{Database Provider}: CNKI\n")
    doc = _json(run(db, "import", "--json", rw, ne))
    assert [f["source"] for f in doc["files"]] == ["CNKI", "CNKI"]


# 3. CSV year that is not a year ------------------------------------------------------------

def test_csv_non_year_is_refused_like_dedup(tmp_path):
    db = new_project(tmp_path)
    before = dump(db)
    path = _write(tmp_path, "badyear.csv", "title,year\nFirst,2020\nSecond,20x1\n")
    res = run(db, "import", path)
    assert res.exit_code == 2, res.output
    assert f"{path}: line 3 (record 2): year '20x1' is not a year" in res.output
    assert dump(db) == before


def test_csv_year_range_keeps_first_and_missing_markers_are_blank(tmp_path):
    path = _write(tmp_path, "ok.csv", "title,year\nA,2019-2020\nB,\nC,NA\n")
    _, recs = parse_bytes(path.read_bytes(), str(path))
    assert [r.year for r in recs] == [2019, None, None]


# 4. Empty records are skipped and reported -------------------------------------------------

def test_empty_records_are_skipped_and_reported(tmp_path):
    db = new_project(tmp_path)
    path = FORMATS / "ris/asreview_baseline_reference_types.ris"
    doc = _json(run(db, "import", "--json", path))
    f = doc["files"][0]
    assert (f["found"], f["added"], f["skipped_empty"]) == (0, 0, 61)
    assert f["skipped_records"][:3] == [1, 2, 3]
    assert sqlite3.connect(db).execute("SELECT count(*) FROM records").fetchone()[0] == 0


def test_empty_records_skipped_among_real_ones_text_report(tmp_path):
    db = new_project(tmp_path)
    text = ("TY  - JOUR\nTI  - Real one\nER  - \n\nTY  - GEN\nN1  - nothing\nER  - \n\n"
            "TY  - JOUR\nAU  - Doe, J\nER  - \n\nTY  - JOUR\nPY  - 2020\nER  - \n")
    res = run(db, "import", _write(tmp_path, "mix.ris", text))
    assert res.exit_code == 0, res.output
    assert "2 records, 2 added" in res.output
    assert "skipped 2 empty records (no title, abstract, authors, DOI or PMID): records 2, 4" in res.output
    assert sqlite3.connect(db).execute("SELECT count(*) FROM records").fetchone()[0] == 2


# 5. XML error wording ----------------------------------------------------------------------

def test_truncated_endnote_xml_message_reads_well(tmp_path):
    data = (FORMATS / "endnote_xml/own_endnote.xml").read_bytes()[:700]
    with pytest.raises(BadInput) as exc:
        parse_bytes(data, "t.xml")
    msg = str(exc.value)
    assert "XML is no element" not in msg and "XML is " not in msg
    assert "the XML ends early or is damaged (" in msg and "at line 1, column" in msg


def test_pubmed_xml_error_gives_its_position_once():
    data = b'<?xml version="1.0"?>\n<PubmedArticleSet>\n<PubmedArticle><MedlineCitation>\n<PMID>1</PMID>'
    with pytest.raises(BadInput) as exc:
        parse_bytes(data, "p.xml", "pubmed-xml")
    msg = str(exc.value)
    assert msg.count("line 4") == 1 and msg.count("column") == 1, msg
    assert "the XML ends early or is damaged (no element found) at line 4, column" in msg


# 6. title and authors in the text coverage line --------------------------------------------

def test_text_report_has_title_and_authors_coverage(tmp_path):
    db = new_project(tmp_path)
    res = run(db, "import", FORMATS / "seed/cnki_car_t_noteexpress.net")
    assert res.exit_code == 0, res.output
    assert "has: title 5/5, authors 5/5, abstract 5/5" in res.output
