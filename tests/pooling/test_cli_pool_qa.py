"""QA defects in `review pool --data`: missing counts, plot folders, --tau with GLMM, k = 1 text,
help text, one-study subgroups in the forest plot."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from review.cli import main
from review.pooling import metaprop

BASE = ("--events", "events", "--n", "n", "--study", "study")


def invoke(*args):
    return CliRunner().invoke(main, ["pool", *args])


def write(tmp_path, body, name="miss.csv"):
    path = tmp_path / name
    path.write_text(body)
    return path


# 1. Missing events or n --------------------------------------------------------------------

@pytest.mark.parametrize("row, what", [
    ("B,,33", "events missing"),
    ("B,5,NA", "n missing"),
    ("B,nan,33", "events missing"),
    ("B,.,", "events and n missing"),
])
def test_missing_count_is_an_error_naming_file_line_and_study(tmp_path, row, what):
    path = write(tmp_path, f"study,events,n\nA,3,11\n{row}\nC,10,21\n")
    res = invoke("--data", str(path), *BASE)
    assert res.exit_code == 2, res.output
    assert f"miss.csv:3 (study 'B'): {what}" in res.stderr
    assert "--drop-missing" in res.stderr  # tells the user the way out
    assert res.stdout == ""


def test_missing_count_without_study_column_names_row_number(tmp_path):
    path = write(tmp_path, "events,n\n3,11\n4,\n")
    res = invoke("--data", str(path), "--events", "events", "--n", "n")
    assert res.exit_code == 2
    assert "miss.csv:3 (study '2'): n missing" in res.stderr


def test_drop_missing_leaves_rows_out_and_says_so(tmp_path):
    path = write(tmp_path, "study,events,n\nA,3,11\nB,,33\nC,10,21\nD,2,NA\nE,1,6\n")
    res = invoke("--data", str(path), *BASE, "--drop-missing", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["k"] == 3 and [s["study"] for s in doc["studies"]] == ["A", "C", "E"]
    note = "left out 2 studies with missing events or n: B (line 3), D (line 5)"
    assert note in doc["notes"]
    assert note in res.stderr
    text = invoke("--data", str(path), *BASE, "--drop-missing")
    assert text.exit_code == 0 and f"note: {note}" in text.stdout


def test_drop_missing_with_nothing_left(tmp_path):
    path = write(tmp_path, "study,events,n\nA,,11\nB,3,\n")
    res = invoke("--data", str(path), *BASE, "--drop-missing")
    assert res.exit_code == 2 and "no study with both events and n" in res.stderr


# 2. Plot into a folder that does not exist ------------------------------------------------

@pytest.mark.parametrize("opt", ["--forest", "--funnel"])
def test_plot_into_missing_folder_fails_before_computing(tmp_path, opt):
    data = write(tmp_path, "study,events,n\nA,3,11\nB,6,17\n", "ok.csv")
    target = tmp_path / "nonexistent" / "dir" / "x.png"
    res = invoke("--data", str(data), *BASE, opt, str(target))
    assert res.exit_code == 2, res.output
    assert "does not exist" in res.stderr and str(target.parent) in res.stderr
    assert not (tmp_path / "nonexistent").exists()
    assert res.stdout == ""


def test_plot_folder_checked_before_the_data_is_read(tmp_path):
    # The data file has an error too; the folder message must come first (before any work).
    data = write(tmp_path, "study,events,n\nA,5,4\n", "bad.csv")
    res = invoke("--data", str(data), *BASE, "--forest", str(tmp_path / "nope" / "f.svg"))
    assert res.exit_code == 2 and "does not exist" in res.stderr and "exceed" not in res.stderr


def test_plots_save_does_not_create_folders(tmp_path):
    from review.errors import BadInput
    from review.pooling.plots import forest_plot

    res = metaprop([3, 6], [11, 17], ["A", "B"])
    with pytest.raises(BadInput, match="does not exist"):
        forest_plot(res, tmp_path / "missing" / "f.svg")
    assert not (tmp_path / "missing").exists()


# 3. --tau DL with the default GLMM ---------------------------------------------------------

def test_tau_with_glmm_says_what_to_do(tmp_path):
    data = write(tmp_path, "study,events,n\nA,3,11\nB,6,17\n", "ok.csv")
    res = invoke("--data", str(data), *BASE, "--tau", "DL")
    assert res.exit_code == 2
    assert "--tau DL needs --method Inverse" in res.stderr
    assert "default for PLOGIT" in res.stderr and "by ML" in res.stderr
    ok = invoke("--data", str(data), *BASE, "--tau", "DL", "--method", "Inverse")
    assert ok.exit_code == 0, ok.output


# 4. k = 1 text output ----------------------------------------------------------------------

def test_single_study_text_has_no_nan(tmp_path):
    data = write(tmp_path, "study,events,n\nA,3,11\n", "one.csv")
    for extra in ((), ("--method", "Inverse")):
        res = invoke("--data", str(data), *BASE, *extra)
        assert res.exit_code == 0, res.output
        assert "nan" not in res.stdout.lower()
        assert "Q = NA, df = 0, p = NA" in res.stdout
        assert "0.2727 [0.0905; 0.5857]" in res.stdout


# 5. Help text ------------------------------------------------------------------------------

def test_help_names_columns_files_and_shows_an_example():
    res = CliRunner().invoke(main, ["pool", "--help"], terminal_width=120)
    assert res.exit_code == 0
    h = res.output
    for opt, meta in (("--events", "COLUMN"), ("--n", "COLUMN"), ("--study", "COLUMN"), ("--by", "COLUMN"),
                      ("--outcome", "NAME"), ("--data", "FILE"), ("--forest", "FILE"), ("--funnel", "FILE")):
        assert f"{opt} {meta}" in h, opt
    assert "TEXT" not in h and "PATH" not in h
    # the example keeps its own line (\b block)
    assert "\n  review pool --data counts.csv --events events --n n --study study\n" in h.replace("    ", "  ")


# 6. Forest plot: one-study subgroups -------------------------------------------------------

def test_forest_rows_have_no_gap_after_one_study_subgroup():
    from review.pooling.plots import _rows

    res = metaprop([3, 6, 10, 1, 4], [11, 17, 21, 6, 20], list("ABCDE"), by=list("xxyxz"), method="Inverse")
    rows = _rows(res)
    assert all(not (kind == "het" and not item) for kind, item in rows)  # no empty heterogeneity row
    kinds = [k for k, _ in rows]
    assert "blank blank" not in " ".join(kinds)
    # x (k=3): 3 studies, diamond, het, blank; y and z (k=1): study, diamond, blank
    i_y = kinds.index("header", 1)
    assert kinds[i_y:i_y + 4] == ["header", "study", "diamond", "blank"]
    assert sum(k == "het" for k in kinds) == 1 + 2  # x's line, overall, subgroup differences
