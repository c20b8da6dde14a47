"""The one reader of record tables (review.sources.csv_table): the rules that
`review import` and `review dedup FILE...` now share -- delimiter, decoding,
missing values, authors, DOI, PMID, ISSN, extra cells and errors."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from review.errors import BadInput
from review.sources.csv_table import parse_csv, read_records
from review.sources.fieldnorm import split_authors
from review.sources.readers import read_file
from review.sources.table import sniff_delimiter

ROOT = Path(__file__).resolve().parents[2]
LABELLED = ROOT / "tests" / "data" / "dedup"


def write(tmp_path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# -- one reader, two paths ------------------------------------------------------------------

@pytest.mark.parametrize("name", ["special_cases", "stroke", "cytology_screening"])
def test_import_and_standalone_dedup_read_the_same_records(name):
    path = LABELLED / name / "records_pre_merged.csv"
    imported = read_file(path, "csv")
    pairs = read_records(path)
    assert imported == [rec for _, rec in pairs]
    assert [rid for rid, _ in pairs] == [dict(r.raw)["record_id"] for r in imported]


def test_ids_from_the_id_column_else_file_and_index(tmp_path):
    with_ids = write(tmp_path, "a.csv", "record_id,title\nx1,First\nx2,Second\n")
    assert [rid for rid, _ in read_records(with_ids)] == ["x1", "x2"]
    without = write(tmp_path, "b.csv", "title\nFirst\n\nSecond\n")
    assert [rid for rid, _ in read_records(without)] == [f"{without}:1", f"{without}:2"]
    twice = write(tmp_path, "c.csv", "ID,title\nx1,First\nx1,Second\n")
    with pytest.raises(BadInput, match=r"c\.csv: line 3: record id 'x1' appears twice \(also line 2\)"):
        read_records(twice)


# -- delimiter ------------------------------------------------------------------------------

@pytest.mark.parametrize("header, delimiter", [
    ("Title,Authors,Year", ","),
    ("Title\tAuthors\tYear", "\t"),
    ("Title;Authors;Year", ";"),
    ('"Title, in full";"Authors";"Year"', ";"),   # commas inside quotes do not count
    ("Title\tAuthors, all of them\tYear", "\t"),  # more tabs than commas
    ("title", ","),
])
def test_delimiter_is_sniffed_from_the_header(header, delimiter):
    assert sniff_delimiter(header) == delimiter


def test_tsv_name_means_tab_whatever_the_header(tmp_path):
    # the header alone would sniff as comma-separated
    path = write(tmp_path, "t.tsv", "Title\tAuthors\tYear\tNotes, if any, or, none\n"
                                    "A trial, phase 2\tLee K, Wang L\t2020\t\n")
    rec = read_file(path, "csv")[0]
    assert (rec.title, rec.authors, rec.year) == ("A trial, phase 2", ("Lee K", "Wang L"), 2020)


def test_semicolon_table(tmp_path):
    path = write(tmp_path, "s.csv", "Title;Author;Year;DOI\n\"Dose; and response\";Lee, K.;2019;10.1000/a1\n")
    rec = read_file(path)[0]
    assert (rec.title, rec.authors, rec.doi) == ("Dose; and response", ("Lee, K.",), "10.1000/a1")


# -- decoding -------------------------------------------------------------------------------

TABLE = "Title,Author,Year\nMétabolisme et réponse,\"Müller, J.\",2020\n"


@pytest.mark.parametrize("encoded", [
    TABLE.encode("utf-8"),
    codecs.BOM_UTF8 + TABLE.encode("utf-8"),
    codecs.BOM_UTF16_LE + TABLE.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + TABLE.encode("utf-16-be"),
    TABLE.replace("\n", "\r\n").encode("utf-8"),
])
def test_utf8_and_utf16_with_bom_are_read(tmp_path, encoded):
    path = write(tmp_path, "e.csv", encoded)
    for recs in (read_file(path, "csv"), [r for _, r in read_records(path)]):
        assert [(r.title, r.authors, r.year) for r in recs] == [("Métabolisme et réponse", ("Müller, J.",), 2020)]


@pytest.mark.parametrize("encoding", ["latin-1", "gb18030"])
def test_other_encodings_are_refused_naming_the_line(tmp_path, encoding):
    text = "Title,Year\nA first title,2020\nMétabolisme 代谢,2021\n" if encoding == "gb18030" else \
        "Title,Year\nA first title,2020\nMétabolisme,2021\n"
    path = write(tmp_path, "l.csv", text.encode(encoding))
    for read in (lambda: read_file(path, "csv"), lambda: read_records(path)):
        with pytest.raises(BadInput, match=r"l\.csv: line 3: byte 0x[0-9a-f]{2} is not valid UTF-8"):
            read()


# -- missing values, identifiers ------------------------------------------------------------

def test_missing_markers_are_empty_in_every_column(tmp_path):
    path = write(tmp_path, "m.csv", "Title,Author,Year,Journal,Volume,Pages,DOI,PMID,Abstract\n"
                                   "A trial,NA,n/a,null,-,NaN,None,NA,[No abstract available]\n")
    rec = read_file(path)[0]
    assert (rec.authors, rec.year, rec.journal, rec.volume, rec.pages, rec.doi, rec.pmid, rec.abstract) == \
        ((), None, "", "", "", "", "", "")


@pytest.mark.parametrize("cell, doi", [
    ("10.1000/abc", "10.1000/abc"),
    ("https://doi.org/10.1000/ABC", "10.1000/ABC"),
    ("http://dx.doi.org/10.1002/jcc.20289", "10.1002/jcc.20289"),
    ("doi:10.1000/abc.", "10.1000/abc"),
    ("https://doi.org/10.1002%2Fjcc.20289", "10.1002/jcc.20289"),
    ("10.1000/a1; 10.1000/b2", "10.1000/a1"),
    ("not a doi", ""),
])
def test_doi_is_always_bare(tmp_path, cell, doi):
    path = write(tmp_path, "d.csv", f'Title,DOI\nA trial,"{cell}"\n')
    assert read_file(path)[0].doi == doi
    assert read_records(path)[0][1].doi == doi


@pytest.mark.parametrize("cell, pmid", [
    ("31000001", "31000001"), ("31000001.0", "31000001"), ("PMID: 31000001", "31000001"),
    ("https://pubmed.ncbi.nlm.nih.gov/31000001/", "31000001"), ("PMID: 1\nPMCID: PMC2", "1"),
    ("PMC8669585", ""), ("n/a", ""),
])
def test_pmid_cleaning(tmp_path, cell, pmid):
    path = write(tmp_path, "p.csv", f'Title,PMID\nA trial,"{cell}"\n')
    assert read_file(path)[0].pmid == pmid


def test_issn_cells_give_issns_and_isbns_none(tmp_path):
    path = write(tmp_path, "i.csv", 'Title,ISSN\nA,"0957-9672 (Print)\n0957-9672"\nB,00064971\nC,978-3-030-92127-9\n'
                                    'D,"1234-5679, 2345-6781"\n')
    assert [r.issns for r in read_file(path)] == [("0957-9672",), ("0006-4971",), (), ("1234-5679", "2345-6781")]


# -- authors --------------------------------------------------------------------------------

@pytest.mark.parametrize("cell, names", [
    ("Lee K.; Wang L.", ("Lee K.", "Wang L.")),
    ("Lee, K. and Wang, L.", ("Lee, K.", "Wang, L.")),
    ("Lee K, Wang L", ("Lee K", "Wang L")),                      # PubMed CSV
    ("Lim SM, Shiau CWC, Cheng LJ, Lau Y.", ("Lim SM", "Shiau CWC", "Cheng LJ", "Lau Y.")),
    ("Adeli K.Lewis G. F.", ("Adeli K.", "Lewis G. F.")),        # names joined at an initial's stop
    ("颜宏,石德成", ("颜宏", "石德成")),                          # Chinese names packed with commas
    ("王晓明，李静、张伟", ("王晓明", "李静", "张伟")),
    ("王晓明；李静", ("王晓明", "李静")),
    ("Lee, K.", ("Lee, K.",)),
    ("Lee, K., Wang, L.", ("Lee, K.", "Wang, L.")),
    ("Perez Cachon, Ana Lucia", ("Perez Cachon, Ana Lucia",)),
    ("Pellerito, Joseph M., Jr.", ("Pellerito, Joseph M., Jr.",)),
    ("Wright Jr., T C", ("Wright Jr., T C",)),
    ("Xu, Z. Q. and Juan-Wu, null and Zhang, Y. F.", ("Xu, Z. Q.", "Juan-Wu", "Zhang, Y. F.")),
    ("Lee, Kevin; Wang, Lin", ("Lee, Kevin", "Wang, Lin")),     # Zotero
    ("P. Kogge; J. Shalf", ("P. Kogge", "J. Shalf")),           # IEEE Xplore
    ("Smith A\nJones B", ("Smith A", "Jones B")),
    ("[No author name available]", ()),
    ("null", ()),
])
def test_split_authors(cell, names):
    assert split_authors(cell) == names


def test_split_authors_styles():
    assert split_authors("Phillips J.C., Braun R., Wang W.", "comma") == ("Phillips J.C.", "Braun R.", "Wang W.")
    assert split_authors("Lee K, Wang", "comma") == ("Lee K", "Wang")
    assert split_authors("Hao J.; High R.; Siu K.-C.", "comma") == ("Hao J.", "High R.", "Siu K.-C.")
    assert split_authors("John McDonaldMary DeVito", "joined") == ("John McDonald", "Mary DeVito")
    assert split_authors("Prof. Dr. Janusz KacprzykDr. N. R. Shetty", "joined") == ("Janusz Kacprzyk",
                                                                                     "N. R. Shetty")


def test_authors_read_the_same_by_import_and_dedup(tmp_path):
    path = write(tmp_path, "a.csv", 'ID,title,author\nr1,A,"Lee K.; Wang L."\nr2,B,"Lee K, Wang L"\n'
                                    'r3,C,"Lee, K. and Wang, L."\nr4,D,Adeli K.Lewis G. F.\n')
    imported = [r.authors for r in read_file(path, "csv")]
    assert imported == [r.authors for _, r in read_records(path)]
    assert all(len(a) == 2 for a in imported)


# -- extra cells, quoting, errors -----------------------------------------------------------

def test_one_empty_cell_more_is_a_trailing_delimiter(tmp_path):
    path = write(tmp_path, "t.csv", "Title,Year\nA,2020,\nB,2021\n")
    assert [(r.title, r.year) for r in read_file(path)] == [("A", 2020), ("B", 2021)]


@pytest.mark.parametrize("row", ["A,2020,,", "A,2020,x", "A, with comma,2020"])
def test_more_cells_than_the_header_are_refused(tmp_path, row):
    path = write(tmp_path, "t.csv", f"Title,Year\nFirst,2019\n{row}\n")
    with pytest.raises(BadInput, match=r"t\.csv, line 3 \(record 2\): \d cells but the header has 2"):
        parse_csv(path.read_bytes(), str(path))


def test_errors_name_the_line_a_record_starts_on(tmp_path):
    # the first record spans lines 2-4 (a quoted line break); the bad year is on line 5
    path = write(tmp_path, "y.csv", 'Title,Abstract,Year\nA,"two\nline\nabstract",2020\nB,short,20x1\n')
    with pytest.raises(BadInput, match=r"y\.csv: line 5 \(record 2\): year '20x1' is not a year"):
        read_records(path)


def test_text_after_a_closing_quote_is_refused(tmp_path):
    path = write(tmp_path, "q.csv", 'Title,Year\n"A title" and more,2020\n')
    with pytest.raises(BadInput, match=r"q\.csv: line 2: ',' expected after '\"'"):
        read_file(path, "csv")


def test_header_without_record_columns_and_empty_tables(tmp_path):
    with pytest.raises(BadInput, match="line 1: no bibliographic columns"):
        read_file(write(tmp_path, "x.csv", "foo,bar\n1,2\n"), "csv")
    with pytest.raises(BadInput, match="no records"):
        read_file(write(tmp_path, "h.csv", "title,year\n\n"), "csv")
    with pytest.raises(BadInput, match="empty file"):
        read_records(write(tmp_path, "e.csv", "\n \n"))
