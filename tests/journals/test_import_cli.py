"""`review journals import`: stored whole or not at all, idempotent, history
kept, audited; bad files exit 2 naming file and line and change nothing."""

from __future__ import annotations

import json
import shutil

import pytest

from review.db import audit, open_db
from review.db.migrate import head_version, schema_version

from .conftest import DATA, dump, run

JCR23 = DATA / "JCR_JournalResults_2023.csv"
JCR22 = DATA / "JCR_JournalResults_2022.csv"
SCIMAGO = DATA / "scimagojr 2023.csv"


def test_schema_is_at_head(project):
    conn = open_db(project)
    assert schema_version(conn) == head_version()
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"journal_imports", "journals", "journal_issns", "journal_metrics", "openalex_cache"} <= names


def test_import_jcr_then_again_changes_nothing(project):
    res = run(project, "journals", "import", JCR23, "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)["files"][0]
    assert (doc["format"], doc["kind"], doc["years"], doc["rows"], doc["journals"], doc["metrics"],
            doc["without_value"]) == ("jcr", "jif", [2023], 18, 15, 15, 1)
    before = dump(project)
    again = run(project, "journals", "import", JCR23)
    assert again.exit_code == 0 and "imported before" in again.output
    assert dump(project) == before
    copy = project.parent / "renamed.csv"
    shutil.copy(JCR23, copy)  # the same bytes under another name are the same file
    assert run(project, "journals", "import", copy).exit_code == 0
    assert dump(project) == before


def test_import_is_audited_and_the_chain_verifies(project):
    assert run(project, "journals", "import", JCR23, SCIMAGO).exit_code == 0
    conn = open_db(project)
    rows = [e for e in audit.entries(conn) if e["action"] == "journals.import"]
    assert [r["target"] for r in rows] == [str(JCR23), str(SCIMAGO)]
    assert rows[0]["details"]["sha256"] and rows[0]["details"]["metrics"] == 15
    assert audit.verify(conn).ok


def test_a_newer_file_adds_history(project):
    assert run(project, "journals", "import", JCR22).exit_code == 0
    assert run(project, "journals", "import", JCR23).exit_code == 0
    conn = open_db(project)
    rows = conn.execute(
        "SELECT m.year, m.value FROM journal_metrics m JOIN journals j ON j.id = m.journal_id"
        " WHERE j.title = 'BLOOD' ORDER BY m.year").fetchall()
    assert [tuple(r) for r in rows] == [(2022, 20.3), (2023, 21.0)]
    assert conn.execute("SELECT COUNT(*) FROM journals WHERE title = 'BLOOD'").fetchone()[0] == 1
    with pytest.raises(Exception, match="append-only"):
        conn.execute("UPDATE journal_metrics SET value = 99")


def test_text_output_names_what_was_stored(project):
    res = run(project, "journals", "import", JCR23)
    assert res.exit_code == 0
    assert "18 rows, 15 journals (15 new), 15 values stored, 1 listed without a value (N/A)" in res.output
    assert "3 rows repeat a journal already listed (one row per category): merged" in res.output


BAD = {
    "empty.csv": (b"", ":1: the file is empty"),
    "binary.csv": (b"Journal name,ISSN\n\x00\x01\x02\x03", ":2: binary data"),
    "wrong_columns.csv": (b"title;author;year\nA;B;2020\n", ":1: not a JCR export"),
    "text_in_numbers.csv": (b"journal,issn,eissn,metric,year\nBlood,0006-4971,,21.0,2023\n"
                            b"Cancer,0008-543X,,six,2023\n", ":3: column 'metric': 'six' is not a number"),
    "scimagojr 2023.csv": (b"Rank,Sourceid,Title,Type,Issn,Cites / Doc. (2years)\n1,1,A,journal,00280836,3.5\n",
                           ":1: a SCImago file with commas"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_exit_2_naming_the_line_and_store_nothing(project, tmp_path, name):
    content, message = BAD[name]
    bad = tmp_path / name
    bad.write_bytes(content)
    assert run(project, "journals", "import", JCR22).exit_code == 0
    before = dump(project)
    res = run(project, "journals", "import", JCR23, bad)  # the good file first: still nothing stored
    assert res.exit_code == 2, res.output
    assert f"{bad}{message}" in res.output
    assert dump(project) == before


def test_jcr_footer_in_the_middle_exits_2(project, tmp_path):
    lines = JCR23.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "pasted.csv"
    bad.write_text("\n".join(lines + lines[3:6]) + "\n", encoding="utf-8")
    before = dump(project)
    res = run(project, "journals", "import", bad)
    assert res.exit_code == 2
    assert f"{bad}:{len(lines) + 1}: data after the copyright footer (line {len(lines) - 1})" in res.output
    assert dump(project) == before


def test_unknown_format_option_is_a_usage_error(project):
    res = run(project, "journals", "import", JCR23, "--format", "xlsx")
    assert res.exit_code == 2 and "Invalid value for '--format'" in res.output
