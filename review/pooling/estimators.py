"""Between-study variance tau^2: DL, HE, SJ, PM, ML, REML, and its Q-profile CI.

Each estimator follows metafor::rma.uni step for step (same starting values,
Fisher scoring with step halving, the same ``uniroot`` search and tolerances),
so results agree with R to rounding rather than to an optimiser's tolerance.
Moderators are supported through a design matrix ``X`` (default: intercept).
tau^2 is clamped at 0.

References: metafor::rma.uni (3.8-1) and metafor::confint.rma.uni (type "QP");
DerSimonian & Laird (1986); Hedges (1983); Sidik & Jonkman (2005);
Paule & Mandel (1982); Viechtbauer (2005, 2007).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from review.pooling.rootfind import R_UNIROOT_TOL, uniroot

METHODS_TAU = ("DL", "REML", "PM", "ML", "HE", "SJ")
#: metafor's ``threshold``: Fisher scoring stops when tau^2 changes by less.
FISHER_THRESHOLD = 1e-5
#: metafor's ``maxiter`` for Fisher scoring and the PM root search.
MAXITER = 100


@dataclass(frozen=True)
class Tau2Fit:
    """A tau^2 estimate with metafor's standard error and how it was reached."""

    method: str
    tau2: float
    se_tau2: float
    iterations: int = 0
    note: str | None = None


@dataclass(frozen=True)
class Tau2CI:
    """Q-profile confidence limits for tau^2 (``note`` says when one is a bound)."""

    lower: float
    upper: float
    note: str | None = None


def design(k: int, X=None) -> np.ndarray:
    """The k x p design matrix (an intercept column when X is None)."""
    return np.ones((k, 1)) if X is None else np.asarray(X, float).reshape(k, -1)


class _WLS:
    """Weighted least squares pieces and the traces of metafor's P matrix.

    P = W - W X (X'WX)^-1 X'W, computed without forming the k x k matrix.
    """

    def __init__(self, y: np.ndarray, w: np.ndarray, X: np.ndarray):
        self.y, self.w, self.X = y, w, X
        self.B = w[:, None] * X
        self.A = X.T @ self.B
        self.C = np.linalg.inv(self.A)
        self.beta = self.C @ (self.B.T @ y)
        self.r = y - X @ self.beta
        self.Py = w * self.r
        self.rss = float(np.sum(w * self.r**2))

    def trP(self) -> float:
        return float(self.w.sum() - np.trace(self.C @ (self.B.T @ self.B)))

    def trPP(self) -> float:
        BB = self.B.T @ self.B
        CBB = self.C @ BB
        return float(
            np.sum(self.w**2)
            - 2 * np.trace(self.C @ (self.B.T @ (self.w[:, None] * self.B)))
            + np.trace(CBB @ CBB)
        )

    def trPD(self, d) -> float:
        return float(np.sum(self.w * d) - np.trace(self.C @ (self.B.T @ (d[:, None] * self.B))))

    def trPDPD(self, d) -> float:
        B, C, w = self.B, self.C, self.w
        CBDB = C @ (B.T @ (d[:, None] * B))
        return float(
            np.sum(w**2 * d**2)
            - 2 * np.trace(C @ (B.T @ ((d * w * d)[:, None] * B)))
            + np.trace(CBDB @ CBDB)
        )

    def trPDP(self, d) -> float:
        B, C, w = self.B, self.C, self.w
        return float(
            np.sum(w**2 * d)
            - 2 * np.trace(C @ (B.T @ ((w * d)[:, None] * B)))
            + np.trace((C @ (B.T @ (d[:, None] * B))) @ (C @ (B.T @ B)))
        )

    def logdetA(self) -> float:
        return float(np.linalg.slogdet(self.A)[1])


def q_of_tau2(tau2: float, y, v, X) -> float:
    """Generalised Q: sum of w (y - fit)^2 with w = 1/(v + tau^2) (metafor .QE.func)."""
    return _WLS(y, 1 / (v + tau2), X).rss


