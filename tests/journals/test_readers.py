"""Metric files read in their real shapes (JCR, SCImago, plain CSV), with their
quirks, and refused with the file and line when they are not what they claim."""

from __future__ import annotations

import pytest

from review.errors import BadInput
from review.journals.numbers import parse_number
from review.journals.readers import read_metric_file

from .conftest import DATA

JCR_HEADER = ("Journal name,JCR Abbreviation,Publisher,ISSN,eISSN,Category,Edition,Total Citations,"
              "2023 JIF,JIF Quartile,2023 JCI,% of OA Gold")
BANNER = ('"Journal Data Filtered By:  Selected JCR Year: 2023 Selected Editions: SCIE,SSCI '
          'Selected Category Scheme: WoS"')
FOOTER = ["", "Copyright (c) 2024 Clarivate",
          "By exporting the selected data, you agree to the data usage policies set forth in the Terms of Use."]


def jcr_row(name="JOURNAL OF TESTING", issn="1234-5679", eissn="2345-6789", category="ONCOLOGY",
            jif="13.7", cites='"1,234"'):
    return (f'"{name}","J TEST","PUBLISHER","{issn}","{eissn}","{category}","SCIE",{cites},'
            f'"{jif}","Q1","2.5","100.00"%,')


def write(tmp_path, lines, name="JCR_JournalResults.csv") -> str:
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(p)


def jcr_file(tmp_path, rows, *, banner=BANNER, header=JCR_HEADER, footer=FOOTER):
    return write(tmp_path, ([banner, ""] if banner else []) + [header, *rows] + footer)


# -- JCR -----------------------------------------------------------------------------


def test_jcr_2023_export_with_all_its_quirks():
    pm = read_metric_file(DATA / "JCR_JournalResults_2023.csv")
    assert pm.format == "jcr" and pm.kind == "jif" and pm.years == [2023]
    assert pm.rows == 18 and len(pm.entries) == 15  # three journals listed under two categories
    assert pm.notes == ["3 rows repeat a journal already listed (one row per category): merged"]
    by = {e.title: e for e in pm.entries}
    jho = by["JOURNAL OF HEMATOLOGY & ONCOLOGY"]
    assert jho.abbrev == "J HEMATOL ONCOL" and jho.issns == [("1756-8722", "print")]
    assert [(m.value, m.year, m.line) for m in jho.metrics] == [(29.5, 2023, 4)]
    assert by["CANCER MEDICINE"].issns == [("2045-7634", "electronic")]  # ISSN N/A
    ca = by["CA-A CANCER JOURNAL FOR CLINICIANS"].metrics[0]
    assert (ca.value, ca.raw) == (503.1, "503.1")
    zh = by["ZHONGHUA XUEYEXUE ZAZHI"].metrics[0]
    assert zh.value is None and zh.raw == "N/A"  # listed without a value
    prz = by["PRZEGLAD GASTROENTEROLOGICZNY"].metrics[0]
    assert (prz.value, prz.qualifier, prz.raw) == (0.1, "<", "<0.1")
    assert not any(e.title.lower().startswith(("copyright", "by exporting")) for e in pm.entries)


def test_jcr_classic_export_takes_the_year_from_its_banner():
    pm = read_metric_file(DATA / "JCR_classic_2018_oncology.csv")
    assert pm.format == "jcr" and pm.years == [2018]
    by = {e.title: e for e in pm.entries}
    assert by["LANCET ONCOLOGY"].metrics[0].value == 35.386
    assert by["LANCET ONCOLOGY"].issns == []
    assert by["JOURNAL OF CANCER RESEARCH AND THERAPEUTICS"].metrics[0].value is None  # Not Available


def test_jcr_year_in_the_column_name_is_followed(tmp_path):
    header = JCR_HEADER.replace("2023 JIF", "2031 JIF")
    pm = read_metric_file(jcr_file(tmp_path, [jcr_row()], banner=None, header=header))
    assert pm.years == [2031] and pm.entries[0].metrics[0].value == 13.7


