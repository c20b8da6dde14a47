"""`review dedup FILE... --out GROUPS.csv` as CLI-CONTRACT says: one row per
input record, record_id from the ID column or `<file>:<index>`, clear errors
and no output file on bad input."""

import csv
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from review.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "dedup"


def read_out(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_files_mode_writes_one_row_per_record(tmp_path):
    src = DATA / "special_cases" / "records_pre_merged.csv"
    out = tmp_path / "groups.csv"
    r = CliRunner().invoke(main, ["dedup", str(src), "--out", str(out)])
    assert r.exit_code == 0, r.output
    rows = read_out(out)
    assert [x["record_id"] for x in rows] == [f"id_{k:07d}" for k in range(1, 13)]
    g = {x["record_id"]: x["group_id"] for x in rows}
    assert g["id_0000001"] == g["id_0000002"]
    assert g["id_0000007"] == g["id_0000011"] != g["id_0000012"]
    assert g["id_0000003"] != g["id_0000004"]


def test_files_without_id_column_get_file_and_index_ids(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("Title,Authors,Year,DOI\nGene therapy for X,\"Smith, A; Jones, B\",2020,10.1000/xyz\n"
                 "Another paper on Y,\"Lee, C\",2019,\n", encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text("TITLE,AUTHOR,YEAR,DOI\nGene Therapy for X.,\"Smith, A. and Jones, B.\",2020,"
                 "https://doi.org/10.1000/XYZ\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    r = CliRunner().invoke(main, ["dedup", str(a), str(b), "--out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    rows = read_out(out)
    ids = [x["record_id"] for x in rows]
    assert ids == [f"{a}:1", f"{a}:2", f"{b}:1"]
    assert rows[0]["group_id"] == rows[2]["group_id"] != rows[1]["group_id"]


def test_bad_input_gives_exit_2_naming_file_and_line_and_no_output(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("title,year\nA fine title,2020\nAnother,not-a-year\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    r = subprocess.run([sys.executable, "-m", "review", "dedup", str(bad), "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert str(bad) in r.stderr and "line 3" in r.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_missing_file_and_missing_out_are_usage_errors(tmp_path):
    r = CliRunner().invoke(main, ["dedup", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv")])
    assert r.exit_code == 2 and "nope.csv" in r.output
    ok = DATA / "special_cases" / "records_pre_merged.csv"
    r = CliRunner().invoke(main, ["dedup", str(ok)])
    assert r.exit_code == 2 and "--out" in r.output
    assert not (tmp_path / "o.csv").exists()


def test_header_without_bibliographic_columns_is_rejected(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("foo,bar\n1,2\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["dedup", str(f), "--out", str(tmp_path / "o.csv")])
    assert r.exit_code == 2 and "line 1" in r.output


def test_exports_are_read_with_their_own_headers_and_grouped(tmp_path):
    """A Scopus and a PubMed CSV export of one paper: columns mapped by each
    exporter's header, DOIs bare, and the two copies grouped."""
    scopus = tmp_path / "scopus.csv"
    scopus.write_text('\ufeffAuthors,Author(s) ID,Title,Year,Source title,Volume,Issue,Page start,Page end,DOI,'
                      'PubMed ID,Source,EID\n'
                      '"Lim S.M., Shiau C.W.C., Cheng L.J., Lau Y.",1;2;3;4;,"Chatbot-delivered psychotherapy for '
                      'adults with depressive and anxiety symptoms: a systematic review and meta-regression",2022,'
                      'Behavior Therapy,53,2,334,347,https://doi.org/10.1016/j.beth.2021.09.007,35227408,Scopus,'
                      '2-s2.0-1,\n', encoding="utf-8")
    pubmed = DATA.parents[1] / "data" / "formats" / "csv" / "colrev_pubmed_chatbot.csv"
    out = tmp_path / "g.csv"
    r = CliRunner().invoke(main, ["dedup", str(scopus), str(pubmed), "--out", str(out)])
    assert r.exit_code == 0, r.output
    rows = read_out(out)
    assert [x["record_id"] for x in rows][:2] == [f"{scopus}:1", f"{pubmed}:1"]
    assert rows[0]["group_id"] == rows[1]["group_id"]
    assert len({x["group_id"] for x in rows}) == 6


def test_dedup_reads_records_as_import_does(tmp_path):
    from review.dedup.files import read_inputs
    from review.sources.readers import read_file

    f = tmp_path / "r.csv"
    f.write_text('ID,title,author,doi,pmid,issn\nr1,A trial,"Lee K.; Wang L.",https://doi.org/10.1000/ABC,'
                 'PMID: 123,0006-4971 (Print)\n', encoding="utf-8")
    (rid, path, rec), = read_inputs([str(f)])
    assert rid == "r1" and rec == read_file(f, "csv")[0]
    assert (rec.authors, rec.doi, rec.pmid, rec.issn_print) == (("Lee K.", "Wang L."), "10.1000/ABC", "123",
                                                                 "0006-4971")


def test_table_with_another_suffix_keeps_its_id_column(tmp_path):
    f = tmp_path / "export.txt"
    f.write_text("ID\tTitle\tYear\nk1\tA trial of X in adults\t2020\nk2\tA trial of X in adults\t2020\n",
                 encoding="utf-8")
    out = tmp_path / "g.csv"
    r = CliRunner().invoke(main, ["dedup", str(f), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert [x["record_id"] for x in read_out(out)] == ["k1", "k2"]
