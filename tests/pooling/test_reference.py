"""Every value in the R reference (tests/data/metaprop, metafor 3.8-1 + lme4 1.1-31
with meta's rules) reproduced by review.pooling.

Tolerances (NOTES.md): relative 1e-6, except 1e-4 for Paule-Mandel (R's loose
uniroot tolerance) and for the GLMM (lme4 stops its optimiser at a tolerance);
values stored as 0 are compared with an absolute 1e-9.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from review.pooling import egger_test, metaprop
from review.pooling.ci import clopper_pearson, wilson
from review.pooling.estimators import tau2_ci_qprofile
from review.pooling.heterogeneity import i2_from_tau2
from review.pooling.transforms import back_transform, metafor_escalc, transform

DATA = Path(__file__).resolve().parents[1] / "data" / "metaprop"
REF = json.loads((DATA / "metaprop_reference.json").read_text())
DATASETS = [k for k in REF if k not in ("meta", "subgroup_pritz1997_PLOGIT_REML")]
SMS = ("PLOGIT", "PAS", "PFT", "PRAW", "PLN")
TAUS = ("DL", "REML", "PM", "ML", "HE", "SJ")
REL = 1e-6
REL_LOOSE = 1e-4
#: lme4's se comes from a finite-difference Hessian (deriv12, delta 1e-4) of a
#: deviance evaluated by PIRLS; for zeros_example (two studies with 0 events,
#: tau^2 = 5.6) that noise reaches 2e-4 in the se. Our Hessian at lme4's own
#: estimates gives the same 2e-4 difference, so it is R's noise, not our optimum.
REL_GLMM_SE_ZEROS = 5e-4
#: ... and the CI/PI limits built from that se (TE +- 1.96 x 1.58) inherit it.
REL_GLMM_LIMITS_ZEROS = 1e-3


def close(got, want, rel=REL, what=""):
    got = np.atleast_1d(np.asarray(got, float))
    want = np.atleast_1d(np.asarray([np.nan if w is None else w for w in np.atleast_1d(want)], float))
    assert got.shape == want.shape, what
    for g, w in zip(got, want):
        if math.isnan(w):
            assert math.isnan(g), f"{what}: got {g}, want NA"
        else:
            assert g == pytest.approx(w, rel=rel, abs=1e-9 if w == 0 else 1e-12), f"{what}: got {g!r}, want {w!r}"


def fit(name, sm, method="Inverse", tau=None, hakn=False):
    d = REF[name]
    return metaprop(d["event"], d["n"], sm=sm, method=method, method_tau=tau, hakn=hakn)


@pytest.mark.parametrize("name", DATASETS)
def test_study_cis(name):
    d = REF[name]
    lo, hi = clopper_pearson(d["event"], d["n"])
    close(lo, d["study_ci"]["CP_lower"], what="CP lower")
    close(hi, d["study_ci"]["CP_upper"], what="CP upper")
    lo, hi = wilson(d["event"], d["n"])
    close(lo, d["study_ci"]["WS_lower"], what="WS lower")
    close(hi, d["study_ci"]["WS_upper"], what="WS upper")
    res = metaprop(d["event"], d["n"])
    close([s.lower for s in res.studies], d["study_ci"]["CP_lower"], what="study rows use CP")


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("sm", SMS)
def test_transform_common_and_heterogeneity(name, sm):
    d, r = REF[name], REF[name][sm]
    t = transform(d["event"], d["n"], sm)
    close(t.TE, r["yi"], what="yi")
    close(t.v, r["vi"], what="vi")
    close(t.incr, r["incr"], what="incr")
    mf = metafor_escalc(d["event"], d["n"], sm)
    close(mf.TE, r["metafor_escalc"]["yi"], what="metafor yi")
    close(mf.v, r["metafor_escalc"]["vi"], what="metafor vi")
    res = fit(name, sm)
    c = r["common"]
    close([res.common.TE, res.common.se, res.common.TE_lower, res.common.TE_upper],
          [c["TE"], c["se"], c["lower"], c["upper"]], what="common")
    close([res.common.estimate, res.common.lower, res.common.upper],
          [c["prop"], c["prop.lower"], c["prop.upper"]], what="common prop")
    close([res.Q, res.Q_p], [r["Q"], r["pval.Q"]], what="Q")
    assert res.Q_df == r["df.Q"]
    close([res.I2, res.I2_lower, res.I2_upper], [r["I2_Q"][k] for k in ("I2", "lower", "upper")], what="I2")
    close([res.H, res.H_lower, res.H_upper], [r["H_Q"][k] for k in ("H", "lower", "upper")], what="H")


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("sm", SMS)
@pytest.mark.parametrize("tau", TAUS)
def test_random_effects(name, sm, tau):
    d, want = REF[name], REF[name][sm]["random"][tau]
    rel = REL_LOOSE if tau == "PM" else REL
    res = fit(name, sm, tau=tau)
    k = res.k
    close(res.tau2, want["tau2"], rel, "tau2")
    close(res.se_tau2, want["se.tau2"], rel, "se.tau2")
    close([res.random.TE, res.random.se, res.random.TE_lower, res.random.TE_upper],
          [want["TE"], want["se"], want["lower"], want["upper"]], rel, "random")
    close([res.random.estimate, res.random.lower, res.random.upper],
          [want["prop"], want["prop.lower"], want["prop.upper"]], rel, "random prop")
    # tau^2 CI by Q-profile, and metafor's tau^2-based I^2 / H^2 (not meta's)
    close([res.tau2, res.tau2_lower, res.tau2_upper],
          [want["tau2.QP"][k] for k in ("estimate", "ci.lb", "ci.ub")], rel, "tau2 QP")
    v = transform(d["event"], d["n"], sm).v
    i2 = [i2_from_tau2(t, v)[0] for t in (res.tau2, res.tau2_lower, res.tau2_upper)]
    close(i2, [want["I2.QP_pct"][k] for k in ("estimate", "ci.lb", "ci.ub")], rel, "I2 QP")
    close(i2_from_tau2(res.tau2, v), [want["I2_metafor_pct"], want["H2_metafor"]], rel, "metafor I2/H2")
    # meta >= 8 prediction interval, t(k-1), on both scales
    p = res.prediction
    close([p.TE_lower, p.TE_upper], want["PI_meta_t_km1"], rel, "PI")
    close([p.lower, p.upper], want["PI_meta_t_km1_prop"], rel, "PI prop")
    # the alternatives NOTES.md contrasts: t(k-2) (meta <= 7), z (metafor)
    s = math.sqrt(res.random.se**2 + res.tau2)
    for key, crit in (("PI_meta7_t_km2", stats.t.ppf(0.975, k - 2)), ("PI_metafor_z", stats.norm.ppf(0.975))):
        close([res.random.TE - crit * s, res.random.TE + crit * s], want[key], rel, key)
    # Hartung-Knapp
    hk = fit(name, sm, tau=tau, hakn=True)
    h = want["HK"]
    assert hk.random.df == h["df"]
    close([hk.random.se, hk.random.TE_lower, hk.random.TE_upper], [h["se"], h["lower"], h["upper"]], rel, "HK")
    close([hk.random.lower, hk.random.upper], [h["prop.lower"], h["prop.upper"]], rel, "HK prop")
    s_hk = math.sqrt(hk.random.se**2 + hk.tau2)
    crit = stats.t.ppf(0.975, k - 1)
    close([hk.random.TE - crit * s_hk, hk.random.TE + crit * s_hk], want["PI_metafor_knha_t_km1"], rel, "PI knha")
    # the HK option leaves the prediction interval on the classic se (meta's "V")
    close([hk.prediction.TE_lower, hk.prediction.TE_upper], want["PI_meta_t_km1"], rel, "PI under HK")


@pytest.mark.parametrize("name", DATASETS)
def test_glmm(name):
    g = REF[name]["GLMM"]
    d = REF[name]
    res = metaprop(d["event"], d["n"])  # defaults: PLOGIT, GLMM, ML
    assert (res.method, res.method_tau) == ("GLMM", "ML")
    c, r = g["common"], g["random"]
    close([res.common.TE, res.common.se, res.common.TE_lower, res.common.TE_upper, res.common.estimate],
          [c["TE"], c["se"], c["lower"], c["upper"], c["prop"]], what="glm common")
    close([res.random.TE, res.tau2], [r["TE"], r["tau2"]], REL_LOOSE, "GLMM beta, tau2")
    se_rel = REL_GLMM_SE_ZEROS if name == "zeros_example" else REL_LOOSE
    close(res.random.se, r["se"], se_rel, "GLMM se")
    lim_rel = REL_GLMM_LIMITS_ZEROS if name == "zeros_example" else REL_LOOSE
    close(res.random.estimate, r["prop"], REL_LOOSE, "GLMM prop")
    close([res.random.TE_lower, res.random.TE_upper, res.random.lower, res.random.upper],
          [r["lower"], r["upper"], r["prop.lower"], r["prop.upper"]], lim_rel, "GLMM CI")
    close(res.Q, g["QE.Wld"], REL_LOOSE, "Wald Q")
    assert res.Q_df == g["df"]
    close([res.I2, res.I2_lower, res.I2_upper], [g["I2_Q_Wald"][k] for k in ("I2", "lower", "upper")],
          REL_LOOSE, "I2 from Wald Q")
    close([res.prediction.lower, res.prediction.upper], g["PI_meta_t_km1_prop"],
          lim_rel, "GLMM PI")
    assert all(s.weight_common is None and s.weight_random is None for s in res.studies)


@pytest.mark.parametrize("name", [k for k in DATASETS if "egger_PLOGIT" in REF[k]])
def test_egger(name):
    d, e = REF[name], REF[name]["egger_PLOGIT"]
    res = egger_test(d["event"], d["n"])
    close([res.t, res.p, res.bias, res.se_bias], [e["t"], e["p"], e["bias"], e["se.bias"]], what="Egger")
    assert res.df == e["df"]


def test_subgroups_each_with_own_tau2():
    ref = REF["subgroup_pritz1997_PLOGIT_REML"]
    d = REF["pritz1997"]
    by = ["A"] * 7 + ["B"] * 7
    res = metaprop(d["event"], d["n"], by=by, method="Inverse", method_tau="REML")
    for sg in res.subgroups:
        want = ref["per_group"][sg.name]
        r = sg.result
        close([r.common.TE, r.common.se, r.random.TE, r.random.se, r.tau2, r.Q],
              [want[k] for k in ("TE.fe", "se.fe", "TE.re", "se.re", "tau2", "Q")], what=sg.name)
    close(res.between.Q, ref["Q.b.random"], what="Q.b random")
    close(res.between.p, ref["p.random"], what="p random")
    close(res.between_common.Q, ref["Q.b.common"], what="Q.b common")
    close(res.between_common.p, ref["p.common"], what="p common")
    assert res.between.df == ref["df"]


TABLE = list(csv.DictReader((DATA / "metaprop_reference_table.csv").open()))
# The table is rounded to 6 significant digits: allow half a unit in the 6th.
REL_TABLE = 5e-6


@pytest.mark.parametrize("row", TABLE, ids=[f"{r['dataset']}-{r['sm']}-{r['model']}" for r in TABLE])
def test_table_rows(row):
    d = REF[row["dataset"]]
    model = row["model"]
    if model == "GLMM":
        res = metaprop(d["event"], d["n"])
        est, rel = res.random, REL_GLMM_LIMITS_ZEROS if row["dataset"] == "zeros_example" else REL_LOOSE
    elif model == "FE":
        res = metaprop(d["event"], d["n"], sm=row["sm"], method="Inverse")
        est, rel = res.common, REL_TABLE
    else:
        res = metaprop(d["event"], d["n"], sm=row["sm"], method="Inverse", method_tau=model)
        est, rel = res.random, (1e-4 if model == "PM" else REL_TABLE)
    hk = metaprop(d["event"], d["n"], sm=row["sm"], method=res.method, method_tau=res.method_tau, hakn=True)
    got = {
        "TE": est.TE, "se": est.se, "lower": est.TE_lower, "upper": est.TE_upper,
        "tau2": 0.0 if model == "FE" else res.tau2, "Q": res.Q, "I2": res.I2, "I2_lo": res.I2_lower,
        "I2_hi": res.I2_upper, "prop": est.estimate, "prop_lo": est.lower, "prop_hi": est.upper,
    }
    if model != "FE":
        got.update(PI_lo=res.prediction.lower, PI_hi=res.prediction.upper)
        if model != "GLMM":
            got.update(HK_lo=hk.random.lower, HK_hi=hk.random.upper)
    for key, val in got.items():
        want = row[key]
        if want == "":
            continue
        close(val, float(want), rel if key not in ("Q", "I2", "I2_lo", "I2_hi") or model != "GLMM" else 1e-4,
              f"{row['dataset']} {row['sm']} {model} {key}")


def test_pft_back_transform_uses_harmonic_mean():
    d = REF["miller1978"]
    res = metaprop(d["event"], d["n"], sm="PFT", method="Inverse")
    hm = REF["miller1978"]["harmonic_mean_n"]
    assert back_transform(res.common.TE, "PFT", hm) == pytest.approx(res.common.estimate, rel=1e-7)
    assert res.common.estimate != pytest.approx(back_transform(res.common.TE, "PFT", 20), rel=1e-3)


def test_qprofile_matches_helper():
    d = REF["pritz1997"]
    t = transform(d["event"], d["n"], "PLOGIT")
    res = metaprop(d["event"], d["n"], method="Inverse")
    ci = tau2_ci_qprofile(t.TE, t.v, res.tau2)
    assert (ci.lower, ci.upper) == (res.tau2_lower, res.tau2_upper)
