"""meta::metaprop in Python: pool events/n per study, with subgroups.

Defaults follow meta >= 8: PLOGIT; GLMM for PLOGIT and Inverse otherwise; ML
tau^2 for GLMM and REML for Inverse; continuity increment 0.5 only for studies
with 0 or n events; Clopper-Pearson study CIs; Q-based I^2 with the
Higgins-Thompson CI; prediction interval with t(k-1) (method.predict "V").

References: meta::metaprop, meta::metagen, meta:::hetcalc (meta 8.x);
metafor::rma.uni and rma.glmm (3.8-1); see docs/pooling.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

from review.errors import BadInput
from review.pooling import glmm
from review.pooling.ci import METHODS_CI, study_ci
from review.pooling.estimators import METHODS_TAU, estimate_tau2, tau2_ci_qprofile
from review.pooling.heterogeneity import heterogeneity
from review.pooling.results import Between, MetaResult, Pooled, StudyResult, Subgroup
from review.pooling.transforms import SMS, back_transform, harmonic_mean, transform

METHODS = ("GLMM", "Inverse")
NAN = float("nan")


def validate_counts(events, n, studies: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Integer arrays of events and n, or BadInput naming the offending study."""
    ev, nn = [], []
    for name, x, m in zip(studies, events, n):
        where = f"study {name!r}"
        for label, val in (("events", x), ("n", m)):
            if val is None or (isinstance(val, float) and math.isnan(val)):
                raise BadInput(f"{label} is missing", where=where)
            if not float(val).is_integer():
                raise BadInput(f"{label} must be a whole number, got {val!r}", where=where)
        x, m = int(x), int(m)
        if x < 0:
            raise BadInput(f"events must not be negative, got {x}", where=where)
        if m < 1:
            raise BadInput(f"n must be at least 1, got {m}", where=where)
        if x > m:
            raise BadInput(f"events ({x}) exceed n ({m})", where=where)
        ev.append(x)
        nn.append(m)
    return np.asarray(ev, dtype=np.int64), np.asarray(nn, dtype=np.int64)


def _defaults(sm: str, method: str | None, method_tau: str | None) -> tuple[str, str]:
    if sm not in SMS:
        raise BadInput(f"sm must be one of {', '.join(SMS)}, got {sm!r}")
    defaulted = method is None
    method = method or ("GLMM" if sm == "PLOGIT" else "Inverse")
    if method not in METHODS:
        raise BadInput(f"method must be GLMM or Inverse, got {method!r}")
    if method == "GLMM" and sm != "PLOGIT":
        raise BadInput(f"method GLMM needs sm PLOGIT (got {sm}); use --method Inverse")
    method_tau = method_tau or ("ML" if method == "GLMM" else "REML")
    if method == "GLMM" and method_tau != "ML":
        glmm = "the GLMM, the default for PLOGIT," if defaulted else "the GLMM"
        raise BadInput(f"--tau {method_tau} needs --method Inverse ({glmm} estimates tau^2 by ML)")
    if method_tau not in METHODS_TAU:
        raise BadInput(f"tau^2 method must be one of {', '.join(METHODS_TAU)}, got {method_tau!r}")
    return method, method_tau


def _z(level: float) -> float:
    return float(stats.norm.ppf(1 - (1 - level) / 2))


def _pooled(TE: float, se: float, crit: float, sm: str, nbt, df: int | None = None) -> Pooled:
    lo, hi = TE - crit * se, TE + crit * se
    bt = back_transform(np.array([TE, lo, hi]), sm, nbt)
    return Pooled(float(TE), float(se), float(lo), float(hi), float(bt[0]), float(bt[1]), float(bt[2]), df)


def _prediction(TE: float, se: float, tau2: float, k: int, level: float, sm: str, nbt) -> Pooled | None:
    """meta >= 8 (method.predict "V"): TE +- t(k-1) sqrt(se^2 + tau^2)."""
    if k < 2 or not math.isfinite(tau2):
        return None
    crit = float(stats.t.ppf(1 - (1 - level) / 2, k - 1))
    return _pooled(TE, math.sqrt(se * se + tau2), crit, sm, nbt, k - 1)


