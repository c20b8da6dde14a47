"""Quadratic-weighted kappa of MINORS scores against the reference cases
(tests/data/quality/weighted_kappa_cases.csv), with every category counted."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from review.quality.agreement import weighted_kappa

CASES = Path(__file__).resolve().parents[1] / "data" / "quality" / "weighted_kappa_cases.csv"


def pairs_of(table):
    return [(i, j) for i, row in enumerate(table) for j, c in enumerate(row) for _ in range(c)]


def cases():
    with CASES.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("case", cases(), ids=lambda c: c["case"])
def test_reference_cases(case):
    table = json.loads(case["table"])
    got = weighted_kappa(pairs_of(table), (0, 1, 2))
    tol = float(case["tolerance"])
    assert got["kappa_weighted"] == pytest.approx(float(case["kappa"]), abs=tol)
    if case["se"]:
        assert got["kappa_se"] == pytest.approx(float(case["se"]), abs=tol)
    assert got["n"] == sum(map(sum, table)) and got["table"] == table


def by_hand(pairs, q):
    """Cohen's weighted kappa from its definition (FACTS.md section 4), quadratic weights."""
    n = len(pairs)
    w = [[1 - (i - j) ** 2 / (q - 1) ** 2 for j in range(q)] for i in range(q)]
    p = [[sum(1 for a, b in pairs if (a, b) == (i, j)) / n for j in range(q)] for i in range(q)]
    rows = [sum(p[i]) for i in range(q)]
    cols = [sum(p[i][j] for i in range(q)) for j in range(q)]
    po = sum(w[i][j] * p[i][j] for i in range(q) for j in range(q))
    pe = sum(w[i][j] * rows[i] * cols[j] for i in range(q) for j in range(q))
    return (po - pe) / (1 - pe)


def test_absent_scores_still_count():
    """Weights follow the scores, not the scores present: totals of 10, 12 and 16
    are 2 and 4 points apart on the 0-16 scale, not one level apart as
    irr::kappa2 would weigh them (by the index of the levels present)."""
    pairs = [(10, 10), (12, 12), (16, 16), (10, 12), (12, 16), (16, 12), (12, 12), (16, 16)]
    got = weighted_kappa(pairs, range(17))["kappa_weighted"]
    assert got == pytest.approx(by_hand(pairs, 17), abs=1e-12)
    level = {10: 0, 12: 1, 16: 2}
    by_level = by_hand([(level[a], level[b]) for a, b in pairs], 3)
    assert abs(got - by_level) > 0.01


def test_undefined_and_empty():
    assert weighted_kappa([(2, 2)] * 4, (0, 1, 2))["kappa_weighted"] is None   # chance agreement 1
    assert weighted_kappa([], (0, 1, 2)) == {"n": 0, "kappa_weighted": None, "kappa_se": None,
                                             "percent_agreement": None, "table": [[0] * 3] * 3}
