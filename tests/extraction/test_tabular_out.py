"""The shared safe writer (review/tabular_out.py): text a spreadsheet would
run as a formula is neutralised in CSV, TSV and XLSX, numbers are left as
they are, and a failed write leaves no file."""

from __future__ import annotations

import csv

import pytest

from review.errors import BadInput
from review.tabular_out import markdown_table, safe_cell, write_delimited, write_table, write_xlsx

DANGEROUS = ["=HYPERLINK(\"http://x.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
             "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_text_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-1.5, 3, 0.0, None, True, "-1.5", "+2", "1e-3", "plain", "a=b", "CD19+ lymphoma",
                                   "", "'quoted"])
def test_numbers_and_plain_text_unchanged(value):
    assert safe_cell(value) == value


def test_csv_tsv_and_xlsx_neutralise_every_dangerous_cell(tmp_path):
    from openpyxl import load_workbook

    header = ["study", "value"]
    rows = [[t, -1.5] for t in DANGEROUS] + [["=cmd", 7]]
    for name in ("t.csv", "t.tsv"):
        write_table(tmp_path / name, header, rows)
        with (tmp_path / name).open(encoding="utf-8", newline="") as fh:
            got = list(csv.reader(fh, delimiter="\t" if name.endswith(".tsv") else ","))
        assert got[0] == header
        assert [r[0] for r in got[1:]] == ["'" + t for t in DANGEROUS] + ["'=cmd"]
        assert [r[1] for r in got[1:]] == ["-1.5"] * len(DANGEROUS) + ["7"]
    write_table(tmp_path / "t.xlsx", header, rows)
    ws = load_workbook(tmp_path / "t.xlsx").active
    cells = list(ws.iter_rows(min_row=2, values_only=True))
    # (XML turns a carriage return into a line feed)
    assert [c[0] for c in cells] == [("'" + t).replace("\r", "\n") for t in DANGEROUS] + ["'=cmd"]
    assert [c[1] for c in cells] == [-1.5] * len(DANGEROUS) + [7]   # numbers stay numbers
    assert all(c.data_type == "s" for c in ws["A"])                  # text, never a formula


def test_xlsx_several_sheets(tmp_path):
    from openpyxl import load_workbook

    write_xlsx(tmp_path / "w.xlsx", {"Table 1": (["a"], [[1]]), "Table 2": (["b"], [["@x"]])})
    wb = load_workbook(tmp_path / "w.xlsx")
    assert wb.sheetnames == ["Table 1", "Table 2"] and wb["Table 2"]["A2"].value == "'@x"


def test_unknown_suffix_and_missing_folder_refused_without_a_file(tmp_path):
    with pytest.raises(BadInput, match="end it in .csv, .tsv, .xlsx"):
        write_table(tmp_path / "t.ods", ["a"], [[1]])
    with pytest.raises(BadInput, match="no folder"):
        write_delimited(tmp_path / "nope" / "t.csv", ["a"], [[1]])
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_nothing(tmp_path):
    class Boom:
        def __str__(self):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_xlsx(tmp_path / "t.xlsx", {"s": (["a"], [[Boom()]])})
    assert list(tmp_path.iterdir()) == []


def test_markdown_escapes_pipes_and_line_breaks():
    text = markdown_table(["a|b", "c"], [["x|y", "one\ntwo"], [1.0, None]])
    assert text.splitlines() == ["| a\\|b | c |", "|---|---|", "| x\\|y | one<br>two |", "| 1 |  |"]