def metaprop(
    events,
    n,
    studies: Sequence[str] | None = None,
    *,
    by: Sequence[str] | None = None,
    sm: str = "PLOGIT",
    method: str | None = None,
    method_tau: str | None = None,
    hakn: bool = False,
    level: float = 0.95,
    method_ci: str = "CP",
    incr: float = 0.5,
    method_incr: str = "only0",
) -> MetaResult:
    """Meta-analysis of single proportions, as ``meta::metaprop`` computes it.

    ``events``/``n`` per study; ``studies`` labels them (default "1".."k");
    ``by`` gives each study's subgroup: each subgroup is pooled with its own
    tau^2 and the result carries the between-subgroup Q (random and common).
    Raises BadInput naming the study for negative, missing or impossible counts.

    References: meta::metaprop (meta 8.x), metafor::rma.uni / rma.glmm.
    """
    k = len(events)
    if len(n) != k:
        raise BadInput("events and n must have the same length")
    if k == 0:
        raise BadInput("no studies to pool")
    studies = [str(s) for s in studies] if studies is not None else [str(i + 1) for i in range(k)]
    x, nn = validate_counts(events, n, studies)
    method, method_tau = _defaults(sm, method, method_tau)
    if method_ci not in METHODS_CI:
        raise BadInput(f"study CI method must be one of {', '.join(METHODS_CI)}")
    if not 0 < level < 1:
        raise BadInput(f"level must be in (0, 1), got {level}")
    opts = dict(sm=sm, method=method, method_tau=method_tau, hakn=hakn, level=level,
                method_ci=method_ci, incr=incr, method_incr=method_incr)
    overall = _analyse(x, nn, studies, **opts)
    if by is None:
        return overall
    if len(by) != k:
        raise BadInput("by must give one subgroup per study")
    groups = sorted({str(g) for g in by})
    subs = []
    for g in groups:
        idx = [i for i, b in enumerate(by) if str(b) == g]
        subs.append(Subgroup(g, _analyse(x[idx], nn[idx], [studies[i] for i in idx], **opts)))
    from dataclasses import replace

    return replace(
        overall,
        subgroups=tuple(subs),
        between=_between([s.result.random for s in subs]),
        between_common=_between([s.result.common for s in subs]),
    )


def _between(pooled: list[Pooled]) -> Between:
    """Q over subgroup estimates with a common-effect model (meta's Q.b)."""
    y = np.array([p.TE for p in pooled])
    se = np.array([p.se for p in pooled])
    ok = np.isfinite(y) & np.isfinite(se) & (se > 0)
    y, w = y[ok], 1 / se[ok] ** 2
    df = int(ok.sum()) - 1
    if df < 1:
        return Between(NAN, max(df, 0), NAN)
    mu = float(np.sum(w * y) / np.sum(w))
    Q = float(np.sum(w * (y - mu) ** 2))
    return Between(Q, df, float(stats.chi2.sf(Q, df)))


def _study_rows(x, nn, studies, te, v, w_common, w_random, method_ci, level, sm, incr, method_incr):
    lo, hi = study_ci(x, nn, method_ci, level, sm, incr, method_incr)
    rows = []
    for i, name in enumerate(studies):
        rows.append(StudyResult(
            name, int(x[i]), int(nn[i]), float(te[i]), float(math.sqrt(v[i])) if v[i] >= 0 else NAN,
            float(x[i] / nn[i]), float(lo[i]), float(hi[i]),
            None if w_common is None else float(w_common[i]),
            None if w_random is None else float(w_random[i]),
        ))
    return tuple(rows)


def _percent(w: np.ndarray, ok: np.ndarray) -> np.ndarray:
    out = np.zeros_like(w)
    out[ok] = 100 * w[ok] / np.sum(w[ok])
    return out


