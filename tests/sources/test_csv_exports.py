"""CSV exports of databases and reference managers (issue 16): Springer, IEEE
Xplore, Scopus, PubMed, Embase and Zotero files in their real shapes are
recognised from their headers, read field by field, and checked against
pandas (an independent reader) for record counts and cell values. The import
summary says which columns were read."""

from __future__ import annotations

import json
import sqlite3
import warnings

import pandas as pd
import pytest

from import_helpers import FORMATS, dump, new_project, run
from review.errors import BadInput
from review.sources.csv_table import read_header
from review.sources.detect import detect_format
from review.sources.readers import read_bytes, read_file

CSV = FORMATS / "csv"

# file -> (exporter recognised, records, the title column, the DOI column)
FILES = {
    "litstudy_springer.csv": ("Springer", 18, "Item Title", "Item DOI"),
    "litstudy_ieee.csv": ("IEEE Xplore", 10, "Document Title", "DOI"),
    "litstudy_scopus_v2_first3.csv": ("Scopus", 3, "Title", "DOI"),
    "own_scopus_trailing_comma.csv": ("Scopus", 3, "Title", "DOI"),
    "colrev_pubmed_chatbot.csv": ("PubMed", 6, "Title", "DOI"),
    "asreview_embase.csv": ("Embase", 6, "Title", None),
    "own_embase_columns.csv": ("Embase", 2, "Title", "DOI"),
    "own_zotero.csv": ("Zotero", 3, "Title", "DOI"),
}


def pandas_table(path):
    # index_col=False: a row with one cell more than the header (Scopus's
    # trailing comma) must not turn the first column into an index
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.ParserWarning)  # it warns about that extra cell
        return pd.read_csv(path, dtype=str, keep_default_na=False, index_col=False, encoding="utf-8-sig")


@pytest.mark.parametrize("name", sorted(FILES))
def test_export_detected_recognised_and_equal_to_pandas(name):
    exporter, count, title_col, doi_col = FILES[name]
    path = CSV / name
    data = read_bytes(path)
    assert detect_format(data, str(path)) == "csv"
    assert read_header(data, str(path)).exporter.name == exporter
    recs = read_file(path)
    df = pandas_table(path)
    assert len(recs) == len(df) == count
    assert [r.title for r in recs] == [t.strip() for t in df[title_col]]
    if doi_col:
        # every DOI pandas sees is stored as 10.xxxx/... (prefixes dropped)
        for cell, rec in zip(df[doi_col], recs):
            assert rec.doi == (cell.strip().split("doi.org/")[-1] if cell.strip() else "")
    assert all(r.year and 1990 < r.year < 2030 for r in recs if r.title and "细胞" not in r.title)


def test_springer_names_run_together_are_split():
    recs = read_file(CSV / "litstudy_springer.csv")
    assert recs[0].authors == ("Araz R. Aliev", "Nigar T. Ismayilova")
    # 'Prof.'/'Dr.' titles are not part of the name
    assert recs[1].authors[:3] == ("Rafik A. Aliev", "Janusz Kacprzyk", "Witold Pedrycz")
    assert recs[2].authors == ("Barnabás Bede", "Martine Ceberio", "Martine De Cock", "Vladik Kreinovich")
    assert recs[0].doi == "10.1007/978-3-030-92127-9_33" and recs[0].year == 2022
    assert recs[0].journal.startswith("11th International Conference") and recs[0].publication_types == ("Chapter",)


def test_ieee_fields():
    rec = read_file(CSV / "litstudy_ieee.csv")[0]
    assert rec.authors == ("P. Kogge", "J. Shalf")
    assert (rec.journal, rec.year, rec.volume, rec.issue, rec.pages) == (
        "Computing in Science & Engineering", 2013, "15", "6", "16-26")
    assert rec.doi == "10.1109/MCSE.2013.95" and rec.issn_print == "1558-366X"
    assert rec.abstract.startswith("We now have 20 years of data")
    assert rec.publication_types == ("IEEE Magazines",)


def test_scopus_2023_export():
    recs = read_file(CSV / "litstudy_scopus_v2_first3.csv")
    r = recs[0]
    assert r.authors == ("Hao J.", "High R.", "Siu K.-C.")
    assert (r.journal, r.journal_abbrev, r.volume, r.issue, r.pages) == ("Ergonomics", "Ergonomics", "66", "5",
                                                                          "704-715")
    assert r.issn_print == "0014-0139" and r.pmid == "35965444" and r.language == "English"
    assert recs[2].pages == "105767"  # article number when there are no pages
    assert dict(r.raw)["database"] == "Scopus"


def test_scopus_trailing_comma_and_placeholders():
    recs = read_file(CSV / "own_scopus_trailing_comma.csv")
    assert recs[0].authors == ("Zhang W.", "Li N.", "Okafor C.E.")
    assert (recs[0].issn_print, recs[0].pmid, recs[0].pages) == ("1234-5679", "39000001", "412-421")
    # '[No author name available]' and '[No abstract available]' are no value
    assert recs[1].authors == () and recs[1].abstract == ""
    assert recs[1].publication_types == ("Erratum",) and recs[2].publication_types == ("Conference Paper",)


