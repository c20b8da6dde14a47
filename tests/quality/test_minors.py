"""MINORS by two reviewers: tables imported (study, item1 ... item8/12), bad
rows refused naming the line with nothing stored, blind until both
submitted, agreement (quadratic-weighted kappa per item and of the totals)
equal to the reference case E1, the adjudicator's consensus and the quality
table with totals out of 16 (or 24 for comparative studies)."""

from __future__ import annotations

import csv
import json

import pytest

from tests.extraction.seed import cli, cli_json, seed_project
from tests.quality.test_kappa import by_hand, pairs_of
from tests.screening.helpers import FT, PROTOCOL, TA, new_project, run
from tests.sources.import_helpers import dump

E1 = [[5, 2, 0], [1, 6, 2], [0, 1, 13]]     # rows QZ, columns XJZ: quadratic kappa 0.841270


def write(path, rows, items=8):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["study", *[f"item{i}" for i in range(1, items + 1)]])
        w.writerows(rows)
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("minors")
    db = seed_project(tmp, n=30)
    labels = [s["study"] for s in cli_json(db, "studies")]
    pairs = pairs_of(E1)
    qz, xjz = [], []
    for k, (label, (a, b)) in enumerate(zip(labels, pairs)):
        rest_a = [2, 2, 1, 1, 2, 1, 0]
        rest_b = list(rest_a)
        if k % 5 == 0:
            rest_b[6] = 1                          # item 8 differs in every fifth study
        qz.append([label, a, *rest_a])
        xjz.append([label, b, *rest_b])
    return db, tmp, labels, pairs, qz, xjz


def refused(db, path, words, reviewer="QZ"):
    before = dump(db)
    r = cli(db, "minors", "import", path, "--reviewer", reviewer, ok=False)
    assert r.exit_code == 2 and words in r.stderr, r.stderr
    assert dump(db) == before


def test_bad_tables_refused_naming_the_line(world, tmp_path):
    db, _tmp, labels, _pairs, qz, _xjz = world
    bad = [list(r) for r in qz[:3]]
    bad[1][4] = 3
    path = write(tmp_path / "a.csv", bad)
    refused(db, path, f"{path}:3: study '{labels[1]}', item 4 (Endpoints appropriate to the aim of the study): "
                      "a score is 0, 1 or 2, got '3'")
    bad = [list(r) for r in qz[:3]]
    bad[2][2] = ""
    path = write(tmp_path / "b.csv", bad)
    refused(db, path, f"{path}:4: study '{labels[2]}', item 2 (Inclusion of consecutive patients): no score")
    path = write(tmp_path / "c.csv", [r + [2, 2, 2, 2] for r in qz[:2]], items=12)
    refused(db, path, f"{path}:2: study '{labels[0]}', item 9 (An adequate control group): the protocol's MINORS "
                      "is for non-comparative studies")
    path = write(tmp_path / "d.csv", [["Nobody 1999", *[2] * 8]])
    refused(db, path, f"{path}:2: no study labelled 'Nobody 1999'")
    path = write(tmp_path / "e.csv", [r[:8] for r in qz[:2]], items=7)
    refused(db, path, f"{path}:1: no column for item(s) 8")
    refused(db, write(tmp_path / "f.csv", qz), "JM is an adjudicator", reviewer="JM")


@pytest.fixture(scope="module")
def scored(world):
    db, tmp, labels, pairs, qz, xjz = world
    out = {"qz": cli_json(db, "minors", "import", write(tmp / "qz.csv", qz), "--reviewer", "QZ")}
    out["xjz_sees"] = cli_json(db, "minors", "show", labels[0], "--reviewer", "XJZ")
    out["blind_agreement"] = cli_json(db, "agreement", "--tool", "minors")
    out["blind_reconcile"] = cli_json(db, "minors", "reconcile", "--adjudicator", "JM")
    out["xjz"] = cli_json(db, "minors", "import", write(tmp / "xjz.csv", xjz), "--reviewer", "XJZ")
    return out


def test_blind_until_both_submitted(world, scored):
    assert scored["qz"]["complete"] == [] and len(scored["qz"]["studies"]) == 30
    assert scored["xjz_sees"]["scores"] == {} and scored["xjz_sees"]["submitted_by"] == ["QZ"]
    assert scored["blind_agreement"]["item1"]["n"] == 0 and scored["blind_reconcile"] == []
    assert len(scored["xjz"]["complete"]) == 30


