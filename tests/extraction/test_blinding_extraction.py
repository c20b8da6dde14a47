"""Blinding of extraction and MINORS: as reviewer BEN, while ANA has entered
and submitted values and scores and BEN has not submitted, every extraction,
quality, table and pooling command (and every file it writes, XLSX included)
is searched for ANA's values; none is found, and the whole walk reads the
same whether ANA entered one set of values or another."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli import main
from tests.extraction.projects import included_project
from tests.screening.helpers import run
from tests.screening.test_blinding import leaf_commands, normalise

S1, S2, S3 = "Zhang W 2000", "Zhang W 2001", "Zhang W 2002"
# Every command that reads extraction values, scores or what is made of them, as BEN runs it.
RUNS = {
    "studies list": [[]],
    "extract fields": [[]],
    "extract show": [[], [S1], [S2], [S3]],
    "extract set": [[S1, "n", "21"], [S2, "dr", "150"]],
    "extract submit": [[S3]],
    "extract export": [[], ["--out", "{dir}/mine.csv"], ["--out", "{dir}/settled.xlsx"]],
    "reconcile list": [[]],
    "minors show": [[], [S1]],
    "minors submit": [["--all"]],
    "minors table": [[], ["--out", "{dir}/minors.xlsx"]],
    "minors reconcile list": [[]],
    "tables": [["--out", "{dir}/tables"]],
    "pool": [["--outcome", "DR"], ["--outcome", "ORR"], ["--all"]],
    "agreement": [["--tool", "minors"]],
}


def build_world(root: Path, variant: str) -> Path:
    """ANA entered S1 (submitted, with MINORS scores) and S2 (not submitted);
    BEN entered only S3."""
    root.mkdir()
    db = included_project(root, n=3)
    x = variant == "x"
    for study in (S1, S2):
        for field, value in (("n", "20"), ("responders", "13" if x else "4"), ("dr", "37.37" if x else "12.12"),
                             ("cancer", "myeloma" if x else "lymphoma"), ("age", "61 (33-79)" if x else "50")):
            run(db, "extract", "set", study, field, value, "--reviewer", "ANA", user="ANA")
    run(db, "extract", "submit", S1, "--reviewer", "ANA", user="ANA")
    scores = root / "ana_minors.csv"
    scores.write_text("study," + ",".join(f"item{i}" for i in range(1, 9)) + "\n"
                      + f"{S1}," + ",".join(["0" if x else "2"] * 8) + "\n", encoding="utf-8")
    run(db, "minors", "import", scores, "--reviewer", "ANA", user="ANA")
    run(db, "extract", "set", S3, "n", "5", "--reviewer", "BEN", user="BEN")
    run(db, "extract", "set", S3, "cancer", "leukemia", "--reviewer", "BEN", user="BEN")
    run(db, "minors", "set", S3, "1", "2", "--reviewer", "BEN", user="BEN")
    return db


def file_text(f: Path) -> str:
    if f.suffix == ".xlsx":
        from openpyxl import load_workbook

        out = io.StringIO()
        for ws in load_workbook(f).worksheets:
            for row in ws.iter_rows(values_only=True):
                out.write(repr(row) + "\n")
        return out.getvalue()
    return f.read_text("utf-8")


def walk_as_ben(db: Path, workdir: Path, monkeypatch) -> list[str]:
    monkeypatch.chdir(workdir)
    commands = dict(leaf_commands(main))
    seen = []
    for name, arg_lists in RUNS.items():
        cmd = commands[name]
        has_json = any(p.name == "as_json" for p in cmd.params)
        has_reviewer = any(p.name == "reviewer" for p in cmd.params)
        for args in arg_lists:
            args = [a.replace("{dir}", str(workdir)) for a in args]
            for v in ([args, [*args, "--json"]] if has_json else [args]):
                for who in ([[], ["--reviewer", "BEN"]] if has_reviewer else [[]]):
                    r = CliRunner().invoke(main, ["--db", str(db), *name.split(), *v, *who], env={"REVIEW_USER": "BEN"})
                    assert r.exception is None or isinstance(r.exception, SystemExit), (name, v, r.exception)
                    seen.append(f"$ review {name} {' '.join(v + who)} -> {r.exit_code}\n{r.stdout}\n{r.stderr}")
    for f in sorted(workdir.rglob("*")):
        if f.is_file():
            seen.append(f"== {f.relative_to(workdir)}\n{file_text(f)}")
    return seen


@pytest.fixture
def worlds(tmp_path, monkeypatch):
    out = {}
    for name in ("x", "y"):
        db = build_world(tmp_path / name, name)
        work = tmp_path / f"{name}-work"
        work.mkdir()
        out[name] = (tmp_path / name, walk_as_ben(db, work, monkeypatch))
    return out


def test_ben_sees_none_of_anas_values(worlds):
    _world, seen = worlds["x"]
    text = "\n".join(seen)
    for marker in ("37.37", "61 (33", "33–79"):            # ANA's dead rate and age (her cancer: by the x/y test)
        assert marker not in text, marker
    # the walk really ran: BEN saw his own value, ANA's submission (not its content) and was refused
    assert '"study": "Zhang W 2002"' in text and '"submitted_by": [\n    "ANA"\n  ]' in text
    assert "BEN is a reviewer; the protocol's adjudicators are: CAL" in text
    assert "field 'dr' (Dead rate): a percent must be between 0 and 100, got '150'" in text
    assert "not yet settled: waiting for BEN to submit (submitted by ANA)" in text
    assert "== tables/tables.xlsx" in text and "== minors.xlsx" in text


def test_ben_cannot_tell_what_ana_entered(worlds):
    (wx, x), (wy, y) = worlds["x"], worlds["y"]
    assert len(x) == len(y)
    for a, b in zip(x, y):
        assert normalise(a, wx) == normalise(b, wy)


def test_once_both_submitted_the_values_are_compared(tmp_path):
    db = build_world(tmp_path / "w", "x")
    for field, value in (("n", "20"), ("responders", "12"), ("cancer", "myeloma")):
        run(db, "extract", "set", S1, field, value, "--reviewer", "BEN", user="BEN")
    run(db, "extract", "submit", S1, "--reviewer", "BEN", user="BEN")
    shown = run(db, "extract", "show", S1, "--reviewer", "BEN", "--json", user="BEN").stdout
    assert '"differing"' in shown and "37.37" not in shown          # dr differs: not settled, not shown
    assert "37.37" in run(db, "reconcile", "--json", user="CAL").stdout
