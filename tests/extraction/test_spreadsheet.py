"""`review extract import` and `export`: tables link to included reports by
record_id, doi or pmid; a bad value or a row that links to nothing exits 2
naming the file, line, study and field, and stores nothing (the database
dump is identical); exports neutralise formulas."""

from __future__ import annotations

import copy
import csv
import io

import pytest

from review.db import open_db
from tests.extraction.seed import COLUMNS, cli, cli_json, seed_project, seed_rows, write_table
from tests.sources.import_helpers import dump

N = 6   # the first six seed studies: Mailankody, Raje (Rajee), Mei, Wang Z, Blumenschein, Shi X


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sheet")
    db = seed_project(tmp, n=N)
    cli(db, "studies")                       # the studies exist before the failing imports
    return db


@pytest.fixture
def db(base, tmp_path):
    copy_ = tmp_path / "p.db"
    src = open_db(base)
    dst = open_db(copy_, create=True)
    src.backup(dst)
    src.close()
    dst.close()
    return copy_


def rows():
    return copy.deepcopy(seed_rows()[:N])


def refused(db, path, *words, reviewer="QZ"):
    before = dump(db)
    r = cli(db, "extract", "import", path, "--reviewer", reviewer, ok=False)
    assert r.exit_code == 2, r.output
    for w in words:
        assert w in r.stderr, r.stderr
    assert dump(db) == before
    return r.stderr


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx"])
@pytest.mark.parametrize("column,value,message", [
    ("dr", "120", "field 'dr' (Dead rate): a percent must be between 0 and 100, got '120'"),
    ("n", "12.5", "field 'n' (Cases): expected a whole number, got '12.5'"),
    ("cancer", "lymphom", "field 'cancer' (Cancer group): expected one of myeloma, leukemia, lymphoma, solid; "
                          "got 'lymphom' (did you mean 'lymphoma'?)"),
    ("age_median", "80", "field 'age' (Age, median (range)): the median (80) is outside its range (49-72)"),
    ("orr", "≥ 80", "field 'orr' (Objective response rate): expected a percent"),
])
def test_a_bad_value_names_file_line_study_and_field_and_stores_nothing(db, tmp_path, suffix, column, value,
                                                                       message):
    data = rows()
    data[2][column] = value                 # Mei H 2021, the table's line 4 (row 4 of a sheet)
    path = write_table(tmp_path / f"qz{suffix}", data)
    err = refused(db, path, f"{path}:4: study 'Mei H 2021', {message}")
    assert err.count("\n") == 1             # one message, one line


def test_a_row_that_links_to_nothing(db, tmp_path):
    data = rows()
    data[4]["doi"] = "10.9999/not-in-the-project"
    path = write_table(tmp_path / "qz.csv", data)
    refused(db, path, f"{path}:6: no record in the project has doi '10.9999/not-in-the-project'")
    data = rows()
    path = write_table(tmp_path / "ids.csv", [{**data[0], "record_id": "999"}], ["record_id", *COLUMNS[2:]])
    refused(db, path, f"{path}:2: no record 999 in the project")


def test_a_record_not_included_is_refused(tmp_path):
    db = seed_project(tmp_path, n=3)
    cli(db, "decide", 3, "exclude", "--reviewer", "QZ", "--stage", "full_text", "--reason", "duplicate study")
    path = write_table(tmp_path / "qz.csv", rows()[:3])
    refused(db, path, f"{path}:4: doi '10.1186/s13045-021-01170-7' is a record that is not an included report")


def test_required_fields_and_repeated_rows(db, tmp_path):
    data = rows()
    data[1]["cancer"] = ""                  # blank: not entered; cancer is required to submit
    path = write_table(tmp_path / "qz.csv", data)
    refused(db, path, f"{path}:3: study 'Raje N 2019': cannot submit without the required field(s) cancer")
    cli(db, "extract", "import", path, "--reviewer", "QZ", "--no-submit")   # kept open: stored
    data = rows()
    path = write_table(tmp_path / "twice.csv", data + [data[0]])
    refused(db, path, f"{path}:8: study 'Mailankody S 2022' is on line 2 already")


def test_columns_checked(db, tmp_path):
    path = write_table(tmp_path / "x.csv", rows(), ["n", "cancer"])
    refused(db, path, f"{path}:1: no column to link rows to the included reports: record_id, doi or pmid")
    path = write_table(tmp_path / "w.csv", rows(), ["study", "n"])
    refused(db, path, f"{path}:3: no study labelled 'Raje N 2019' (did you mean 'Rajee N 2019'?)")
    path = write_table(tmp_path / "y.csv", rows(), ["doi", "ref"])
    refused(db, path, "no column is a field of the protocol's form")
    path = write_table(tmp_path / "z.csv", rows(), ["doi", "n", "age_median"])
    refused(db, path, "column 'age_median' needs a column age_range beside it")


