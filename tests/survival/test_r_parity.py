"""Kaplan-Meier, medians, log-rank and Cox equal R's survival 3.5-3 on the same data.

Reference values: tests/data/survival/r_*.csv, made by make_reference.R there
(survfit with conf.type "log", print.survfit medians, survdiff, coxph).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from survival_helpers import DATA, r_curves, r_summary
from review.survival import km_analysis, read_ipd
from review.survival.report import km_json

CASES = [  # (dataset, R grouping, our column, factor levels)
    ("aml", "group", "group", ["Maintained", "Nonmaintained"]),
    ("veteran", "celltype", "celltype", ["squamous", "smallcell", "adeno", "large"]),
    ("veteran", "trt", "trt", ["standard", "test"]),
    ("lung", "sex", "sex", ["Male", "Female"]),
    ("colon", "rx", "rx", ["Obs", "Lev", "Lev+5FU"]),
]
R = r_summary()


def analyse(dataset, col, levels):
    frame = read_ipd(DATA / f"{dataset}.csv", "time", "status", col)
    return km_analysis(frame, by=col, order=levels)


@pytest.mark.parametrize("dataset,by,col,levels", CASES)
def test_curves_bands_and_numbers_at_risk_equal_survfit(dataset, by, col, levels):
    res = analyse(dataset, col, levels)
    ref = r_curves(dataset, by)
    assert [g.name for g in res.groups] == levels
    for g in res.groups:
        rows = ref[g.name]
        t = np.array([r["time"] for r in rows])
        idx = np.searchsorted(g.time, t)
        assert np.array_equal(np.asarray(g.time)[idx], t)  # every R time is on our curve
        assert len(g.time) == len(t) + (0 if t[0] == 0 else 1)  # and only those (plus time 0)
        for ours, key in ((g.survival, "surv"), (g.lower, "lower"), (g.upper, "upper")):
            want = np.array([r[key] for r in rows])
            got = np.asarray(ours, dtype=float)[idx]
            assert np.array_equal(np.isnan(got), np.isnan(want)), key  # NA once S = 0, as R
            ok = ~np.isnan(want)
            np.testing.assert_allclose(got[ok], want[ok], rtol=1e-9, atol=1e-11, err_msg=key)
        assert list(np.asarray(g.at_risk)[idx]) == [int(r["n.risk"]) for r in rows]


@pytest.mark.parametrize("dataset,by,col,levels", CASES)
def test_n_events_median_and_its_ci_equal_print_survfit(dataset, by, col, levels):
    res = analyse(dataset, col, levels)
    for g in res.groups:
        assert g.n == R[(dataset, by, "n", g.name)]
        assert g.events == R[(dataset, by, "events", g.name)]
        for ours, q in ((g.median, "median"), (g.median_lower, "median_lower"), (g.median_upper, "median_upper")):
            want = R[(dataset, by, q, g.name)]
            assert (ours is None) == (want is None), (g.name, q, ours, want)
            if want is not None:
                assert ours == pytest.approx(want, abs=1e-9), (g.name, q)


@pytest.mark.parametrize("dataset,by,col,levels", CASES)
def test_logrank_equals_survdiff_and_cox_equals_coxph(dataset, by, col, levels):
    res = analyse(dataset, col, levels)
    assert res.logrank.chisq == pytest.approx(R[(dataset, by, "logrank_chisq", "")], rel=1e-8)
    assert res.logrank.df == R[(dataset, by, "logrank_df", "")]
    assert res.logrank.p == pytest.approx(R[(dataset, by, "logrank_p", "")], rel=1e-6)
    assert res.reference == levels[0]
    assert [h.group for h in res.cox] == levels[1:]
    for h in res.cox:  # R stops at eps 1e-9 on the log-likelihood: ~1e-6 apart
        assert h.hr == pytest.approx(R[(dataset, by, "cox_hr", h.group)], rel=1e-5)
        assert h.lower == pytest.approx(R[(dataset, by, "cox_lower", h.group)], rel=1e-5)
        assert h.upper == pytest.approx(R[(dataset, by, "cox_upper", h.group)], rel=1e-5)


def test_facts_anchors_for_aml_and_veteran():
    """The values FACTS.md section 5 quotes from R survival 3.5.3."""
    aml = analyse("aml", "group", ["Maintained", "Nonmaintained"])
    assert aml.logrank.chisq == pytest.approx(3.396389, abs=1e-6)
    assert aml.logrank.p == pytest.approx(0.0653, abs=1e-4)
    assert [g.median for g in aml.groups] == [31, 23]
    m, nm = aml.groups
    assert m.at(12)[0] == pytest.approx(0.9091, abs=1e-4) and nm.at(12)[0] == pytest.approx(0.5833, abs=1e-4)
    assert m.at(24)[0] == pytest.approx(0.6136, abs=1e-4) and nm.at(24)[0] == pytest.approx(0.4861, abs=1e-4)
    pooled = km_analysis(read_ipd(DATA / "aml.csv", "time", "status"))
    g = pooled.groups[0]
    assert (g.median, g.median_lower, g.median_upper) == (27, 18, 45)
    assert pooled.logrank is None and pooled.cox == ()
    vet = analyse("veteran", "celltype", None)
    assert (round(vet.logrank.chisq, 4), vet.logrank.df) == (25.4037, 3)
    assert analyse("veteran", "trt", None).logrank.chisq == pytest.approx(0.008227, abs=1e-6)


def test_survival_at_times_equals_summary_survfit():
    import csv

    res = analyse("aml", "group", ["Maintained", "Nonmaintained"])
    pooled = km_analysis(read_ipd(DATA / "aml.csv", "time", "status"))
    groups = {g.name: g for g in (*res.groups, *pooled.groups)}
    with open(DATA / "r_survival_at.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 6
    for r in rows:
        s, lo, hi, _ = groups[r["group"]].at(float(r["time"]))
        assert (s, lo, hi) == pytest.approx((float(r["surv"]), float(r["lower"]), float(r["upper"])), rel=1e-9)


def test_median_midpoint_rule_where_the_curve_sits_at_one_half():
    """veteran, test arm: S = 0.5 exactly from day 52 to 53, so R's median is 52.5
    (lifelines' own median_survival_time_ would say 52)."""
    res = analyse("veteran", "trt", ["standard", "test"])
    assert res.groups[1].median == 52.5


def test_json_has_the_contract_keys_and_no_nan():
    import json

    res = analyse("aml", "group", ["Maintained", "Nonmaintained"])
    doc = km_json(res, times=[12])
    assert set(doc) >= {"groups", "logrank"}
    for g in doc["groups"].values():
        assert {"n", "events", "median", "median_lower", "median_upper", "time", "survival"} <= set(g)
        assert len(g["time"]) == len(g["survival"])
    assert set(doc["logrank"]) == {"chisq", "df", "p"}
    assert doc["groups"]["Maintained"]["median_upper"] is None  # not reached: null, not NaN
    text = json.dumps(doc, allow_nan=False)  # raises on NaN
    assert math.isclose(doc["groups"]["Maintained"]["survival_at"][0]["survival"], 10 / 11)
    assert "NaN" not in text
