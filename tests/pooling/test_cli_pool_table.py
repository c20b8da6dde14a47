"""`review pool --data` reads its table with the shared table rules
(review.sources.table): the same decoding and delimiter detection as record
tables, with pool's own error wording kept."""

from __future__ import annotations

import codecs
import json

import pytest
from click.testing import CliRunner

from review.cli import main
from review.pooling.data import read_table
from review.pooling.outcomes import read_study_table

BODY = "study\tevents\tn\nMiller, 1978\t3\t11\nB\t6\t17\nC\t10\t21\nD\t1\t6\n"


def pool_json(path):
    res = CliRunner().invoke(main, ["pool", "--data", str(path), "--events", "events", "--n", "n",
                                    "--study", "study", "--method", "Inverse", "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.mark.parametrize("encoded", [
    BODY.encode("utf-8"),
    codecs.BOM_UTF8 + BODY.encode("utf-8"),
    codecs.BOM_UTF16_LE + BODY.encode("utf-16-le"),
    BODY.replace("\n", "\r\n").encode("utf-8"),
])
def test_same_result_whatever_the_encoding(tmp_path, encoded):
    path = tmp_path / "counts.tsv"
    path.write_bytes(encoded)
    doc = pool_json(path)
    assert (doc["k"], doc["events"], doc["n"]) == (4, 20, 55)
    assert doc["studies"][0]["study"] == "Miller, 1978"


def test_delimiter_from_the_name_else_the_header(tmp_path):
    # .tsv means tab even though the header line holds more commas than tabs
    tsv = tmp_path / "counts.tsv"
    tsv.write_text("study\tevents\tn\tnote, if, any\nA, 2001\t3\t11\t\nB\t6\t17\t\n", encoding="utf-8")
    assert read_table(tsv)[1] == ["A, 2001", "3", "11", ""]
    semi = tmp_path / "counts.csv"
    semi.write_text('study;events;n\n"Lee, 2020";3;11\n', encoding="utf-8")
    assert read_table(semi) == [["study", "events", "n"], ["Lee, 2020", "3", "11"]]
    assert read_study_table(semi) == [{"study": "Lee, 2020", "events": "3", "n": "11"}]


def test_undecodable_file_names_file_and_line(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_bytes("study,events,n\nA,3,11\nMüller,6,17\n".encode("latin-1"))
    res = CliRunner().invoke(main, ["pool", "--data", str(path), "--events", "events", "--n", "n"])
    assert res.exit_code == 2
    assert f"{path}: cannot read data file: line 3: byte 0xfc is not valid UTF-8 text" in res.stderr


def test_empty_and_binary_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["pool", "--data", str(empty), "--events", "events", "--n", "n"])
    assert res.exit_code == 2 and f"{empty}: empty data file" in res.stderr
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"study,events,n\n\x00\x01\x02\x03\x00\x00\xff\n")
    res = CliRunner().invoke(main, ["pool", "--data", str(binary), "--events", "events", "--n", "n"])
    assert res.exit_code == 2 and "cannot read data file: line 2: binary data" in res.stderr


def test_long_cells_are_read(tmp_path):
    # beyond the csv module's default 131,072-character cell limit
    path = tmp_path / "counts.csv"
    path.write_text(f'study,events,n,note\nA,3,11,"{"x" * 200_000}"\nB,6,17,\n', encoding="utf-8")
    assert len(read_table(path)[1][3]) == 200_000