def test_jcr_without_a_year_anywhere_asks_for_year(tmp_path):
    path = write(tmp_path, ["Journal name,ISSN,eISSN,Journal Impact Factor",
                            '"JOURNAL OF TESTING","1234-5679","N/A","3.2"'])
    with pytest.raises(BadInput, match=r"JCR_JournalResults.csv:1: .*pass --year"):
        read_metric_file(path)
    assert read_metric_file(path, year=2021).years == [2021]


def test_jcr_year_given_that_contradicts_the_file_is_refused(tmp_path):
    with pytest.raises(BadInput, match=r":3: --year 2022 but the file says 2023"):
        read_metric_file(jcr_file(tmp_path, [jcr_row()]), year=2022)


def test_jcr_thousands_separator_in_the_jif(tmp_path):
    pm = read_metric_file(jcr_file(tmp_path, [jcr_row(jif="1,234.5")]))
    assert pm.entries[0].metrics[0].value == 1234.5


@pytest.mark.parametrize("cell,value,qualifier", [
    ("12.3", 12.3, ""), ("1,234.5", 1234.5, ""), ("<0.1", 0.1, "<"), ("N/A", None, ""), ("", None, ""),
    ("0", 0.0, ""), ("Not Available", None, ""),
])
def test_jcr_numbers(cell, value, qualifier):
    n = parse_number(cell, "jcr")
    assert (n.value, n.qualifier) == (value, qualifier)


@pytest.mark.parametrize("cell,style", [
    ("12,3", "jcr"), ("1.234,5", "jcr"), ("abc", "jcr"), ("12.3.4", "plain"), ("12.3", "scimago"),
    ("1,234", "plain"), ("-3", "plain"), ("1e3", "plain"),
])
def test_numbers_that_are_refused(cell, style):
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(cell, style)


def test_jcr_text_in_the_jif_column_names_line_and_column(tmp_path):
    path = jcr_file(tmp_path, [jcr_row(), jcr_row(name="OTHER", issn="2049-3630", jif="pending")])
    with pytest.raises(BadInput, match=r"JCR_JournalResults.csv:5: column '2023 JIF': 'pending' is not a number"):
        read_metric_file(path)


def test_jcr_footer_in_the_middle_is_refused(tmp_path):
    path = jcr_file(tmp_path, [jcr_row()], footer=FOOTER + [jcr_row(name="AFTER", issn="2049-3630")])
    with pytest.raises(BadInput, match=r":8: data after the copyright footer \(line 6\)"):
        read_metric_file(path)


def test_jcr_second_header_is_refused(tmp_path):
    path = jcr_file(tmp_path, [jcr_row(), JCR_HEADER, jcr_row(name="OTHER", issn="2049-3630")])
    with pytest.raises(BadInput, match=r":5: a second header row"):
        read_metric_file(path)


def test_jcr_category_rows_that_disagree_are_refused(tmp_path):
    path = jcr_file(tmp_path, [jcr_row(), jcr_row(category="HEMATOLOGY", jif="13.9")])
    with pytest.raises(BadInput, match=r":5: .* line 4 gives '13.7' for 2023: one journal has one value"):
        read_metric_file(path)


def test_jcr_row_with_more_cells_than_the_header_is_refused(tmp_path):
    path = jcr_file(tmp_path, [jcr_row(), jcr_row(name="X", issn="2049-3630") + '"stray"'])
    with pytest.raises(BadInput, match=r":5: more cells than the header"):
        read_metric_file(path)
    path = jcr_file(tmp_path, [jcr_row() + '"a","b","c"'])
    with pytest.raises(BadInput, match=r":4: more cells than the header's 12 columns \('a' past"):
        read_metric_file(path)