def test_labels_from_the_study_column(db, tmp_path):
    data = rows()
    data[0]["study"] = "Mei H 2021"         # another study's label for Mailankody's report
    path = write_table(tmp_path / "qz.csv", data)
    refused(db, path, f"{path}:2: the row's report belongs to study 'Mailankody S 2022', but it says study "
                      "'Mei H 2021', which is another study")
    cli(db, "studies", "rename", "Mailankody S 2022", "Mailankody 2022")
    data = rows()
    path = write_table(tmp_path / "qz2.csv", data)
    refused(db, path, f"{path}:2: the row's report belongs to study 'Mailankody 2022', but it says study "
                      "'Mailankody S 2022' (use that label, or change it with 'review studies rename')")


def test_link_by_record_id_or_pmid_and_by_study_label(db, tmp_path):
    recs = {r["doi"]: r["id"] for r in cli_json(db, "records")}
    data = rows()
    table = [{"record_id": recs[data[0]["doi"]], "n": "17", "cancer": "myeloma", "country": "USA"},
             {"study": "Rajee N 2019", "n": "33", "cancer": "myeloma", "country": "USA"}]
    path = write_table(tmp_path / "by_id.csv", table, ["record_id", "study", "n", "cancer", "country"])
    res = cli_json(db, "extract", "import", path, "--reviewer", "QZ", "--no-submit")
    assert res["studies"] == ["Mailankody S 2022", "Rajee N 2019"] and res["values"] == 6


def test_reimport_before_the_other_submits_then_closed(db, tmp_path):
    data = rows()
    path = write_table(tmp_path / "qz.csv", data)
    cli(db, "extract", "import", path, "--reviewer", "QZ")
    data[0]["orr"] = "70"
    path2 = write_table(tmp_path / "qz2.csv", data)
    res = cli_json(db, "extract", "import", path2, "--reviewer", "QZ")
    assert res["values"] == 1                        # only the corrected value is new
    cli(db, "extract", "import", write_table(tmp_path / "xjz.csv", rows()), "--reviewer", "XJZ")
    refused(db, path2, f"{path2}:2: study 'Mailankody S 2022' has been submitted by QZ and XJZ")
    diffs = cli_json(db, "reconcile", "--adjudicator", "JM")
    assert [(d["study"], d["field"], d["values"]) for d in diffs] == [("Mailankody S 2022", "orr",
                                                                      {"QZ": 70, "XJZ": 71})]


def test_only_reviewers_import(db, tmp_path):
    path = write_table(tmp_path / "qz.csv", rows())
    refused(db, path, "JM is an adjudicator; the protocol's reviewers are: QZ, XJZ", reviewer="JM")


def test_export_is_formula_safe_in_csv_tsv_and_xlsx(db, tmp_path):
    from openpyxl import load_workbook

    data = rows()[:2]
    data[0]["vector"] = "=HYPERLINK(\"http://evil.example\",\"click\")"
    data[1]["vector"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    data[0]["tumor"] = "-2+3+cmd|' /C calc'!A0"
    data[1]["tumor"] = "+cmd"
    for who in ("QZ", "XJZ"):
        cli(db, "extract", "import", write_table(tmp_path / f"{who}.csv", data), "--reviewer", who)
    for name in ("settled.csv", "settled.tsv"):
        cli(db, "extract", "export", "--out", tmp_path / name)
        with (tmp_path / name).open(encoding="utf-8", newline="") as fh:
            got = {r["study"]: r for r in csv.DictReader(fh, delimiter="\t" if name.endswith("tsv") else ",")}
        assert got["Mailankody S 2022"]["vector"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
        assert got["Raje N 2019"]["vector"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
        assert got["Mailankody S 2022"]["tumor"] == "'-2+3+cmd|' /C calc'!A0"
        assert got["Raje N 2019"]["tumor"] == "'+cmd" and got["Mailankody S 2022"]["n"] == "17"
    out = cli(db, "extract", "export", "--reviewer", "QZ").stdout   # CSV on stdout: safe too
    assert "'=HYPERLINK" in out and "\n=" not in out and ",=" not in out
    cli(db, "extract", "export", "--out", tmp_path / "settled.xlsx")
    ws = load_workbook(tmp_path / "settled.xlsx").active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(c.value.startswith(("=", "+", "-", "@")) for c in cells)
    assert all(c.data_type == "s" for c in cells)
    header = [c.value for c in ws[1]]
    assert ws.cell(2, header.index("n") + 1).value == 17 and ws.cell(2, header.index("orr") + 1).value == 71


def test_a_reviewers_export_imports_again(db, tmp_path):
    data = rows()
    cli(db, "extract", "import", write_table(tmp_path / "qz.csv", data), "--reviewer", "QZ", "--no-submit")
    mine = tmp_path / "mine.xlsx"
    cli(db, "extract", "export", "--reviewer", "QZ", "--out", mine)
    before = dump(db)
    res = cli_json(db, "extract", "import", mine, "--reviewer", "QZ", "--no-submit")
    assert res["values"] == 0 and res["ignored_columns"] == [] and dump(db)[:-1] != [] and len(res["studies"]) == N
    assert [line for line in dump(db) if "extraction_values" in line] == \
        [line for line in before if "extraction_values" in line]
    text = cli(db, "extract", "export", "--reviewer", "XJZ").stdout     # XJZ has nothing: a template
    first = list(csv.DictReader(io.StringIO(text)))[0]
    assert first["study"] == "Mailankody S 2022" and first["doi"] == "10.1056/NEJMoa2209900" and first["n"] == ""