def test_scopus_row_with_a_filled_extra_cell_is_refused():
    # litstudy's scopus.csv: the third record has 46 cells under a 45-column
    # header (its last cell is not empty, so this is no trailing comma:
    # every cell after the shift would land in the wrong column)
    path = CSV / "litstudy_scopus_first3.csv"
    with pytest.raises(pd.errors.ParserError, match="Expected 45 fields in line 4, saw 46"):
        pd.read_csv(path, dtype=str, encoding="utf-8-sig")  # pandas refuses it too
    with pytest.raises(BadInput, match=r"litstudy_scopus_first3\.csv, line 4 \(record 3\): 46 cells but the "
                                       r"header has 45"):
        read_file(path)


def test_pubmed_csv_citation_gives_volume_issue_pages():
    recs = read_file(CSV / "colrev_pubmed_chatbot.csv")
    r = recs[0]
    assert r.pmid == "35227408" and r.doi == "10.1016/j.beth.2021.09.007"
    assert r.authors == ("Lim SM", "Shiau CWC", "Cheng LJ", "Lau Y.")
    assert (r.journal, r.year, r.volume, r.issue, r.pages) == ("Behav Ther", 2022, "53", "2", "334-347")
    assert (recs[1].volume, recs[1].issue, recs[1].pages) == ("7", "4", "e27850")


def test_embase_source_cell_gives_journal_year_and_pages():
    recs = read_file(CSV / "asreview_embase.csv")
    r = recs[0]
    assert r.authors == ("Liu R.", "Adler D.G.")
    assert (r.journal, r.year, r.volume, r.issue, r.pages) == ("Endoscopic Ultrasound", 2014, "3", "3", "152-160")
    assert (recs[2].volume, recs[2].issue, recs[2].pages) == ("54", "", "83-86")
    full = read_file(CSV / "own_embase_columns.csv")
    assert (full[0].pmid, full[0].doi, full[0].issn_print) == ("39000001", "10.5555/jhh.2021.0412", "1234-5679")
    assert full[1].publication_types == ("Conference Abstract",) and full[1].journal == "Blood"


def test_embase_fields_by_row_export_is_refused_with_the_way_out(tmp_path):
    path = tmp_path / "embase_rows.csv"
    path.write_text('"TITLE","Duplication cysts: diagnosis"\n"AUTHOR NAMES","Liu R., Adler D.G."\n'
                    '"SOURCE","Endoscopic Ultrasound (2014) 3:3 (152-160)"\n', encoding="utf-8")
    with pytest.raises(BadInput, match="Fields by Column"):
        read_file(path)


def test_zotero_fields():
    recs = read_file(CSV / "own_zotero.csv")
    r = recs[0]
    assert r.authors == ("Zhang, Wei", "Li, Na", "Okafor, Chidi E.")
    assert r.pmid == "39000001"  # from Extra: 'PMID: 39000001'
    assert r.issns == ("1234-5679", "2345-6781") and r.journal_abbrev == "J Hypoth Haematol"
    assert r.abstract.startswith("Background:") and "\n" in r.abstract
    assert r.keywords == ("CAR-T", "lymphoma", "Adult", "Humans")
    assert recs[1].doi == "10.5555/hctm.2020.77"  # https://doi.org/ dropped
    assert recs[2].authors == ("王晓明", "李静") and recs[2].year is None
    assert recs[2].issns == ()  # an ISBN is not an ISSN


def test_import_reports_exporter_and_columns(tmp_path):
    db = new_project(tmp_path)
    res = run(db, "import", CSV / "litstudy_ieee.csv")
    assert res.exit_code == 0, res.output
    assert "litstudy_ieee.csv (csv, source IEEE Xplore): 10 records, 10 added" in res.output
    assert ("  IEEE Xplore CSV export (known from its header); columns read: Document Title -> title, "
            "Authors -> authors, Publication Title -> journal, Publication Year -> year") in res.output
    assert "Author Keywords + IEEE Terms -> keywords" in res.output
    assert "other columns not read" in res.output


def test_import_json_keeps_its_keys_and_adds_columns(tmp_path):
    db = new_project(tmp_path)
    res = run(db, "import", "--json", CSV / "litstudy_scopus_v2_first3.csv", FORMATS / "ris" / "rispy_example_full.ris")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    csv_file, ris_file = doc["files"]
    for key in ("file", "format", "source", "found", "added", "already_present", "already_imported",
                "coverage", "search_id", "skipped_empty", "skipped_records"):
        assert key in csv_file and key in ris_file
    assert csv_file["source"] == "Scopus" and csv_file["exporter"] == "Scopus"
    assert csv_file["columns"]["title"] == "Title" and csv_file["columns"]["pmid"] == "PubMed ID"
    assert "Author full names" in csv_file["columns_ignored"]
    assert (ris_file["exporter"], ris_file["columns"], ris_file["columns_ignored"]) == ("", {}, [])
    stored = sqlite3.connect(db).execute("SELECT count(*) FROM records WHERE pmid = '35965444'").fetchone()[0]
    assert stored == 1


def test_plain_csv_reports_columns_without_exporter(tmp_path):
    db = new_project(tmp_path)
    res = run(db, "import", CSV / "own_records.csv")
    assert res.exit_code == 0, res.output
    assert "  columns read: ID -> record id, Title -> title, Author -> authors" in res.output
    assert "CSV export (known" not in res.output and "not read" not in res.output


def test_refused_export_stores_nothing(tmp_path):
    db = new_project(tmp_path)
    before = dump(db)
    res = run(db, "import", CSV / "own_zotero.csv", CSV / "litstudy_scopus_first3.csv")
    assert res.exit_code == 2
    assert "line 4 (record 3)" in res.output
    assert dump(db) == before
