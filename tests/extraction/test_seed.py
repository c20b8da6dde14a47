"""The seed review end to end from extraction: its 32 studies, included
records of a real project, extracted by two reviewers from spreadsheets (QZ a
TSV with the seed's values, XJZ an XLSX with a few differences), the
differences reconciled by the adjudicator, the dead rate pooled to the R
reference (tests/data/seed_reference), and Tables 1 and 2 matching the input."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import pytest

from tests.extraction.seed import ADJUDICATOR, cli, cli_json, seed_project, seed_rows, write_table

REF = json.loads((Path(__file__).resolve().parents[1] / "data" / "seed_reference" / "seed_reference.json")
                 .read_text())
TOL = 0.002
# XJZ's differences from the seed's values (study, column, XJZ's value, the field it lands in)
DIFFS = [("Mailankody S 2022", "dr", "5.88", "dr"), ("Raje N 2019", "n", "34", "n"),
         ("Mei H 2021", "cancer", "leukemia", "cancer"), ("Wang Z 2021", "age_median", "60", "age")]
SETTLE = {("Mailankody S 2022", "dr"): "NA", ("Raje N 2019", "n"): "33", ("Mei H 2021", "cancer"): "myeloma",
          ("Wang Z 2021", "age"): "59 (35–70)"}


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("seed")
    db = seed_project(tmp)
    rows = seed_rows()
    qz = write_table(tmp / "qz.tsv", rows)
    xjz_rows = copy.deepcopy(rows)
    by_study = {r["study"]: r for r in xjz_rows}
    for study, col, value, _ in DIFFS:
        by_study[study][col] = value
    by_study["Lin Y 2023"]["dr"] = "6/67"      # typed as events/n: 8.955%, agrees with 8.96
    xjz = write_table(tmp / "xjz.xlsx", xjz_rows)
    steps = {"qz": cli_json(db, "extract", "import", qz, "--reviewer", "QZ"),
             "blind": cli_json(db, "reconcile", "--adjudicator", ADJUDICATOR),
             "xjz_sees": cli_json(db, "extract", "show", "Mailankody S 2022", "--reviewer", "XJZ"),
             "xjz": cli_json(db, "extract", "import", xjz, "--reviewer", "XJZ")}
    steps["differences"] = cli_json(db, "reconcile", "--adjudicator", ADJUDICATOR)
    steps["pool_before"] = cli_json(db, "pool", "--outcome", "DR")
    for (study, field), value in SETTLE.items():
        cli(db, "reconcile", "set", study, field, value, "--adjudicator", ADJUDICATOR, "--note", "checked the report")
    steps["after"] = cli_json(db, "reconcile", "--adjudicator", ADJUDICATOR)
    return db, tmp, rows, steps


def test_both_imports_store_every_study(seed):
    _db, _tmp, _rows, s = seed
    assert len(s["qz"]["studies"]) == 32 and s["qz"]["submitted"] and not s["qz"]["complete"]
    assert s["qz"]["renamed"] == {"Rajee N 2019": "Raje N 2019"}   # the reference list spells it Rajee
    assert len(s["xjz"]["complete"]) == 32


def test_blind_until_both_submitted(seed):
    _db, _tmp, _rows, s = seed
    assert s["blind"] == []                                  # nothing to compare with one reviewer in
    seen = s["xjz_sees"]
    assert seen["values"] == [] and seen["submitted_by"] == ["QZ"] and "settled" not in seen


def test_only_the_differences_go_to_the_adjudicator(seed):
    _db, _tmp, _rows, s = seed
    got = {(d["study"], d["field"]): d["values"] for d in s["differences"]}
    assert got == {
        ("Mailankody S 2022", "dr"): {"QZ": None, "XJZ": 5.88},
        ("Raje N 2019", "n"): {"QZ": 33, "XJZ": 34},
        ("Mei H 2021", "cancer"): {"QZ": "myeloma", "XJZ": "leukemia"},
        ("Wang Z 2021", "age"): {"QZ": {"high": 70, "low": 35, "median": 59},
                                 "XJZ": {"high": 70, "low": 35, "median": 60}},
    }
    assert s["after"] == []


def test_unsettled_studies_are_named_with_why(seed):
    _db, _tmp, _rows, s = seed
    left = {x["study"]: x["why"] for x in s["pool_before"]["left_out"]}
    assert left["Mailankody S 2022"] == "not yet settled: the reviewers differ on dr ('review reconcile')"
    assert left["Raje N 2019"] == "not yet settled: the reviewers differ on n ('review reconcile')"
    assert left["Xia J 2023"] == "DR not reported"
    assert s["pool_before"]["k"] == 26      # 27 report DR; Raje N 2019 waits for its n


def close(got, want, what):
    assert abs(got - want) <= TOL, f"{what}: {got} vs R {want}"


@pytest.mark.parametrize("outcome", ["dr", "orr", "crr"])
def test_pooled_settled_values_match_r(seed, outcome):
    db, _tmp, _rows, _s = seed
    doc = cli_json(db, "pool", "--outcome", outcome.upper())
    want = REF[outcome]["GLMM"]["overall"]
    assert (doc["k"], doc["events"], doc["n"]) == (want["k"], want["events"], want["n"])
    for key in ("estimate", "lower", "upper"):
        close(doc["random"][key], want[key], f"{outcome} {key}")
    close(doc["I2"], want["I2"], "I2")
    close(doc["prediction"]["lower"], want["pi_lower"], "PI lower")
    assert all(x["why"] == f"{outcome.upper()} not reported" for x in doc["left_out"])
    assert len(doc["left_out"]) == 32 - want["k"]


def test_dead_rate_by_cancer_matches_r(seed):
    db, _tmp, _rows, _s = seed
    doc = cli_json(db, "pool", "--outcome", "DR", "--by", "cancer")
    want = REF["dr"]["GLMM"]["cancer"]
    for g in doc["subgroups"]:
        w = want["subgroups"][g["name"]]
        assert (g["k"], g["events"], g["n"]) == (w["k"], w["events"], w["n"])
        close(g["random"]["estimate"], w["estimate"], g["name"])
    close(doc["between"]["Q"], want["Q_between"], "Q between")
    assert round(doc["between"]["Q"], 2) == 19.14       # the paper's chi^2_3


def test_pool_all_runs_every_analysis(seed, tmp_path):
    """Every analysis of the protocol (inverse variance here: GLMM on the safety
    outcomes takes long), then the files of one pooled outcome."""
    from review.db import open_db
    from review.extraction.pooling import Pooled, pool, project_outcome, write_pooled
    from review.project import project_protocol

    db, _tmp, _rows, _s = seed
    doc = cli_json(db, "pool", "--all", "--method", "Inverse", "--tau", "DL")
    tags = [(a["outcome"], a["by"]) for a in doc["analyses"]]
    assert tags[:3] == [("ORR", None), ("ORR", "cancer"), ("ORR", "country")] and len(tags) == 3 * 3 + 6 * 2
    dr = next(a for a in doc["analyses"] if (a["outcome"], a["by"]) == ("DR", None))
    assert (dr["method"], dr["method_tau"]) == ("Inverse", "DL")
    close(dr["random"]["estimate"], REF["dr"]["DL"]["overall"]["estimate"], "DR --all")
    assert {x["study"] for x in dr["left_out"]} == {"Mailankody S 2022", "Wang Q 2020", "Xia J 2023", "Yan Z 2019",
                                                   "Brudno JN 2024"}
    conn = open_db(db)
    try:
        protocol = project_protocol(conn)
        data = project_outcome(conn, protocol, "DR", "cancer")
        files = write_pooled([Pooled("primary", "DR", "cancer", data, pool(data), {})], tmp_path, protocol)
    finally:
        conn.close()
    assert sorted(f.name for f in files) == ["forest_DR_by_cancer.png", "forest_DR_by_cancer.svg", "pooled.csv",
                                             "pooled.json"]
    with (tmp_path / "pooled.csv").open(encoding="utf-8") as fh:
        lines = list(csv.DictReader(fh))
    assert [r["group"] for r in lines] == ["all", "leukemia", "lymphoma", "myeloma", "solid"]
    assert round(float(lines[0]["between_Q"]), 2) == 19.14 and lines[0]["left_out"] == "5"


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_tables_1_and_2_match_the_input(seed, tmp_path):
    db, _tmp, rows, _s = seed
    out = tmp_path / "tables"
    cli(db, "tables", "--out", out)
    t1, t2 = read_csv(out / "table1_characteristics.csv"), read_csv(out / "table2_outcomes.csv")
    assert t1[0] == ["Study", "Cases", "Vector", "Age, median (range)", "Phase", "Female", "Male",
                     "Tumour type (as reported)", "Cancer group", "Country"]
    assert t2[0] == ["Study", "ORR", "CRR", "DR", "CY", "NE", "AN", "TH", "G3", "NEU"]
    assert [r[0] for r in t1[1:-1]] == [r["study"] for r in rows]   # the seed's order
    for line, seed_row in zip(t1[1:-1], rows):
        want_age = "NA" if seed_row["age_median"] == seed_row["age_range"] == "NA" else \
            f"{seed_row['age_median']} ({seed_row['age_range']})"
        assert line[1:] == [seed_row["n"], seed_row["vector"], want_age, seed_row["phase"], seed_row["female"],
                            seed_row["male"], seed_row["tumor"], seed_row["cancer"], seed_row["country"]], line[0]
    for line, seed_row in zip(t2[1:-1], rows):
        for got, col in zip(line[1:], ["orr", "crr", "dr", "cy", "ne", "an", "th", "g3", "neu"]):
            want = seed_row[col]
            assert got == "NA" if want == "NA" else float(got) == pytest.approx(float(want)), (line[0], col)
    assert t1[-1][:2] == ["Total (32 studies)", "978"]                  # the paper's total 978 cases
    assert t2[-1][3] == "23.73" and t2[-1][8:] == ["20.35", "13.03"]    # the paper's DR, G3, NEU averages


def test_tables_looked_at_in_markdown_and_xlsx(seed, tmp_path):
    from openpyxl import load_workbook

    db, _tmp, rows, _s = seed
    cli(db, "tables", "--out", tmp_path)
    md = (tmp_path / "table2_outcomes.md").read_text(encoding="utf-8").splitlines()
    assert md[0] == "**Table 2. Outcomes of the included studies**"
    assert md[2] == "| Study | ORR | CRR | DR | CY | NE | AN | TH | G3 | NEU |"
    assert "| Mailankody S 2022 | 71.00 | 35.00 | NA | 100.00 | 100.00 | 88.00 | 88.00 | 6.00 | 6.00 |" in md
    wb = load_workbook(tmp_path / "tables.xlsx")
    assert wb.sheetnames == ["Table 1", "Table 2"]
    t1 = [list(r) for r in wb["Table 1"].iter_rows(values_only=True)]
    assert t1[0][:3] == ("Study", "Cases", "Vector") or t1[0][:3] == ["Study", "Cases", "Vector"]
    assert [r[0] for r in t1[1:33]] == [r["study"] for r in rows]
    yan = next(r for r in t1 if r[0] == "Yan Z 2019")
    assert yan[3] == "NA (18–69)" and yan[5] == "NA"
    assert any(r[0] == "NA: not reported." for r in t1)


def test_settled_export_round_trips(seed, tmp_path):
    db, _tmp, rows, _s = seed
    text = cli(db, "extract", "export").stdout
    got = {r["study"]: r for r in csv.DictReader(io.StringIO(text))}
    assert len(got) == 32 and got["Raje N 2019"]["n"] == "33" and got["Mailankody S 2022"]["dr"] == "NA"
    assert got["Lin Y 2023"]["dr"] == "8.96" and got["Wang Z 2021"]["age"] == "59 (35–70)"
    assert got["Mailankody S 2022"]["doi"] == "10.1056/NEJMoa2209900"
    cli(db, "extract", "export", "--out", tmp_path / "settled.xlsx")
    import pandas as pd

    df = pd.read_excel(tmp_path / "settled.xlsx", dtype=str, keep_default_na=False)
    assert list(df["study"]) == [r["study"] for r in rows] and df.loc[df.study == "Pan J 2023", "age"].item() == "NA"
