"""Agreement statistics equal the reference cases (tests/data/screening/,
from statsmodels' SAS example, Gwet's table and the screening prevalence
paradox), both from a table and end to end from decisions in a project."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from review.db import open_db
from review.project import project_protocol
from review.screening.agreement import from_table
from review.screening.decisions import decide
from tests.screening.helpers import TA, new_project, run_json

CASES = Path(__file__).resolve().parents[1] / "data" / "screening" / "agreement_reference_cases.csv"

# statistic (as the reference file names it, by prefix) -> our fields, in the order of its values
FIELDS = [
    ("cohen_kappa (po=0.86", ("kappa", "kappa_se", "kappa_se0")),
    ("cohen_kappa", ("kappa",)),
    ("ASE (Fleiss", ("kappa_se",)),
    ("95% CI", ("kappa_ci",)),
    ("SE under H0", ("kappa_se0",)),
    ("z = kappa/SE0", ("kappa_z",)),
    ("kappa ASE / SE0 / 95% CI", ("kappa_se", "kappa_se0", "kappa_ci")),
    ("PABAK", ("pabak",)),
    ("gwet_ac1 (pe=0.314722) SE", ("ac1", "ac1_se")),
    ("gwet_ac1", ("ac1",)),
]


def reference_rows():
    tables, out = {}, []
    with CASES.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["input"] != "same":
                tables[row["case"]] = json.loads(row["input"])
            fields = next((fs for prefix, fs in FIELDS if row["statistic"].startswith(prefix)), None)
            if fields is None:
                continue   # weighted kappa, AC2, Krippendorff's alpha: not screening statistics
            values = [v.strip() for v in row["expected"].split("/")]
            for name, v in zip(fields, values):
                expected = [float(x) for x in v.split(";")]
                out.append(pytest.param(tables[row["case"]], name, expected, float(row["tolerance"]),
                                        id=f"{row['case']}-{name}"))
    return out


@pytest.mark.parametrize("table,name,expected,tol", reference_rows())
def test_statistics_equal_the_reference_cases(table, name, expected, tol):
    got = getattr(from_table(table), name)
    got = list(got) if isinstance(got, tuple) else [got]
    assert got == pytest.approx(expected, abs=tol)


def test_the_reference_file_is_read_whole():
    """Every statistic we report is checked on the cases that state it."""
    ids = {p.id for p in reference_rows()}
    assert {"E2_screening_paradox-" + n for n in ("kappa", "kappa_se", "kappa_se0", "pabak", "ac1")} <= ids
    assert {"SAS_table10-" + n for n in ("kappa", "kappa_se", "kappa_ci", "kappa_se0", "kappa_z")} <= ids
    assert {"Gwet_cont3x3abstractors-" + n for n in ("kappa", "ac1", "pabak")} <= ids
    assert {"E1_minors_0_1_2-" + n for n in ("kappa", "kappa_ci", "pabak", "ac1", "ac1_se")} <= ids


def test_kappa_is_undefined_when_both_used_one_category():
    a = from_table([[5, 0], [0, 0]], ("include", "exclude"))
    assert a.kappa is None and a.percent_agreement == 100 and a.pabak == 1 and a.ac1 == 1


def project_with_table(tmp_path, table, categories):
    n = sum(map(sum, table))
    db = new_project(tmp_path, n=n)
    conn = open_db(db)
    protocol = project_protocol(conn)
    rec = 1
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            for _ in range(count):
                for who, d in (("ANA", categories[i]), ("BEN", categories[j])):
                    decide(conn, protocol, rec, d, reviewer=who, stage=TA,
                           reason="wrong population" if d == "exclude" else None)
                rec += 1
    conn.close()
    return db


def test_review_agreement_reproduces_the_screening_paradox(tmp_path):
    """E2: 40 both include, 3 + 4 discordant, 3 both exclude: kappa is low
    though 86% agree (prevalence); PABAK and AC1 are high."""
    db = project_with_table(tmp_path, [[40, 3], [4, 3]], ("include", "exclude"))
    got = run_json(db, "agreement", "--stage", TA)[TA]
    assert got["n"] == 50 and got["categories"] == ["include", "exclude"] and got["raters"] == ["ANA", "BEN"]
    assert got["percent_agreement"] == pytest.approx(86.0)
    assert got["kappa"] == pytest.approx(0.381625, abs=1e-6)
    assert got["kappa_se"] == pytest.approx(0.188190, abs=1e-6)
    assert got["pabak"] == pytest.approx(0.72, abs=1e-9)
    assert got["ac1"] == pytest.approx(0.819075, abs=1e-6)


def test_review_agreement_with_maybe_as_a_category(tmp_path):
    """Gwet's 3x3 table with include / exclude / maybe as the three categories."""
    db = project_with_table(tmp_path, [[13, 0, 0], [0, 20, 7], [0, 4, 56]], ("include", "exclude", "maybe"))
    got = run_json(db, "agreement")[TA]
    assert got["table"] == [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
    assert got["kappa"] == pytest.approx(0.796409, abs=1e-6)
    assert got["ac1"] == pytest.approx(0.849331, abs=1e-6) and got["ac1_se"] == pytest.approx(0.04322, abs=1e-5)
    assert got["pabak"] == pytest.approx(0.835, abs=1e-6)
