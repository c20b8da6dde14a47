"""`review pool --data` end to end: JSON shape of CLI-CONTRACT.md, errors, plots."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from review.cli import main
from review.pooling import metaprop
from pooling_seed import seed_counts

CONTRACT_KEYS = {"sm", "method", "method_tau", "k", "events", "n", "common", "random", "prediction",
                 "tau2", "Q", "Q_df", "Q_p", "I2", "I2_lower", "I2_upper", "studies"}


def run(*args):
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return res


def test_json_document_has_contract_shape_and_r_numbers(seed_file):
    path = seed_file("dr")
    res = run("pool", "--data", str(path), "--events", "events", "--n", "n", "--study", "study", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert CONTRACT_KEYS <= doc.keys()
    assert (doc["sm"], doc["method"], doc["method_tau"]) == ("PLOGIT", "GLMM", "ML")
    assert (doc["k"], doc["events"], doc["n"], doc["Q_df"]) == (27, 206, 868, 26)
    assert doc["random"]["estimate"] == pytest.approx(0.192902666464716, rel=1e-4)  # R, seed_reference.json
    assert set(doc["random"]) == {"TE", "se", "estimate", "lower", "upper"}
    assert all(s["weight_common"] is None for s in doc["studies"])  # GLMM: no weights
    assert "subgroups" not in doc and "between" not in doc
    assert 0 <= doc["I2_lower"] <= doc["I2"] <= doc["I2_upper"] <= 1


def test_subgroups_and_inverse_weights_sum_to_100(seed_file):
    path = seed_file("dr", ".csv")
    res = run("pool", "--data", str(path), "--events", "events", "--n", "n", "--study", "study",
              "--by", "cancer", "--method", "Inverse", "--tau", "DL", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert [g["name"] for g in doc["subgroups"]] == ["leukemia", "lymphoma", "myeloma", "solid"]
    assert sum(g["k"] for g in doc["subgroups"]) == doc["k"] == 27
    assert doc["between"]["df"] == 3
    assert sum(s["weight_random"] for s in doc["studies"]) == pytest.approx(100)
    assert sum(s["weight_common"] for s in doc["studies"]) == pytest.approx(100)
    rows = seed_counts("dr")
    api = metaprop([r["events"] for r in rows], [r["n"] for r in rows], by=[r["cancer"] for r in rows],
                   method="Inverse", method_tau="DL")
    assert doc["between"]["Q"] == pytest.approx(api.between.Q, rel=1e-12)


def test_text_output_and_sniffed_tab_separated_file(tmp_path):
    path = tmp_path / "counts.txt"
    path.write_text("id\tx\tn\nA\t3\t11\nB\t6\t17\nC\t10\t21\nD\t1\t6\n")
    res = run("pool", "--data", str(path), "--events", "X", "--n", "N", "--study", "id",
              "--sm", "PFT", "--method", "Inverse")
    assert res.exit_code == 0, res.output
    # Miller (1978), PFT REML: 0.359522 [0.229709; 0.498994] (metaprop_reference_table.csv)
    assert "0.3595 [0.2297; 0.4990]" in res.output


@pytest.mark.parametrize("body, message", [
    ("study,events,n\nA,5,4\n", "counts.csv:2 (study 'A'): events (5) exceed n (4)"),
    ("study,events,n\nA,1,4\nB,-1,4\n", "counts.csv:3 (study 'B'): events must not be negative"),
    ("study,events,n\nA,1,4\nB,x,4\n", "counts.csv:3 (study 'B'): events is not a number"),
    ("study,events,n\nA,1,0\n", "counts.csv:2 (study 'A'): n must be at least 1"),
    ("study,events,n\nA,1.5,4\n", "counts.csv:2 (study 'A'): events must be a whole number"),
    ("study,ev,n\nA,1,4\n", "counts.csv:1: no column 'events' for --events"),
])
def test_bad_input_names_file_line_and_study(tmp_path, body, message):
    path = tmp_path / "counts.csv"
    path.write_text(body)
    res = CliRunner().invoke(main, ["pool", "--data", str(path), "--events", "events", "--n", "n",
                                    "--study", "study"])
    assert res.exit_code == 2
    assert message in res.stderr


@pytest.mark.parametrize("ext", ["svg", "png"])
def test_forest_and_funnel_files(seed_file, tmp_path, ext):
    path = seed_file("crr")
    forest, funnel = tmp_path / f"forest.{ext}", tmp_path / f"funnel.{ext}"
    res = run("pool", "--data", str(path), "--events", "events", "--n", "n", "--study", "study",
              "--by", "country", "--method", "Inverse", "--forest", str(forest), "--funnel", str(funnel))
    assert res.exit_code == 0, res.output
    for p in (forest, funnel):
        head = p.read_bytes()[:200]
        assert head.startswith(b"\x89PNG") if ext == "png" else b"<svg" in p.read_bytes()[:2000], head
    if ext == "svg":
        text = forest.read_text()
        assert "Random effects model" in text and "Shi X 2022" in text


def test_plot_extension_checked(seed_file, tmp_path):
    res = CliRunner().invoke(main, ["pool", "--data", str(seed_file("dr")), "--events", "events", "--n", "n",
                                    "--forest", str(tmp_path / "f.pdf")])
    assert res.exit_code == 2 and ".svg or .png" in res.stderr