def _r_mad(y) -> float:
    med = np.median(y)
    return float(1.4826 * np.median(np.abs(y - med)))


def tau2_he(y, v, X) -> Tau2Fit:
    k, p = X.shape
    ols = _WLS(y, np.ones(k), X)
    trPV = ols.trPD(v)
    tau2 = (ols.rss - trPV) / (k - p)
    t = max(tau2, 0.0)
    se = math.sqrt(max(ols.trPDPD(v) * 2 + 4 * t * trPV + 2 * t**2 * (k - p), 0) / (k - p) ** 2)
    return Tau2Fit("HE", max(0.0, tau2), se)


def tau2_dl(y, v, X) -> Tau2Fit:
    k, p = X.shape
    fe = _WLS(y, 1 / v, X)
    trP = fe.trP()
    tau2 = max(0.0, (fe.rss - (k - p)) / trP)
    se = math.sqrt((2 * (k - p) + 4 * tau2 * trP + 2 * tau2**2 * fe.trPP()) / trP**2)
    return Tau2Fit("DL", tau2, se)


def tau2_sj(y, v, X) -> Tau2Fit:
    k, p = X.shape
    tau0 = float(np.mean((y - y.mean()) ** 2))
    fit = _WLS(y, 1 / (v + tau0), X)
    tau2 = max(0.0, tau0 * fit.rss / (k - p))
    se2 = (tau0**2 / (k - p) ** 2) * (
        2 * fit.trPDPD(v) + 4 * tau2 * fit.trPDP(v) + 2 * tau2**2 * fit.trPP()
    )
    return Tau2Fit("SJ", tau2, math.sqrt(max(se2, 0.0)))


def tau2_pm(y, v, X) -> Tau2Fit:
    k, p = X.shape
    target = k - p
    tau2_max = max(100.0, 10 * _r_mad(y) ** 2)
    if q_of_tau2(0.0, y, v, X) < target:
        tau2 = 0.0
    elif q_of_tau2(tau2_max, y, v, X) > target:
        raise ValueError("Paule-Mandel: tau^2 above the search interval (metafor's tau2.max)")
    else:
        tau2 = uniroot(
            lambda t: q_of_tau2(t, y, v, X) - target, 0.0, tau2_max, tol=R_UNIROOT_TOL, maxiter=MAXITER
        )
    w = 1 / (v + tau2)
    se = math.sqrt(2 * k**2 / (k - p) / np.sum(w) ** 2)
    return Tau2Fit("PM", max(0.0, tau2), se)


def _loglik(y, v, X, tau2: float, reml: bool) -> float:
    k, p = X.shape
    fit = _WLS(y, 1 / (v + tau2), X)
    if reml:
        return -0.5 * (k - p) * math.log(2 * math.pi) - 0.5 * np.sum(np.log(v + tau2)) - 0.5 * fit.logdetA() - 0.5 * fit.rss
    return -0.5 * k * math.log(2 * math.pi) - 0.5 * np.sum(np.log(v + tau2)) - 0.5 * fit.rss


def tau2_fisher(y, v, X, method: str) -> Tau2Fit:
    """ML or REML by Fisher scoring from max(0, HE), as metafor does (with ll0check)."""
    reml = method == "REML"
    tau2 = max(0.0, tau2_he(y, v, X).tau2)
    change, it = FISHER_THRESHOLD + 1, 0
    while change > FISHER_THRESHOLD:
        it += 1
        old = tau2
        fit = _WLS(y, 1 / (v + tau2), X)
        if reml:
            adj = (float(fit.Py @ fit.Py) - fit.trP()) / fit.trPP()
        else:
            adj = (float(fit.Py @ fit.Py) - fit.w.sum()) / float(np.sum(fit.w**2))
        if not math.isfinite(adj):
            adj = 0.0
        while tau2 + adj < 0:
            adj /= 2
        tau2 = tau2 + adj
        change = abs(old - tau2)
        if it > MAXITER:
            raise ValueError("Fisher scoring did not converge (metafor would stop here too)")
    note = None
    if _loglik(y, v, X, 0.0, reml) - _loglik(y, v, X, tau2, reml) > R_UNIROOT_TOL and tau2 > FISHER_THRESHOLD:
        note = "Fisher scoring may have stopped at a local maximum: tau^2 set to 0 (metafor ll0check)"
        tau2 = 0.0
    tau2 = max(0.0, tau2)
    fit = _WLS(y, 1 / (v + tau2), X)
    se = math.sqrt(2 / fit.trPP()) if reml else math.sqrt(2 / float(np.sum(fit.w**2)))
    return Tau2Fit(method, tau2, se, it, note)


