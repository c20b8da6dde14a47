"""Cochran's Q, H and I^2 with the Higgins-Thompson confidence intervals.

meta reports the Q-based I^2 (not metafor's tau^2-based one); its CI uses
se(ln H) with the branch ``Q > k`` (not ``Q > k - 1``). I^2 is a fraction in
[0, 1], clamped at 0.

References: meta:::calcH and meta:::isquared (R/meta-het.R); Higgins &
Thompson (2002) Stat Med 21:1539; metafor::rma.uni for the tau^2-based I^2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from review.pooling.estimators import typical_variance

NAN = float("nan")


@dataclass(frozen=True)
class Heterogeneity:
    """Q test and the Q-based H and I^2 with their confidence limits."""

    Q: float
    df: int
    p: float
    H: float
    H_lower: float
    H_upper: float
    I2: float
    I2_lower: float
    I2_upper: float


def cochran_q(y, v) -> float:
    """Q = sum w (y - mu_FE)^2 with w = 1/v."""
    y = np.asarray(y, float)
    w = 1 / np.asarray(v, float)
    mu = np.sum(w * y) / np.sum(w)
    return float(np.sum(w * (y - mu) ** 2))


def calc_h(Q: float, df: int, level: float = 0.95) -> tuple[float, float, float]:
    """(H, lower, upper) as meta:::calcH, floored at 1; NaN when k < 2.

    References: meta:::calcH; Higgins & Thompson (2002), eqs. for se(ln H).
    """
    k = df + 1
    if k < 2 or not math.isfinite(Q):
        return NAN, NAN, NAN
    H = math.sqrt(Q / (k - 1)) if Q > 0 else 0.0
    if Q > k:
        se = 0.5 * (math.log(Q) - math.log(k - 1)) / (math.sqrt(2 * Q) - math.sqrt(2 * k - 3))
    elif k > 2:
        se = math.sqrt(1 / (2 * (k - 2)) * (1 - 1 / (3 * (k - 2) ** 2)))
    else:
        se = NAN
    z = float(stats.norm.ppf(1 - (1 - level) / 2))
    c0 = math.log(max(H, 1.0))
    lo = max(math.exp(c0 - z * se), 1.0) if math.isfinite(se) else NAN
    hi = max(math.exp(c0 + z * se), 1.0) if math.isfinite(se) else NAN
    return math.exp(c0), lo, hi


def heterogeneity(Q: float, df: int, level: float = 0.95) -> Heterogeneity:
    """Q-test p-value, H and I^2 = (H^2 - 1)/H^2 with CIs from the H CI.

    References: meta:::isquared, meta:::calcH.
    """
    p = float(stats.chi2.sf(Q, df)) if df > 0 else NAN
    H, hl, hu = calc_h(Q, df, level)

    def i2(h):
        return (h * h - 1) / (h * h) if math.isfinite(h) else NAN

    return Heterogeneity(float(Q), int(df), p, H, hl, hu, i2(H), i2(hl), i2(hu))


def q_heterogeneity(y, v, level: float = 0.95) -> Heterogeneity:
    """Heterogeneity statistics of effects ``y`` with variances ``v``."""
    y = np.asarray(y, float)
    Q = cochran_q(y, v) if len(y) > 1 else 0.0
    return heterogeneity(Q, len(y) - 1, level)


def i2_from_tau2(tau2: float, v) -> tuple[float, float]:
    """metafor's tau^2-based (I^2 in %, H^2) for a random-effects model.

    References: metafor::rma.uni, i2def "1": s^2 = (k-1) sum w / ((sum w)^2 - sum w^2).
    """
    vt = typical_variance(v)
    return 100 * tau2 / (vt + tau2), tau2 / vt + 1
