"""Bad input: an error naming the file and record/line, exit 2, and the
database exactly as it was (full dump compared before and after)."""

from __future__ import annotations

import codecs

import pytest

from import_helpers import FORMATS, dump, new_project, run
from review.errors import BadInput
from review.sources.readers import parse_bytes

GOOD = FORMATS / "ris/asreview_embase.ris"


def _bad(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


BAD_FILES = {
    "truncated.xml": (FORMATS / "endnote_xml/own_endnote.xml").read_bytes()[:700],
    "binary.ris": b"TY  - JOUR\n\x00\x01\x02\xff\xfe\x00\x00garbage\x00",
    "empty.ris": b"",
    "latin1.ris": "TY  - JOUR\nTI  - Caf\u00e9 au lait spots\nER  - \n".encode("latin-1"),
    "no_er.ris": b"TY  - JOUR\nTI  - First\nER  - \n\nTY  - JOUR\nTI  - Second\nAU  - X\n",
    "no_er_mid.ris": b"TY  - JOUR\nTI  - First\nTY  - JOUR\nTI  - Second\nER  - \n",
    "unbalanced.bib": b"@article{a, title={open, year=2020\n@article{b, title={open, year=2020\n",
}
EXPECTED = {
    "truncated.xml": "line 1",
    "binary.ris": "binary",
    "empty.ris": "empty file",
    "latin1.ris": "line 2: byte 0xe9",
    "no_er.ris": "record 2 (line 5)",
    "no_er_mid.ris": "record 1 (line 1)",
    "unbalanced.bib": "entry 1 (line 1)",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_refused_with_file_and_place_and_changes_nothing(tmp_path, name):
    db = new_project(tmp_path)
    assert run(db, "import", GOOD).exit_code == 0
    before = dump(db)
    bad = _bad(tmp_path, name, BAD_FILES[name])
    res = run(db, "import", FORMATS / "wanfang/own_wanfang_noteexpress.net", bad)
    assert res.exit_code == 2, res.output
    assert str(bad) in res.output and EXPECTED[name] in res.output
    assert res.output.startswith("review: error: ")
    assert dump(db) == before


def test_utf16_without_bom_is_decoded_not_mojibake():
    text = "TY  - JOUR\nTI  - Caf\u00e9 CAR-T 嵌合抗原受体\nER  - \n"
    for codec in ("utf-16-le", "utf-16-be"):
        fmt, recs = parse_bytes(text.encode(codec), "x.ris")
        assert fmt == "ris" and recs[0].title == "Caf\u00e9 CAR-T 嵌合抗原受体"
    fmt, recs = parse_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "x.ris")
    assert recs[0].title == "Caf\u00e9 CAR-T 嵌合抗原受体"


def test_gb18030_allowed_only_for_chinese_databases():
    data = (FORMATS / "cnki/own_estudy_gb18030_crlf.txt").read_bytes()
    with pytest.raises(BadInput, match=r"x\.txt: line 2: byte 0x"):
        parse_bytes(data, "x.txt", "ris")


def test_unknown_content_asks_for_format(tmp_path):
    res = run(new_project(tmp_path), "import", _bad(tmp_path, "notes.txt", b"just some notes\n"))
    assert res.exit_code == 2 and "pass --format" in res.output and "notes.txt" in res.output


def test_missing_file_is_bad_input(tmp_path):
    res = run(new_project(tmp_path), "import", tmp_path / "nope.ris")
    assert res.exit_code == 2 and "nope.ris" in res.output


def test_csv_row_with_too_many_cells_names_the_line(tmp_path):
    bad = _bad(tmp_path, "t.csv", b"title,year\nA,2020\nB,2021,extra\n")
    with pytest.raises(BadInput, match=r"t\.csv, line 3 \(record 2\)"):
        parse_bytes(bad.read_bytes(), str(bad))


def test_wrong_forced_format_is_an_error_not_empty_import(tmp_path):
    db = new_project(tmp_path)
    before = dump(db)
    res = run(db, "import", "--format", "medline", GOOD)
    assert res.exit_code == 2 and "line 1: TY field outside a record (no PMID" in res.output
    assert dump(db) == before