def estimate_tau2(y, v, method: str = "REML", X=None) -> Tau2Fit:
    """tau^2 by ``method`` (DL, REML, PM, ML, HE, SJ), clamped at 0.

    With one study tau^2 is 0 (metafor's "k1"). Raises ValueError for an
    unknown method or non-positive variances.

    References: metafor::rma.uni (method=...), 3.8-1.
    """
    y = np.asarray(y, float)
    v = np.asarray(v, float)
    Xm = design(len(y), X)
    if method not in METHODS_TAU:
        raise ValueError(f"method_tau must be one of {', '.join(METHODS_TAU)}")
    if np.any(v <= 0):
        raise ValueError("sampling variances must be positive")
    if len(y) <= Xm.shape[1]:
        return Tau2Fit(method, 0.0, float("nan"))
    if method == "DL":
        return tau2_dl(y, v, Xm)
    if method == "HE":
        return tau2_he(y, v, Xm)
    if method == "SJ":
        return tau2_sj(y, v, Xm)
    if method == "PM":
        return tau2_pm(y, v, Xm)
    return tau2_fisher(y, v, Xm, method)


def tau2_ci_qprofile(y, v, tau2: float, level: float = 0.95, X=None) -> Tau2CI:
    """Q-profile confidence interval for tau^2, truncated at 0.

    Search interval [0, max(100, 10 tau^2)] and ``uniroot`` tolerance as
    metafor's confint(); a limit beyond the interval is reported as the bound.

    References: metafor::confint.rma.uni (type="QP"); Viechtbauer (2007).
    """
    y = np.asarray(y, float)
    v = np.asarray(v, float)
    Xm = design(len(y), X)
    k, p = Xm.shape
    if k - p < 1:
        return Tau2CI(float("nan"), float("nan"), "k too small")
    alpha = 1 - level
    crit_u = float(stats.chi2.isf(alpha / 2, k - p))
    crit_l = float(stats.chi2.ppf(alpha / 2, k - p))
    lo_b, hi_b = min(0.0, tau2), max(100.0, 10 * tau2)
    q_max = q_of_tau2(hi_b, y, v, Xm)
    q_min = q_of_tau2(lo_b, y, v, Xm)
    note = None

    def root(obj):
        return uniroot(lambda t: q_of_tau2(t, y, v, Xm) - obj, lo_b, hi_b, tol=R_UNIROOT_TOL, maxiter=1000)

    if q_min < crit_l:
        lb = ub = lo_b
    else:
        if q_max > crit_l:
            ub, note = hi_b, "upper limit beyond the search interval"
        else:
            ub = root(crit_l)
        if q_max > crit_u:
            lb = ub = hi_b
        elif q_min < crit_u:
            lb = lo_b
        else:
            lb = root(crit_u)
    return Tau2CI(max(0.0, lb), max(0.0, ub), note)


def typical_variance(v, X=None) -> float:
    """metafor's 'typical' within-study variance s^2 = (k-p)/tr(P) at FE weights."""
    v = np.asarray(v, float)
    Xm = design(len(v), X)
    k, p = Xm.shape
    return (k - p) / _WLS(np.zeros(k), 1 / v, Xm).trP()
