"""Issue 15: every malformed file of tests/data/bad/ (made by make_bad.py; what
each must say in EXPECTED.tsv) ends in exit 2 with the tool's own message
naming the file and the line (or record/entry and line), and leaves the
project database exactly as it was (a full dump compared before and after)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from import_helpers import FORMATS, ROOT, dump, new_project, run

BAD = ROOT / "tests" / "data" / "bad"


def _expected() -> list[tuple[str, list[str], str]]:
    with open(BAD / "EXPECTED.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))[1:]
    return [(name, [] if opts == "-" else opts.split(), where) for name, opts, where in rows]


CASES = _expected()


def test_the_corpus_is_complete():
    listed = {name for name, _, _ in CASES}
    on_disk = {p.name for p in BAD.iterdir() if p.suffix not in (".py", ".tsv", ".md")}
    assert listed == on_disk and len(listed) >= 40
    # every import format and the protocol are covered
    prefixes = {name.split("_")[0] for name in listed}
    assert {"ris", "medline", "cnki", "wanfang", "wos", "endnote", "pubmed", "bibtex", "csv", "protocol"} <= prefixes


@pytest.mark.parametrize("name,options,where", CASES, ids=[c[0] for c in CASES])
def test_bad_file_exits_2_naming_file_and_line_and_changes_nothing(tmp_path: Path, name, options, where):
    db = new_project(tmp_path)
    assert run(db, "import", FORMATS / "ris/asreview_embase.ris").exit_code == 0
    before = dump(db)
    path = BAD / name
    args = ("init", path) if path.suffix == ".toml" else ("import", path, *options)
    res = run(db, *args)
    assert res.exit_code == 2, res.output
    assert res.stdout == ""
    message = res.stderr
    assert message.startswith("review: error: ") and "Traceback" not in message
    assert str(path) in message and where in message, message
    assert dump(db) == before