def test_jcr_bad_issn_names_the_line(tmp_path):
    with pytest.raises(BadInput, match=r":4: column 'ISSN': '1234-567' is not an ISSN"):
        read_metric_file(jcr_file(tmp_path, [jcr_row(issn="1234-567")]))


def test_jcr_without_a_jif_column_is_wrong_columns(tmp_path):
    path = write(tmp_path, ["Journal name,ISSN,eISSN,Total Citations", '"A","1234-5679","N/A","12"'])
    with pytest.raises(BadInput, match=r":1: no JIF column"):
        read_metric_file(path, "jcr")


def test_jcr_header_only_has_no_journals(tmp_path):
    with pytest.raises(BadInput, match=r":4: no journals under the header"):
        read_metric_file(jcr_file(tmp_path, []))


# -- SCImago -------------------------------------------------------------------------


def test_scimago_download_with_its_quirks():
    pm = read_metric_file(DATA / "scimagojr 2023.csv")
    assert pm.format == "scimago" and pm.kind == "sjr_cites_per_doc_2y" and pm.years == [2023]
    by = {e.title: e for e in pm.entries}
    ca = by["Ca-A Cancer Journal for Clinicians"]
    assert ca.issns == [("1542-4863", "other"), ("0007-9235", "other")]  # two ISSNs, no hyphens
    assert (ca.metrics[0].value, ca.metrics[0].raw, ca.metrics[0].line) == (126.34, "126,34", 2)
    assert by["Frontiers in Physiology"].issns == [("1664-042X", "other")]
    assert by["Oncology Reports (Discontinued)"].issns == []  # Issn '-'
    assert by["Oncology Reports (Discontinued)"].metrics[0].value == 0.0


def _scimago(tmp_path, rows, name="scimagojr 2023.csv",
             header="Rank;Sourceid;Title;Type;Issn;SJR;SJR Best Quartile;H index;Total Docs. (2023);"
                    "Cites / Doc. (2years);Country"):
    return write(tmp_path, [header, *rows], name)


def test_scimago_resaved_with_commas_is_refused(tmp_path):
    path = _scimago(tmp_path, ['1,28773,"Ca-A Cancer Journal for Clinicians",journal,"15424863, 00079235"'],
                    header="Rank,Sourceid,Title,Type,Issn,SJR,Cites / Doc. (2years)")
    with pytest.raises(BadInput, match=r"scimagojr 2023.csv:1: a SCImago file with commas"):
        read_metric_file(path)


def test_scimago_with_decimal_points_is_refused_at_its_line(tmp_path):
    path = _scimago(tmp_path, ['1;1;"A";journal;"15424863";1,2;Q1;5;40;3,5;US',
                               '2;2;"B";journal;"00280836";1,2;Q1;5;40;126.34;US'])
    with pytest.raises(BadInput, match=r"scimagojr 2023.csv:3: column 'Cites / Doc. \(2years\)': "
                                       r"'126.34' is not a number \(expected e.g. 12,34"):
        read_metric_file(path)


def test_scimago_year_from_file_name_or_option(tmp_path):
    header = "Rank;Sourceid;Title;Type;Issn;Cites / Doc. (2years)"
    row = '1;1;"A";journal;"15424863";3,5'
    assert read_metric_file(_scimago(tmp_path, [row], "scimagojr 2021.csv", header)).years == [2021]
    path = _scimago(tmp_path, [row], "sjr.csv", header)
    with pytest.raises(BadInput, match="pass --year"):
        read_metric_file(path, "scimago")
    assert read_metric_file(path, "scimago", year=2020).years == [2020]


def test_scimago_without_its_figure_is_wrong_columns(tmp_path):
    path = _scimago(tmp_path, ['1;1;"A";journal;"15424863"'], header="Rank;Sourceid;Title;Type;Issn")
    with pytest.raises(BadInput, match=r":1: not a SCImago download: no column 'Cites / Doc. \(2years\)'"):
        read_metric_file(path)


