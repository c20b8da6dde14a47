"""Issue 15, reader items not covered by the bad corpus: encodings the tool
cannot be sure of (and --encoding), truncation rules that must not refuse
complete files, BibTeX and XML bombs, deep protocols, huge study-table
counts and cells."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner
from import_helpers import dump, new_project, run

from review.cli import main
from review.errors import BadInput
from review.sources.readers import parse_bytes

NE = "{Reference Type}: Journal Article\n{Title}: %s\n{Year}: 2020\n"


def _write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


# -- encodings ------------------------------------------------------------------------------------

@pytest.mark.parametrize("data,line", [
    ((NE % "Größe").encode("latin-1"), 2),  # read as GB18030 it would be 'Gr鲞e'
    ((NE % "한국어 논문 제목 연구 보고서입니다").encode("euc_kr"), 2),
    ((NE % "ｶﾀｶﾅ ﾃｽﾄ ｹﾝｷｭｳ ﾎｳｺｸ").encode("shift_jis"), 2),
    ((NE % "日本語の論文タイトル研究報告").encode("shift_jis"), 2),
])
def test_encodings_the_tool_cannot_be_sure_of_are_refused_not_guessed(tmp_path, data, line):
    db = new_project(tmp_path)
    before = dump(db)
    res = run(db, "import", _write(tmp_path, "x.net", data))
    assert res.exit_code == 2 and f"x.net: line {line}: byte 0x" in res.stderr
    assert "--encoding" in res.stderr
    assert dump(db) == before


def test_real_gb18030_chinese_is_still_read(tmp_path):
    text = (NE % "嵌合抗原受体T细胞治疗复发难治性急性淋巴细胞白血病的临床研究") + "{Database Provider}: CNKI\n"
    fmt, [rec] = parse_bytes(text.encode("gb18030"), "gb.net")
    assert fmt == "cnki" and rec.title == "嵌合抗原受体T细胞治疗复发难治性急性淋巴细胞白血病的临床研究"


@pytest.mark.parametrize("codec,title", [("latin-1", "Größe und Wachstum"), ("shift_jis", "日本語の論文"),
                                         ("euc_kr", "한국어 논문"), ("cp1252", "Œuvres — “quoted”")])
def test_encoding_option_decodes_strictly_with_the_named_codec(tmp_path, codec, title):
    db = new_project(tmp_path)
    path = _write(tmp_path, "x.ris", f"TY  - JOUR\nTI  - {title}\nPY  - 2020\nER  - \n".encode(codec))
    res = run(db, "import", "--json", "--encoding", codec, path)
    assert res.exit_code == 0, res.output
    assert sqlite3.connect(db).execute("SELECT title FROM records").fetchone()[0] == title


def test_encoding_option_refuses_bytes_the_codec_cannot_read_and_unknown_codecs(tmp_path):
    db = new_project(tmp_path)
    path = _write(tmp_path, "x.ris", "TY  - JOUR\nTI  - 日本\nER  - \n".encode("utf-8"))
    res = run(db, "import", "--encoding", "ascii", path)
    assert res.exit_code == 2 and "x.ris: line 2: byte 0xe6 is not valid ascii text" in res.stderr
    res = run(db, "import", "--encoding", "klingon", path)
    assert res.exit_code == 2 and "unknown encoding 'klingon'" in res.stderr


# -- truncation rules do not refuse complete files --------------------------------------------------

@pytest.mark.parametrize("text", [
    NE % "一" + "{Abstract}: 完整的摘要，没有换行",  # ends inside a value, no newline: read as it is
    "PMID- 31000001\nTI  - A trial.\nDP  - 2020",
    "RT Journal Article\nT1 标题\nYR 2021",
    "%0 Journal Article\n%T A title\n%D 2020",
])
def test_a_complete_file_without_a_final_newline_is_read(text):
    fmt, recs = parse_bytes(text.encode("utf-8"), "x.txt")
    assert len(recs) == 1 and recs[0].title


# -- bombs and deep nesting ---------------------------------------------------------------------------

def test_bibtex_macro_bomb_of_575_bytes_is_refused_quickly():
    macros = "".join(f"@string{{{b}={'#'.join([a] * 10)}}}\n" for a, b in zip("abcdefgh", "bcdefghi"))
    data = ('@string{a="aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}\n' + macros + "@article{k, title = i}\n").encode()
    assert len(data) < 600
    with pytest.raises(BadInput, match=r"bomb.bib, @string \(line 6\): a field value longer than 1,000,000 characters"):
        parse_bytes(data, "bomb.bib")


def test_small_entity_expansion_is_refused_too():
    # below expat's own amplification limit: still refused, by the declaration
    data = (b'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY x "xxxxxxxx">]>\n<PubmedArticleSet>'
            b"<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&x;</ArticleTitle></Article>"
            b"</MedlineCitation></PubmedArticle></PubmedArticleSet>")
    with pytest.raises(BadInput, match=r"line 1: the XML declares an entity \(x\)"):
        parse_bytes(data, "x.xml")


def test_pubmed_text_of_deep_inline_markup_within_the_limit():
    inner = "<i>" * 200 + "deep" + "</i>" * 200
    data = (f"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>a {inner} b"
            f"</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>").encode()
    _, [rec] = parse_bytes(data, "x.xml")
    assert rec.title == "a deep b"


# -- study tables: huge counts, huge cells --------------------------------------------------------------

@pytest.mark.parametrize("n", ["9" * 400, "99999999999999999999", "1e300", "inf"])
def test_astronomical_counts_end_in_an_error_naming_the_line(tmp_path, n):
    path = tmp_path / "studies.csv"
    path.write_text(f"study,events,n\nA,1,10\nB,2,{n}\n")
    res = CliRunner().invoke(main, ["pool", "--data", str(path), "--events", "events", "--n", "n"])
    assert res.exit_code == 2, res.output
    assert f"{path}:3 (study '2')" in res.stderr and "Traceback" not in res.output


def test_study_table_with_a_50_mb_cell_is_read(tmp_path):
    path = tmp_path / "studies.csv"
    path.write_text("study,events,n,note\nA,3,10," + "x" * 50_000_000 + "\nB,2,10,ok\n")
    res = CliRunner().invoke(main, ["pool", "--data", str(path), "--events", "events", "--n", "n", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["k"] == 2
