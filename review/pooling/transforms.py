"""Per-study transformations of a proportion and their back-transformations.

meta::metaprop's rules, which differ from metafor::escalc for PRAW and PLN when
a study has 0 or n events (see ``metafor_escalc`` for metafor's version).

References: meta::metaprop (meta >= 8, R/metaprop.R), meta:::asin2p,
metafor::transf.ipft.hm; Miller (1978) Am Stat 32:138; Freeman & Tukey (1950).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SMS = ("PLOGIT", "PFT", "PAS", "PRAW", "PLN")
INCR_METHODS = ("only0", "if0all", "all", "user")
#: Transformations whose studies may get a continuity increment (metaprop).
CORRECTED = ("PLOGIT", "PLN", "PRAW")


@dataclass(frozen=True)
class Transformed:
    """Transformed study effects ``TE`` with variances ``v`` and increments used."""

    TE: np.ndarray
    v: np.ndarray
    incr: np.ndarray


def continuity(x, n, sm: str, incr=0.5, method_incr: str = "only0") -> np.ndarray:
    """The continuity increment per study, as meta::metaprop assigns it.

    "only0": ``incr`` for studies with 0 or n events; "if0all": ``incr`` for all
    studies if any has 0 or n events; "all": every study; "user": ``incr`` as
    given (scalar or per study). Never for PAS or PFT, which need none.

    References: meta::metaprop (method.incr).
    """
    x = np.asarray(x, float)
    n = np.asarray(n, float)
    if method_incr not in INCR_METHODS:
        raise ValueError(f"method_incr must be one of {', '.join(INCR_METHODS)}")
    zeros = np.zeros_like(x)
    if sm not in CORRECTED:
        return zeros
    inc = np.broadcast_to(np.asarray(incr, float), x.shape).astype(float)
    if method_incr in ("all", "user"):
        return inc.copy()
    edge = (x == 0) | (x == n)
    if not edge.any():
        return zeros
    if method_incr == "if0all":
        return inc.copy()
    return np.where(edge, inc, 0.0)


def transform(x, n, sm: str = "PLOGIT", incr=0.5, method_incr: str = "only0") -> Transformed:
    """Study effects and sampling variances on the ``sm`` scale (metaprop's rules).

    PLOGIT: log((x+c)/(n-x+c)); PAS: asin(sqrt(x/n)); PFT: Freeman-Tukey
    (half of Miller's definition); PLN: log((x+c)/(n+c)); PRAW: x/n (never
    corrected; c only enters the variance).

    References: meta::metaprop (meta >= 8).
    """
    if sm not in SMS:
        raise ValueError(f"sm must be one of {', '.join(SMS)}")
    x = np.asarray(x, float)
    n = np.asarray(n, float)
    c = continuity(x, n, sm, incr, method_incr)
    with np.errstate(divide="ignore", invalid="ignore"):
        if sm == "PLOGIT":
            te = np.log((x + c) / (n - x + c))
            v = 1 / (x + c) + 1 / (n - x + c)
        elif sm == "PAS":
            te = np.arcsin(np.sqrt(x / n))
            v = 1 / (4 * n)
        elif sm == "PFT":
            te = 0.5 * (np.arcsin(np.sqrt(x / (n + 1))) + np.arcsin(np.sqrt((x + 1) / (n + 1))))
            v = 1 / (4 * n + 2)
        elif sm == "PLN":
            te = np.log((x + c) / (n + c))
            v = np.where(x == n, 1 / x - 1 / (n + c), 1 / (x + c) - 1 / (n + c))
        else:  # PRAW
            te = x / n
            v = (x + c) * (n - x + c) / (n + 2 * c) ** 3
    return Transformed(te, v, c)


def metafor_escalc(x, n, sm: str, add: float = 0.5, to: str = "only0") -> Transformed:
    """metafor::escalc's version (PLO, PAS, PFT, PLN, PR), for comparison only.

    Differs from metaprop for PLN and PRAW with 0 or n events: metafor adds c to
    x and to n - x, so n becomes n + 2c, and corrects PR's yi too.

    References: metafor::escalc (measure PLO/PAS/PFT/PLN/PR, add=1/2, to="only0").
    """
    x = np.asarray(x, float)
    n = np.asarray(n, float)
    if sm in ("PAS", "PFT"):
        return transform(x, n, sm)
    edge = (x == 0) | (x == n)
    c = np.where(edge, add, 0.0) if to == "only0" else np.full_like(x, add)
    xi, mi = x + c, n - x + c
    ni = xi + mi
    p = xi / ni
    with np.errstate(divide="ignore", invalid="ignore"):
        if sm == "PLOGIT":
            return Transformed(np.log(xi / mi), 1 / xi + 1 / mi, c)
        if sm == "PLN":
            return Transformed(np.log(p), 1 / xi - 1 / ni, c)
        if sm == "PRAW":
            return Transformed(p, p * (1 - p) / ni, c)
    raise ValueError(f"unknown sm {sm!r}")


def harmonic_mean(n) -> float:
    """1/mean(1/n): the single n meta uses to back-transform a pooled PFT value."""
    n = np.asarray(n, float)
    return float(1 / np.mean(1 / n))


def ipft(z, n):
    """Miller's (1978) inverse of the Freeman-Tukey transformation.

    Values below the transformation of 0/n map to 0, above that of n/n to 1.

    References: meta:::asin2p, metafor::transf.ipft; Miller (1978).
    """
    z = np.asarray(z, float)
    n = np.asarray(n, float)
    lo = 0.5 * (np.arcsin(np.sqrt(0 / (n + 1))) + np.arcsin(np.sqrt(1 / (n + 1))))
    hi = 0.5 * (np.arcsin(np.sqrt(n / (n + 1))) + np.arcsin(np.sqrt((n + 1) / (n + 1))))
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.sin(2 * z)
        inner = 1 - (s + (s - 1 / s) / n) ** 2
        r = 0.5 * (1 - np.sign(np.cos(2 * z)) * np.sqrt(np.clip(inner, 0, None)))
    r = np.where(z < lo, 0.0, np.where(z > hi, 1.0, r))
    return r


def back_transform(z, sm: str, n=None):
    """Proportion(s) from value(s) on the ``sm`` scale.

    For PFT, ``n`` is the sample size to use: the study's own for a study,
    ``harmonic_mean(n)`` of the pooled studies for a pooled value (meta's
    convention). NaN stays NaN.

    References: meta:::backtransf, meta:::logit2p, meta:::asin2p.
    """
    z = np.asarray(z, float)
    with np.errstate(over="ignore", invalid="ignore"):
        if sm == "PLOGIT":
            r = 1 / (1 + np.exp(-z))
        elif sm == "PAS":
            r = np.where(z < 0, 0.0, np.where(z > np.pi / 2, 1.0, np.sin(z) ** 2))
        elif sm == "PFT":
            if n is None:
                raise ValueError("PFT back-transformation needs n")
            r = ipft(z, np.asarray(n, float))
        elif sm == "PLN":
            r = np.minimum(np.exp(z), 1.0)
        elif sm == "PRAW":
            r = np.clip(z, 0.0, 1.0)
        else:
            raise ValueError(f"unknown sm {sm!r}")
    r = np.where(np.isnan(z), np.nan, r)
    return r if r.ndim else float(r)