def _analyse(x, nn, studies, *, sm, method, method_tau, hakn, level, method_ci, incr, method_incr) -> MetaResult:
    k = len(x)
    t = transform(x, nn, sm, incr, method_incr)
    nbt = harmonic_mean(nn) if sm == "PFT" else None
    z = _z(level)
    notes: list[str] = []
    common_kw = dict(sm=sm, method=method, method_tau=method_tau, method_ci=method_ci, level=level,
                     hakn=hakn, k=k, events=int(x.sum()), n=int(nn.sum()))
    if method == "GLMM":
        return _analyse_glmm(x, nn, studies, t, z, notes, common_kw, incr, method_incr)
    ok = np.isfinite(t.TE) & np.isfinite(t.v) & (t.v > 0)
    if not ok.all():
        notes.append(f"{int((~ok).sum())} study/studies with infinite effect or variance left out of pooling (as meta does)")
    y, v = t.TE[ok], t.v[ok]
    kk = len(y)
    if kk == 0:
        raise BadInput("no study has a finite effect to pool (check incr)")
    w = 1 / v
    mu_c = float(np.sum(w * y) / np.sum(w))
    se_c = math.sqrt(1 / float(np.sum(w)))
    common = _pooled(mu_c, se_c, z, sm, nbt)
    if kk >= 2:
        fit = estimate_tau2(y, v, method_tau)
        tau2, se_tau2 = fit.tau2, fit.se_tau2
        if fit.note:
            notes.append(fit.note)
        qp = tau2_ci_qprofile(y, v, tau2, level)
        tau2_lo, tau2_hi = qp.lower, qp.upper
        Q = float(np.sum(w * (y - mu_c) ** 2))
    else:
        tau2, se_tau2, tau2_lo, tau2_hi, Q = 0.0, NAN, NAN, NAN, NAN
    ws = 1 / (v + tau2)
    mu_r = float(np.sum(ws * y) / np.sum(ws))
    se_r = math.sqrt(1 / float(np.sum(ws)))
    if hakn and kk >= 2:
        q = float(np.sum(ws * (y - mu_r) ** 2)) / (kk - 1)
        crit = float(stats.t.ppf(1 - (1 - level) / 2, kk - 1))
        random = _pooled(mu_r, math.sqrt(q / float(np.sum(ws))), crit, sm, nbt, kk - 1)
    else:
        random = _pooled(mu_r, se_r, z, sm, nbt)
    pred = _prediction(mu_r, se_r, tau2, kk, level, sm, nbt)
    het = heterogeneity(Q, kk - 1, level) if kk >= 2 else heterogeneity(NAN, 0, level)
    wc = np.zeros(k)
    wr = np.zeros(k)
    wc[ok], wr[ok] = w, ws
    rows = _study_rows(x, nn, studies, t.TE, t.v, _percent(wc, ok), _percent(wr, ok),
                       method_ci, level, sm, incr, method_incr)
    return MetaResult(
        **common_kw, studies=rows, common=common, random=random, prediction=pred,
        tau2=tau2, se_tau2=se_tau2, tau2_lower=tau2_lo, tau2_upper=tau2_hi,
        Q=het.Q, Q_df=het.df, Q_p=het.p, H=het.H, H_lower=het.H_lower, H_upper=het.H_upper,
        I2=het.I2, I2_lower=het.I2_lower, I2_upper=het.I2_upper, notes=tuple(notes),
    )


def _analyse_glmm(x, nn, studies, t, z, notes, common_kw, incr, method_incr) -> MetaResult:
    """Random-intercept logistic model (meta's method="GLMM"); no study weights."""
    k = len(x)
    level, hakn = common_kw["level"], common_kw["hakn"]
    beta_c, se_c = glmm.common_glm(x, nn)
    common = _pooled(beta_c, se_c, z, "PLOGIT", None)
    edge = (x == 0) | (x == nn)
    degenerate = k == 1 or bool(np.all(edge))
    if degenerate:
        why = ("one study" if k == 1 else "every study has 0 events" if np.all(x == 0)
               else "every study has all events" if np.all(x == nn) else "every study has 0 or all events")
        notes.append(f"{why}: GLMM falls back to the common-effect model, as meta does")
        random, tau2, pred = common, 0.0, None
    else:
        fit = glmm.fit_glmm(x, nn)
        tau2 = fit.tau2
        if not math.isfinite(fit.se):
            notes.append("GLMM Hessian not positive definite: standard error not available")
        if hakn:
            crit = float(stats.t.ppf(1 - (1 - level) / 2, k - 1))
            random = _pooled(fit.beta, fit.se, crit, "PLOGIT", None, k - 1)
        else:
            random = _pooled(fit.beta, fit.se, z, "PLOGIT", None)
        pred = _prediction(fit.beta, fit.se, tau2, k, level, "PLOGIT", None)
    Q = glmm.wald_q(x, nn) if k > 1 else NAN
    het = heterogeneity(Q, k - 1, level)
    rows = _study_rows(x, nn, studies, t.TE, t.v, None, None, common_kw["method_ci"], level,
                       "PLOGIT", incr, method_incr)
    return MetaResult(
        **common_kw, studies=rows, common=common, random=random, prediction=pred,
        tau2=tau2, se_tau2=NAN, tau2_lower=NAN, tau2_upper=NAN,
        Q=het.Q, Q_df=het.df, Q_p=het.p, H=het.H, H_lower=het.H_lower, H_upper=het.H_upper,
        I2=het.I2, I2_lower=het.I2_lower, I2_upper=het.I2_upper, notes=tuple(notes),
    )
