"""Confidence intervals for a single study's proportion.

References: meta::metaprop (method.ci), meta:::ciWilsonScore,
meta:::ciAgrestiCoull, meta:::ciSimpleAsymptotic, stats::binom.test;
Newcombe (1998) Stat Med 17:857.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

from review.pooling.transforms import back_transform, transform

METHODS_CI = ("CP", "WS", "WSCC", "AC", "SA", "SACC", "NAsm")


def _z(level: float) -> float:
    return float(stats.norm.ppf(1 - (1 - level) / 2))


def clopper_pearson(x, n, level: float = 0.95):
    """Exact (Clopper-Pearson) interval, as ``binom.test(x, n)$conf.int``."""
    x = np.asarray(x, float)
    n = np.asarray(n, float)
    a = (1 - level) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        lo = np.where(x == 0, 0.0, special.betaincinv(np.maximum(x, 1e-300), n - x + 1, a))
        hi = np.where(x == n, 1.0, special.betaincinv(x + 1, np.maximum(n - x, 1e-300), 1 - a))
    return lo, hi


def wilson(x, n, level: float = 0.95, correct: bool = False):
    """Wilson score interval, optionally with continuity correction (WSCC)."""
    x = np.asarray(x, float)
    n = np.asarray(n, float)
    z = _z(level)
    p = x / n
    q = 1 - p
    if not correct:
        root = z * np.sqrt(z**2 + 4 * n * p * q)
        lo = (2 * n * p + z**2 - root) / (2 * (n + z**2))
        hi = (2 * n * p + z**2 + root) / (2 * (n + z**2))
        return lo, hi
    with np.errstate(invalid="ignore"):
        lo = (2 * n * p + z**2 - 1 - z * np.sqrt(z**2 - 2 - 1 / n + 4 * p * (n * q + 1))) / (
            2 * (n + z**2)
        )
        hi = (2 * n * p + z**2 + 1 + z * np.sqrt(z**2 + 2 - 1 / n + 4 * p * (n * q - 1))) / (
            2 * (n + z**2)
        )
    return np.where(lo < 0, 0.0, lo), np.where(hi > 1, 1.0, hi)


def agresti_coull(x, n, level: float = 0.95):
    """Agresti-Coull interval (meta:::ciAgrestiCoull)."""
    x = np.asarray(x, float)
    z = _z(level)
    nt = np.asarray(n, float) + z**2
    p = (x + 0.5 * z**2) / nt
    half = z * np.sqrt(p * (1 - p) / nt)
    return np.maximum(p - half, 0.0), np.minimum(p + half, 1.0)


def simple_asymptotic(x, n, level: float = 0.95, correct: bool = False):
    """Wald interval on the proportion scale, optionally corrected (SA, SACC)."""
    x = np.asarray(x, float)
    n = np.asarray(n, float)
    z = _z(level)
    p = x / n
    half = z * np.sqrt(p * (1 - p) / n) + (1 / (2 * n) if correct else 0.0)
    return np.maximum(p - half, 0.0), np.minimum(p + half, 1.0)


def study_ci(
    x,
    n,
    method: str = "CP",
    level: float = 0.95,
    sm: str = "PLOGIT",
    incr=0.5,
    method_incr: str = "only0",
):
    """(lower, upper) proportions per study by ``method`` (meta's ``method.ci``).

    Only "NAsm" depends on ``sm``: a Wald interval on the transformed scale,
    back-transformed (PFT with the study's own n).

    References: meta::metaprop (method.ci = "CP" default, "WS", "WSCC", "AC",
    "SA", "SACC", "NAsm").
    """
    if method == "CP":
        lo, hi = clopper_pearson(x, n, level)
    elif method in ("WS", "WSCC"):
        lo, hi = wilson(x, n, level, correct=method == "WSCC")
    elif method == "AC":
        lo, hi = agresti_coull(x, n, level)
    elif method in ("SA", "SACC"):
        lo, hi = simple_asymptotic(x, n, level, correct=method == "SACC")
    elif method == "NAsm":
        t = transform(x, n, sm, incr, method_incr)
        se = np.sqrt(t.v)
        z = _z(level)
        nn = np.asarray(n, float)
        lo = back_transform(t.TE - z * se, sm, nn)
        hi = back_transform(t.TE + z * se, sm, nn)
        lo, hi = np.maximum(lo, 0.0), np.minimum(hi, 1.0)
    else:
        raise ValueError(f"method_ci must be one of {', '.join(METHODS_CI)}")
    return np.asarray(lo, float), np.asarray(hi, float)
