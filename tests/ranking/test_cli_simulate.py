"""`review simulate` as the CLI contract states it, through real processes."""

import json
import subprocess
import sys

import pytest

from tests.ranking.conftest import write_labelled


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "review", "simulate", *args], capture_output=True, text=True,
                          cwd=cwd)


@pytest.fixture(scope="module")
def labelled(synthetic, tmp_path_factory):
    docs, labels = synthetic
    path = write_labelled(tmp_path_factory.mktemp("cli") / "labelled.csv", docs, labels)
    rel = [d.id for d in docs if labels[d.id]]
    irr = [d.id for d in docs if not labels[d.id]]
    return path, labels, rel, irr


def test_simulate_writes_order_curve_plot_and_json(labelled, tmp_path):
    path, labels, rel, irr = labelled
    out, curve, plot = tmp_path / "order.csv", tmp_path / "curve.csv", tmp_path / "curve.png"
    r = run("--data", str(path), "--prior", f"{rel[0]},{irr[0]}", "--seed", "3", "--out", str(out),
            "--curve", str(curve), "--plot", str(plot), "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    lines = out.read_text().splitlines()
    assert lines[0] == "record_id"
    order = lines[1:]
    assert sorted(order) == sorted(labels) and len(order) == len(set(order))
    assert order[:2] == [rel[0], irr[0]]
    assert doc["prior"] == [rel[0], irr[0]] and doc["records"] == len(labels)
    assert doc["relevant"] == sum(labels.values())
    for key in ("wss_95", "wss_95_insights", "recall_at_10", "atd", "erf_10"):
        assert isinstance(doc[key], float)
    assert "Cohen" in doc["wss_definition"]
    rows = [line.split(",") for line in curve.read_text().splitlines()[1:]]
    found = [int(r[3]) for r in rows]
    assert [r[1] for r in rows] == order
    assert found == sorted(found) and found[-1] == sum(labels.values())
    assert plot.read_bytes()[:4] == b"\x89PNG"

    again = tmp_path / "again.csv"
    r2 = run("--data", str(path), "--prior", f"{rel[0]},{irr[0]}", "--seed", "3", "--out", str(again))
    assert r2.returncode == 0
    assert again.read_text() == out.read_text()
    assert "WSS@95" in r2.stdout and "Cohen 2006" in r2.stdout and "recall@10%" in r2.stdout
    assert "ATD" in r2.stdout


@pytest.mark.parametrize(
    "content, prior, message",
    [
        ("record_id,title,included\n1,a,1\n", None, "labelled.csv:1: missing column abstract"),
        ("record_id,title,abstract,included\n1,a,b,1\n2,c,d,0.5\n", None,
         "labelled.csv:3: included must be 0 or 1, got '0.5'"),
        ("record_id,title,abstract,included\n1,a,b,1\n2,c,d,0\n2,e,f,0\n", None,
         "labelled.csv:4: duplicate record_id '2' (first on line 3)"),
        ("record_id,title,abstract,included\n1,a,b,1\n2,c,d,0\n", "1,9", "unknown prior record '9'"),
        ("record_id,title,abstract,included\n1,a,b,1\n2,c,d,0\n3,e,f,0\n", "2,3", "no relevant prior"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(tmp_path, content, prior, message):
    data = tmp_path / "labelled.csv"
    data.write_text(content, encoding="utf-8")
    out = tmp_path / "order.csv"
    args = ["--data", str(data), "--out", str(out), "--curve", str(tmp_path / "c.csv")]
    if prior:
        args += ["--prior", prior]
    r = run(*args)
    assert r.returncode == 2
    assert message in r.stderr, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["labelled.csv"]


def test_bad_plot_name_and_missing_file(tmp_path, labelled):
    path = labelled[0]
    r = run("--data", str(path), "--out", str(tmp_path / "o.csv"), "--plot", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and "must end in .png or .svg" in r.stderr
    r = run("--data", str(tmp_path / "none.csv"), "--out", str(tmp_path / "o.csv"))
    assert r.returncode == 2 and "none.csv" in r.stderr
    assert list(tmp_path.iterdir()) == []
