"""`review survival reconstruct` and `review survival km` end to end (CLI-CONTRACT.md)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from survival_helpers import DATA, r_summary
from review.cli import main

R = r_summary()


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def rows(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def test_reconstruct_then_km_gives_back_r_numbers(tmp_path):
    out = tmp_path / "ipd.csv"
    res = run("survival", "reconstruct", "--curve", DATA / "lung_points.csv", "--at-risk",
              DATA / "lung_at_risk.csv", "--total-events", "Male=112,Female=53", "--out", out, "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["columns"] == ["time", "event", "curve"]
    assert {c["curve"]: (c["n"], c["events"], c["reliable"]) for c in doc["curves"]} == \
        {"Male": (138, 112, True), "Female": (90, 53, True)}
    assert all(c["notes"] for c in doc["curves"])  # the cleaning is reported
    ipd = rows(out)
    assert len(ipd) == 228 and {r["curve"] for r in ipd} == {"Male", "Female"}
    res = run("survival", "km", "--data", out, "--by", "curve", "--reference", "Male", "--json")
    assert res.exit_code == 0, res.output
    km = json.loads(res.stdout)
    assert set(km["groups"]) == {"Male", "Female"}
    for g in km["groups"].values():
        assert {"n", "events", "median", "median_lower", "median_upper", "time", "survival"} <= set(g)
    assert set(km["logrank"]) == {"chisq", "df", "p"} and km["logrank"]["df"] == 1
    hr = km["cox"]["hazard_ratios"]["Female"]["hr"]
    assert hr == pytest.approx(R[("lung", "sex", "cox_hr", "Female")], rel=0.05)
    for sex in ("Male", "Female"):
        assert km["groups"][sex]["median"] == pytest.approx(R[("lung", "sex", "median", sex)], rel=0.05)


def test_km_on_patient_data_text_and_json(tmp_path):
    res = run("survival", "km", "--data", DATA / "aml.csv", "--event", "status", "--by", "group", "--times", "12,24")
    assert res.exit_code == 0, res.output
    assert "Maintained" in res.output and "log-rank: chi-square 3.396, df 1, p = 0.065" in res.output
    assert "survival at 12: Maintained 0.909" in res.output
    res = run("survival", "km", "--data", DATA / "aml.csv", "--event", "status", "--json")
    doc = json.loads(res.stdout)
    assert "logrank" not in doc and list(doc["groups"]) == ["all"]
    assert (doc["groups"]["all"]["median"], doc["groups"]["all"]["median_lower"],
            doc["groups"]["all"]["median_upper"]) == (27, 18, 45)


def test_months_to_days_is_an_option_not_a_default(tmp_path):
    pts = tmp_path / "p.csv"
    pts.write_text("time,survival\n1,1\n1,0.9\n2,0.9\n2,0.8\n4,0.8\n")
    out = tmp_path / "ipd.csv"
    assert run("survival", "reconstruct", "--curve", pts, "--n-start", 10, "--out", out).exit_code == 0
    months = [float(r["time"]) for r in rows(out)]
    assert run("survival", "reconstruct", "--curve", pts, "--n-start", 10, "--out", out,
               "--months-to-days").exit_code == 0
    assert [float(r["time"]) for r in rows(out)] == [30 * m for m in months]
    doc = json.loads(run("survival", "km", "--data", DATA / "aml.csv", "--event", "status", "--json",
                         "--months-to-days").stdout)
    assert doc["groups"]["all"]["median"] == 27 * 30 and doc["time_unit"] == "days"


def test_without_risk_table_needs_n_start_and_says_less_reliable(tmp_path):
    out = tmp_path / "ipd.csv"
    res = run("survival", "reconstruct", "--curve", DATA / "veteran_test_points.csv", "--out", out)
    assert res.exit_code == 2 and "--n-start" in res.stderr and not out.exists()
    res = run("survival", "reconstruct", "--curve", DATA / "veteran_test_points.csv", "--n-start", 68,
              "--out", out)
    assert res.exit_code == 0 and "[less reliable]" in res.output and "less reliable" in res.output
    assert len(rows(out)) == 68


@pytest.mark.parametrize("points,risk,line,message", [
    ("", None, None, "the file is empty"),
    ("time,survival\n", None, 1, "no numbers"),
    ("time,survival\n3,0.8\n", None, 2, "only one point"),
    ("time,survival\n1,0.9\n2,0.8a\n", None, 3, "survival is not a number: '0.8a'"),
    ("time,survival\n1,0.9\n3,0.8\n", "time,n\n0,20\n6,15\n3,17\n", 4, "numbers-at-risk times must increase"),
    ("time,survival\n1,0.9\n3,0.8\n", "time,n\n0,20\n6,fifteen\n", 3, "is not a number: 'fifteen'"),
    ("time,survival\n1,0.9\n3,0.8\n", "", None, "the file is empty"),
])
def test_bad_digitised_files_fail_with_file_and_line_and_write_nothing(tmp_path, points, risk, line, message):
    pts = tmp_path / "points.csv"
    pts.write_text(points)
    args = ["survival", "reconstruct", "--curve", pts, "--out", tmp_path / "ipd.csv"]
    bad = pts
    if risk is not None:
        bad = tmp_path / "risk.csv"
        bad.write_text(risk)
        args += ["--at-risk", bad]
    else:
        args += ["--n-start", 20]
    res = run(*args)
    assert res.exit_code == 2
    where = f"{bad}:{line}: " if line else f"{bad}: "
    assert res.stderr.startswith(f"review: error: {where}"), res.stderr
    assert message in res.stderr
    assert res.stdout == ""
    assert sorted(tmp_path.iterdir()) == sorted({pts, bad})  # no ipd.csv, no temporary file


@pytest.mark.parametrize("args,message", [
    (["--total-events", "112"], "give one number per curve as LABEL=N"),
    (["--total-events", "Male=112,Other=3"], "no curve 'Other'"),
    (["--total-events", "Male=many"], "'many' for 'Male' is not a whole number"),
])
def test_per_curve_options(tmp_path, args, message):
    res = run("survival", "reconstruct", "--curve", DATA / "lung_points.csv", "--at-risk",
              DATA / "lung_at_risk.csv", "--out", tmp_path / "ipd.csv", *args)
    assert res.exit_code == 2 and message in res.stderr and not (tmp_path / "ipd.csv").exists()


def test_km_bad_data(tmp_path):
    data = tmp_path / "ipd.csv"
    data.write_text("time,event\n5,1\n7,dead?\n")
    res = run("survival", "km", "--data", data)
    assert res.exit_code == 2 and f"{data}:3: event must be 0/1" in res.stderr
    res = run("survival", "km", "--data", DATA / "aml.csv", "--by", "arm", "--event", "status")
    assert res.exit_code == 2 and "no column 'arm' for --by" in res.stderr
    res = run("survival", "km", "--data", DATA / "aml.csv", "--event", "status", "--plot", tmp_path / "km.jpg")
    assert res.exit_code == 2 and "must end in .svg or .png" in res.stderr


def test_plot_png_and_svg(tmp_path):
    png, svg = tmp_path / "km.png", tmp_path / "km.svg"
    res = run("survival", "km", "--data", DATA / "lung.csv", "--event", "status", "--by", "sex", "--plot", png)
    assert res.exit_code == 0, res.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    assert run("survival", "km", "--data", DATA / "lung.csv", "--event", "status", "--by", "sex",
               "--plot", svg).exit_code == 0
    text = svg.read_text()
    assert "Number at risk" in text and "Log-rank p = 0.0013" in text


def test_json_on_stdout_alone_in_a_real_process(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "review", "survival", "km", "--data", str(DATA / "veteran.csv"),
                           "--event", "status", "--by", "celltype", "--json"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["logrank"]["chisq"] == pytest.approx(25.4037, abs=1e-4) and doc["logrank"]["df"] == 3


def test_a_group_without_events_gives_notes_and_valid_json(tmp_path):
    data = tmp_path / "ipd.csv"
    data.write_text("time,event,arm\n1,0,A\n2,0,A\n3,0,A\n1,1,B\n2,1,B\n4,0,B\n")
    res = run("survival", "km", "--data", data, "--by", "arm", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    assert doc["groups"]["A"]["events"] == 0 and doc["groups"]["A"]["median"] is None
    assert doc["logrank"]["chisq"] == pytest.approx(2.0)  # R: survdiff gives 2 on these six
    assert any("no events in A" in n for n in doc["notes"])
    assert any(n.startswith("Cox model (lifelines)") for n in doc["notes"])