def test_weighted_kappa_per_item_and_of_the_totals(world, scored):
    db, _tmp, _labels, pairs, qz, xjz = world
    doc = cli_json(db, "agreement", "--tool", "minors")
    assert doc["raters"] == ["QZ", "XJZ"] and doc["weights"] == "quadratic"
    assert doc["item1"]["n"] == 30 and doc["item1"]["kappa_weighted"] == pytest.approx(0.841270, abs=1e-6)
    assert doc["item1"]["table"] == E1
    assert doc["item2"]["kappa_weighted"] is None and doc["item2"]["percent_agreement"] == 100   # all 2 and 2
    totals = [(sum(a[1:]), sum(b[1:])) for a, b in zip(qz, xjz)]
    assert doc["total"]["n"] == 30 and doc["total"]["out_of"] == 16
    assert doc["total"]["kappa_weighted"] == pytest.approx(by_hand(totals, 17), abs=1e-9)
    assert "item9" not in doc
    text = cli(db, "agreement", "--tool", "minors").stdout
    assert "item1   n 30   kappa 0.841" in text


def test_consensus_and_the_quality_table(world, scored, tmp_path):
    from openpyxl import load_workbook

    db, _tmp, labels, pairs, _qz, _xjz = world
    diffs = cli_json(db, "minors", "reconcile", "--adjudicator", "JM")
    want = [(labels[k], 1) for k, (a, b) in enumerate(pairs) if a != b] + [(labels[k], 8) for k in range(0, 30, 5)]
    assert sorted((d["study"], d["item"]) for d in diffs) == sorted(want)
    first = next(d for d in diffs if d["item"] == 8)
    assert first["scores"] == {"QZ": 0, "XJZ": 1} and first["title"] == "Prospective calculation of the study size"
    table = {r["study"]: r for r in cli_json(db, "minors", "table")}
    assert table[first["study"]]["total"] == "?" and table[first["study"]]["status"] == "waiting for the adjudicator"
    r = cli(db, "minors", "reconcile", "set", first["study"], 8, 5, "--adjudicator", "JM", ok=False)
    assert r.exit_code == 2 and "item 8 (Prospective calculation of the study size): a score is 0, 1 or 2" in r.stderr
    for d in diffs:
        cli(db, "minors", "reconcile", "set", d["study"], d["item"], max(d["scores"].values()), "--adjudicator",
            "JM", "--note", "the higher score: the report describes it")
    assert cli_json(db, "minors", "reconcile", "--adjudicator", "JM") == []
    table = {r["study"]: r for r in cli_json(db, "minors", "table")}
    k = labels.index(first["study"])
    assert table[first["study"]]["total"] == max(pairs[k]) + 2 + 2 + 1 + 1 + 2 + 1 + 1
    assert all(r["out of"] == 16 and r["status"] == "settled" for r in table.values())
    cli(db, "minors", "table", "--out", tmp_path / "minors.xlsx")
    ws = load_workbook(tmp_path / "minors.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("study", *[f"item{i}" for i in range(1, 9)], "total", "out of", "status")
    assert rows[1][0] == labels[0] and rows[1][-2] == 16 and isinstance(rows[1][-3], int)


def test_comparative_studies_score_twelve_items_out_of_24(tmp_path):
    db = new_project(tmp_path, n=1, protocol=PROTOCOL + "\n[quality]\ncomparative = true\n")
    for stage in (TA, FT):
        for who in ("ANA", "BEN"):
            run(db, "decide", 1, "include", "--stage", stage, user=who)
    path = write(tmp_path / "a.csv", [["Zhang W 2000", *[2] * 8]])
    r = run(db, "minors", "import", path, "--reviewer", "ANA", ok=False)
    assert "no column for item(s) 9, 10, 11, 12" in r.stderr
    for who, last in (("ANA", 2), ("BEN", 1)):
        run(db, "minors", "import", write(tmp_path / f"{who}.csv", [["Zhang W 2000", *[2] * 11, last]], items=12),
            "--reviewer", who)
    assert json.loads(run(db, "minors", "reconcile", "--json", user="CAL").stdout)[0]["item"] == 12
    run(db, "minors", "reconcile", "set", "Zhang W 2000", "12", "1", "--note", "no CIs", user="CAL")
    row = json.loads(run(db, "minors", "table", "--json").stdout)[0]
    assert (row["total"], row["out of"]) == (23, 24)
    items = json.loads(run(db, "minors", "items", "--json").stdout)
    assert len(items) == 12 and items[6]["title"] == "Loss to follow-up less than 5%"
    assert set(items[0]["guidance"]) == {"0", "1", "2"}
