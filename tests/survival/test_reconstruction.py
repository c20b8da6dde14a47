"""Guyot et al. reconstruction checked on curves drawn from known patient data.

R's survival data sets (lung by sex, colon observation vs levamisole+5-FU,
veteran by treatment) were turned into Kaplan-Meier curves by R, digitised as a
person with WebPlotDigitizer would (tests/data/survival/make_digitised.py: the
corners of every step, about a pixel of noise in time and in survival,
shuffled) and given the numbers at risk R reports. Reconstructing from those
files must give back the original: the curve within 0.02, the median survival
and the Cox hazard ratio within 5%.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survival_helpers import DATA, curve_gap, r_curves
from review.errors import BadInput
from review.survival import (combined_ipd, km_analysis, read_at_risk, read_curves, read_ipd, reconstruct,
                             reconstruct_all)

ARMS = {"lung": ("sex", ["Male", "Female"]), "colon": ("rx", ["Obs", "Lev+5FU"]),
        "veteran": ("trt", ["standard", "test"])}


def _digitiser():
    spec = importlib.util.spec_from_file_location("make_digitised", DATA / "make_digitised.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def stored_reconstruction(dataset):
    """Reconstruct the stored digitised files of a data set (each in its own layout)."""
    col, arms = ARMS[dataset]
    if dataset == "veteran":
        recs = [reconstruct(read_curves(DATA / f"veteran_{a}_points.csv")[0],
                            read_at_risk(DATA / f"veteran_{a}_at_risk.csv")[""], label=a) for a in arms]
    else:
        curves = {c.label: c for c in read_curves(DATA / f"{dataset}_points.csv")}
        tables = read_at_risk(DATA / f"{dataset}_at_risk.csv", arms)
        recs = reconstruct_all([curves[a] for a in arms], tables)
    return recs


def original_and_reconstructed(dataset, recs):
    col, arms = ARMS[dataset]
    orig = read_ipd(DATA / f"{dataset}.csv", "time", "status", col)
    orig = orig[orig[col].isin(arms)]
    rec = combined_ipd(recs, label_column=col)
    return km_analysis(orig, by=col, order=arms), km_analysis(rec, by=col, order=arms)


def check_against_original(o, r, delta):
    for go, gr in zip(o.groups, r.groups):
        assert (go.name, go.n) == (gr.name, gr.n)
        gap, at = curve_gap(go, gr, delta)
        assert gap <= 0.02, f"{go.name}: reconstructed curve {gap:.4f} from the original at t = {at:g}"
        if go.median is not None:
            assert gr.median == pytest.approx(go.median, rel=0.05), go.name
        else:
            assert gr.median is None or gr.median > 0.95 * max(go.time)
    (ho,), (hr,) = o.cox, r.cox
    assert hr.hr == pytest.approx(ho.hr, rel=0.05)


@pytest.mark.parametrize("dataset", sorted(ARMS))
def test_stored_digitised_curves_give_back_the_original(dataset):
    recs = stored_reconstruction(dataset)
    for rec in recs:
        assert rec.reliable, rec.notes
        assert rec.n == rec.at_risk[0].published == len(rec.ipd)
        assert all(abs(c.published - c.reconstructed) <= 1 for c in rec.at_risk), rec.at_risk
        assert any(n.startswith("points were not in time order") for n in rec.notes)
    o, r = original_and_reconstructed(dataset, recs)
    tmax = max(max(g.time) for g in o.groups)
    # the digitiser's time error is 0.1% of the axis (1 SD): compare each time
    # with the original within 3 SD of it
    check_against_original(o, r, delta=0.003 * tmax)


@pytest.mark.parametrize("dataset", sorted(ARMS))
def test_steps_clicked_at_the_right_times_give_the_curve_within_002_at_every_time(dataset):
    """Noise in survival only: no allowance in time at all."""
    mod = _digitiser()
    col, arms = ARMS[dataset]
    curves = r_curves(dataset, col)
    risk = mod.at_risk(dataset, col)
    tmax = max(r["time"] for a in arms for r in curves[a])
    rng = np.random.default_rng(7)
    recs = []
    for a in arms:
        rows = [(r["time"], r["surv"], int(r["n.event"])) for r in curves[a]]
        pts = mod.clicks(rows, tmax, rng, sd_time_share=0.0, sd_surv=0.002)
        recs.append(reconstruct(pts, risk[a], label=a))
    o, r = original_and_reconstructed(dataset, recs)
    check_against_original(o, r, delta=0.0)


def test_total_events_are_matched_when_reported():
    curves = {c.label: c for c in read_curves(DATA / "lung_points.csv")}
    tables = read_at_risk(DATA / "lung_at_risk.csv", ["Male", "Female"])
    for arm, events in (("Male", 112), ("Female", 53)):  # R: survfit's events
        rec = reconstruct(curves[arm], tables[arm], total_events=events)
        assert rec.events == events and rec.total_events == events and rec.reliable
        assert rec.n == tables[arm].n[0]


def test_without_a_risk_table_the_initial_n_is_used_and_flagged():
    (c,) = read_curves(DATA / "veteran_test_points.csv")
    plain = reconstruct(c, None, n_start=68)
    assert not plain.reliable and plain.n == 68 and len(plain.at_risk) == 1
    assert any("less reliable" in n and "no censoring assumed" in n for n in plain.notes)
    assert plain.censored == 68 - plain.events  # nobody censored before the curve's end
    assert plain.ipd["time"][plain.ipd["event"] == 0].min() == max(c.time)
    with_total = reconstruct(c, None, n_start=68, total_events=64)  # R: 64 events
    assert with_total.events == 64 and not with_total.reliable
    assert any("match the 64 reported events" in n for n in with_total.notes)
    # the curve still follows the digitised one
    orig = read_ipd(DATA / "veteran.csv", "time", "status", "trt")
    o = km_analysis(orig[orig["trt"] == "test"])
    r = km_analysis(with_total.ipd)
    assert curve_gap(o.groups[0], r.groups[0], 0.003 * max(o.groups[0].time))[0] <= 0.03


def test_risk_times_after_the_curve_are_left_out_and_said():
    recs = stored_reconstruction("veteran")
    (note,) = [n for n in recs[0].notes if "after the curve's last point" in n]
    assert "600 (0)" in note and recs[0].at_risk[-1].time == 500


def test_ipd_rows_are_patients():
    (rec,) = [r for r in stored_reconstruction("lung") if r.label == "Female"]
    ipd = rec.ipd
    assert list(ipd.columns) == ["time", "event"]
    assert set(ipd["event"]) <= {0, 1} and ipd["time"].min() >= 0
    assert ipd["time"].is_monotonic_increasing
    assert (rec.events, rec.censored) == (int(ipd["event"].sum()), int((ipd["event"] == 0).sum()))


def test_points_as_pairs_are_cleaned_too():
    rec = reconstruct([(3, 90), (1, 100), (5, 70), (8, 70)], [(0, 10), (4, 9)], label="x")
    assert any("percent" in n for n in rec.notes)
    assert rec.n == 10 and rec.at_risk[1].reconstructed == 9


@pytest.mark.parametrize("kwargs,message", [
    ({"at_risk": [(2, 100), (6, 80)]}, "starts at time 2, not 0"),
    ({"at_risk": [(0, 100), (6, 80)], "n_start": 90}, "--n-start 90 differs from the number at risk at time 0 (100)"),
    ({"at_risk": None}, "without a numbers-at-risk table give the number of patients"),
    ({"at_risk": [(0, 10)], "total_events": 11}, "total events must be between 0 and the number of patients (10)"),
    ({"at_risk": [(0, 0)]}, "at least 1"),
])
def test_inconsistent_inputs(kwargs, message):
    with pytest.raises(BadInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        reconstruct([(0, 1), (5, 0.8), (9, 0.5)], **kwargs)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(5, 300), censor_rate=st.floats(0.0, 2.0), seed=st.integers(0, 2**32 - 1))
def test_any_curve_reconstructs_to_its_published_numbers(n, censor_rate, seed):
    """Exponential survival with uniform censoring, digitised exactly: every
    patient is kept, and each number at risk is matched within one patient."""
    from lifelines import KaplanMeierFitter

    rng = np.random.default_rng(seed)
    t_event = rng.exponential(1.0, n)
    t_cens = rng.uniform(0, 3.0 / max(censor_rate, 1e-9), n) if censor_rate > 0 else np.full(n, np.inf)
    time = np.minimum(t_event, np.minimum(t_cens, 3.0))
    event = (t_event <= np.minimum(t_cens, 3.0)).astype(int)
    km = KaplanMeierFitter().fit(time, event)
    sf = km.survival_function_.iloc[:, 0]
    pts, before = [], 1.0
    for t, s in sf.items():
        if s < before:
            pts += [(t, before), (t, s)]
            before = s
    pts.append((float(time.max()), float(sf.iloc[-1])))
    grid = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5]
    table = [(g, int((time >= g).sum())) for g in grid if g <= time.max()]
    table = [(g, m) for g, m in table if m > 0]
    if len(pts) < 2:
        return
    rec = reconstruct(pts, table)
    assert rec.n == n == len(rec.ipd)
    assert 0 <= rec.events <= n and rec.ipd["time"].max() <= time.max() + 1e-9
    assert all(abs(c.published - c.reconstructed) <= 1 for c in rec.at_risk), (rec.at_risk, rec.notes)


def test_a_small_curve_worked_by_hand():
    """10 patients, 6 at risk at t = 5; steps at 1 and 3, curve ends at 6.

    Interval [0, 5): first guess nc = round(10 x 0.8/1 - 6) = 2 censorings,
    spread at 5/3 and 10/3, so one in [1, 3) and one in [3, 5). Events: at 1,
    round(10 x (1 - 0.9)) = 1; at 3, round(8 x (1 - 0.8/0.9)) = 1; then
    10 - 1 - 1 - 1 - 1 = 6 at risk at 5, as published. Last interval: censoring
    at the earlier rate, round(2 x (6 - 5)/(3 - 0)) = 1, in [5, 6). Censored
    patients sit at the middle of their interval between points; the 5 left
    are censored at the curve's end."""
    pts = [(0, 1), (1, 1), (1, 0.9), (3, 0.9), (3, 0.8), (6, 0.8)]
    rec = reconstruct(pts, [(0, 10), (5, 6)])
    got = list(zip(rec.ipd["time"], rec.ipd["event"]))
    assert got == [(1, 1), (2, 0), (3, 1), (4, 0), (5.5, 0)] + [(6, 0)] * 5
    assert [(c.time, c.published, c.reconstructed) for c in rec.at_risk] == [(0, 10, 10), (5, 6, 6)]
    assert rec.reliable and rec.notes == ("added 1 point(s) on the curve at the numbers-at-risk times",)