def test_scimago_issn_mangled_by_a_spreadsheet(tmp_path):
    path = _scimago(tmp_path, ['1;1;"A";journal;"1542486";1,2;Q1;5;40;3,5;US'])
    with pytest.raises(BadInput, match=r":2: column 'Issn': '1542486' is not an ISSN"):
        read_metric_file(path)


# -- plain CSV -----------------------------------------------------------------------


def test_plain_csv():
    pm = read_metric_file(DATA / "own_metrics.csv")
    assert pm.format == "csv" and pm.kind == "user" and pm.years == [2023]
    assert [(e.title, [i for i, _ in e.issns], e.metrics[0].value) for e in pm.entries] == [
        ("中华血液学杂志", ["0253-2727"], 1.6), ("Oncology", ["0030-2414", "1423-0232"], 3.4),
        ("Oncology", ["0890-9091"], 2.8), ("Journal of Magnetic Resonance", ["1090-7807", "1096-0856"], 2.2),
        ("Social Justice", [], None)]


def test_plain_csv_kind_and_year_options(tmp_path):
    path = write(tmp_path, ["Journal, ISSN, Impact Factor", "Blood,0006-4971,21.0"], "mine.csv")
    with pytest.raises(BadInput, match="pass --year"):
        read_metric_file(path)
    pm = read_metric_file(path, year=2023, kind="jif")
    assert pm.kind == "jif" and pm.entries[0].metrics[0].kind == "jif"
    with pytest.raises(BadInput, match="--kind is for plain CSV files"):
        read_metric_file(DATA / "JCR_JournalResults_2023.csv", kind="user")


def test_plain_csv_semicolons_take_decimal_commas(tmp_path):
    path = write(tmp_path, ["journal;issn;eissn;metric;year", "Blood;0006-4971;;21,5;2023"], "mine.csv")
    assert read_metric_file(path).entries[0].metrics[0].value == 21.5


@pytest.mark.parametrize("row,message", [
    (",,,3.1,2023", r":3: a row with neither a journal name nor an ISSN"),
    ("Blood,0006-4971,,high,2023", r":3: column 'metric': 'high' is not a number"),
    ("Blood,0006-4971,,3.1,23", r":3: column 'year': '23' is not a year"),
    ("Blood,0006-4971,,3.1,", r":3: no year on this row"),
    ("Blood,ISSN 0006,,3.1,2023", r":3: column 'issn': 'ISSN 0006' is not an ISSN"),
])
def test_plain_csv_bad_rows(tmp_path, row, message):
    path = write(tmp_path, ["journal,issn,eissn,metric,year", "Cancer,0008-543X,,6.1,2023", row], "m.csv")
    with pytest.raises(BadInput, match=message):
        read_metric_file(path)


# -- files that are not metric files -------------------------------------------------


@pytest.mark.parametrize("content,message", [
    (b"", r"x.csv:1: the file is empty"),
    (b"\n  \n\r\n", r"x.csv:1: the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"x.csv:3: binary data"),
    (b"PK\x03\x04\x14\x00\x06\x00", r"x.csv:1: this is a spreadsheet \(XLSX\)"),
    (b"journal,issn,eissn,metric,year\nRevista Espa\xf1ola,,,1.2,2023\n", r"x.csv:2: not UTF-8 text"),
    (b"journal,issn\x01,metric\n", r"x.csv:1: control character"),
    (b"a,b,c\n1,2,3\n", r"x.csv:1: not a JCR export, a SCImago download or a plain CSV"),
])
def test_not_a_metric_file(tmp_path, content, message):
    p = tmp_path / "x.csv"
    p.write_bytes(content)
    with pytest.raises(BadInput, match=message):
        read_metric_file(p)


def test_utf16_with_bom_is_read(tmp_path):
    p = tmp_path / "u16.csv"
    p.write_bytes("journal,issn,eissn,metric,year\nRevista Española,,,1.2,2023\n".encode("utf-16"))
    assert read_metric_file(p).entries[0].title == "Revista Española"
