"""Stopping aid for prioritised screening: when may a reviewer stop, and how many
relevant records may remain?

These functions only inform: nothing here excludes an unscreened record.
Every function takes ``labels``: 1 / 0 for the records screened so far, in the
order screened, and ``n_total``, the number of records to screen.

References
----------
Callaghan MW, Müller-Hansen F. Statistical stopping criteria for automated
screening in systematic reviews. Syst Rev 2020;9:273. doi:10.1186/s13643-020-01521-4
(the hypergeometric test; the same computation as buscarpy 0.0.2
``calculate_h0`` with bias 1).
Boetje J, van de Schoot R. The SAFE procedure: a practical stopping heuristic
for active learning-based screening in systematic reviews and meta-analyses.
Syst Rev 2024;13:81 (consecutive irrelevant records as a heuristic).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np


def _seen(labels: Sequence[int], n_total: int) -> np.ndarray:
    y = np.asarray(labels, dtype=np.int64).ravel()
    if not np.isin(y, (0, 1)).all():
        raise ValueError("labels must be 0 or 1")
    if n_total < y.size:
        raise ValueError(f"n_total ({n_total}) is smaller than the records screened ({y.size})")
    return y


@dataclass(frozen=True)
class ConsecutiveIrrelevant:
    """The heuristic: the last ``run`` records screened were all irrelevant;
    ``reached`` when run >= threshold."""

    run: int
    threshold: int
    reached: bool
    screened: int
    n_total: int


def consecutive_irrelevant(labels: Sequence[int], n_total: int, threshold: int = 50) -> ConsecutiveIrrelevant:
    """Length of the current run of irrelevant records at the end of screening."""
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    y = _seen(labels, n_total)
    hits = np.flatnonzero(y)
    run = int(y.size - (hits[-1] + 1)) if hits.size else int(y.size)
    return ConsecutiveIrrelevant(run, threshold, run >= threshold, int(y.size), int(n_total))


@dataclass(frozen=True)
class HypergeometricTest:
    """Callaghan & Müller-Hansen's test of H0 "recall is below ``recall_target``".

    ``p`` is the smallest p-value over every window of last-screened records
    treated as a random sample of the window plus the unscreened records;
    ``stop`` when p < 1 - confidence. ``window`` is the window that gave ``p``
    and ``k_hat`` the fewest relevant records that window-plus-unscreened urn
    would hold under H0.
    """

    p: float
    stop: bool
    recall_target: float
    confidence: float
    relevant_seen: int
    screened: int
    n_total: int
    window: int
    k_hat: int


def hypergeometric_test(
    labels: Sequence[int], n_total: int, recall_target: float = 0.95, confidence: float = 0.95
) -> HypergeometricTest:
    """p-value for H0 "recall of the records screened so far < recall_target".

    For each window of the last n screened records (n = 1 .. screened), the
    urn is the window plus every unscreened record; under H0 it holds at least
    K = floor(r_seen / target - r_before_window) + 1 relevant records, and
    p = P(X <= k) for X ~ Hypergeometric(urn, K, n), k the relevant records
    in the window. The smallest p is reported (Callaghan & Müller-Hansen 2020).
    """
    from scipy.stats import hypergeom

    if not 0 < recall_target < 1:
        raise ValueError("recall_target must be between 0 and 1")
    y = _seen(labels, n_total)
    if y.size == 0:
        return HypergeometricTest(1.0, False, recall_target, confidence, 0, 0, int(n_total), 0, 0)
    r_seen = int(y.sum())
    last = y[::-1]
    k = np.cumsum(last)  # relevant in each window
    n = np.arange(1, y.size + 1)  # window sizes
    urn = n_total - y.size + n
    k_hat = np.floor(r_seen / recall_target - (r_seen - k)) + 1
    # An urn too small to hold k_hat relevant records makes H0 impossible: p = 0.
    p = np.where(k_hat > urn, 0.0, hypergeom.cdf(k, urn, np.minimum(k_hat, urn), n))
    i = int(np.argmin(p))
    pmin = float(p[i])
    return HypergeometricTest(
        p=pmin,
        stop=pmin < 1 - confidence,
        recall_target=recall_target,
        confidence=confidence,
        relevant_seen=r_seen,
        screened=int(y.size),
        n_total=int(n_total),
        window=int(n[i]),
        k_hat=int(k_hat[i]),
    )


@dataclass(frozen=True)
class RemainingEstimate:
    """How many relevant records the unscreened ones may still hold.

    ``estimate``: the relevant rate of the last ``window`` records times the
    unscreened count; ``upper``: the largest count the hypergeometric model
    does not reject at ``confidence`` (one-sided). Both treat the last window
    as a random sample of window + unscreened; with ranked screening the
    unscreened records are poorer than the window, so both err high.
    """

    estimate: float
    upper: int
    window: int
    relevant_in_window: int
    unscreened: int
    relevant_seen: int
    confidence: float


def estimate_remaining(
    labels: Sequence[int], n_total: int, window: int | None = None, confidence: float = 0.95
) -> RemainingEstimate:
    """Estimate (and a one-sided upper bound on) the relevant records not yet screened.

    ``window`` defaults to the last 10% of the records screened (at least 50,
    at most all screened).
    """
    from scipy.stats import hypergeom

    y = _seen(labels, n_total)
    unseen = int(n_total - y.size)
    if window is None:
        window = max(50, math.ceil(0.1 * y.size))
    window = int(min(max(window, 0), y.size))
    k = int(y[y.size - window:].sum()) if window else 0
    r_seen = int(y.sum())
    if window == 0:
        return RemainingEstimate(float("nan"), unseen, 0, 0, unseen, r_seen, confidence)
    estimate = k / window * unseen
    alpha = 1 - confidence

    def plausible(extra: int) -> bool:  # P(X <= k) with k + extra relevant in the urn
        return hypergeom.cdf(k, unseen + window, k + extra, window) >= alpha

    lo, hi = 0, unseen  # largest extra with plausible(extra); plausible is monotone decreasing
    if plausible(hi):
        lo = hi
    else:
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if plausible(mid):
                lo = mid
            else:
                hi = mid
    return RemainingEstimate(estimate, lo, window, k, unseen, r_seen, confidence)


@dataclass(frozen=True)
class StoppingReport:
    """Everything the screening screen shows about stopping, in one value."""

    screened: int
    n_total: int
    relevant_seen: int
    heuristic: ConsecutiveIrrelevant
    test: HypergeometricTest
    remaining: RemainingEstimate


def stopping_report(
    labels: Sequence[int], n_total: int, *, threshold: int = 50, recall_target: float = 0.95, confidence: float = 0.95
) -> StoppingReport:
    """The heuristic, the statistical test and the remaining-records estimate together."""
    y = _seen(labels, n_total)
    return StoppingReport(
        screened=int(y.size),
        n_total=int(n_total),
        relevant_seen=int(y.sum()),
        heuristic=consecutive_irrelevant(y, n_total, threshold),
        test=hypergeometric_test(y, n_total, recall_target, confidence),
        remaining=estimate_remaining(y, n_total, confidence=confidence),
    )


@dataclass(frozen=True)
class StoppingPoints:
    """Where each rule would first have said "stop" in a complete screening
    order (a replay): records screened then (None if never) and the recall
    reached there. Used to judge the rules on past reviews."""

    heuristic_at: int | None
    heuristic_recall: float | None
    test_at: int | None
    test_recall: float | None
    threshold: int
    recall_target: float


def stopping_points(
    labels: Sequence[int], *, threshold: int = 50, recall_target: float = 0.95, confidence: float = 0.95,
    step: int | None = None,
) -> StoppingPoints:
    """Replay the stopping rules over a full screening order ``labels``.

    The rules see only the records screened so far at each point. The test is
    evaluated every ``step`` records (default: N/200, at least 1), the heuristic
    at every record.
    """
    y = _seen(labels, len(labels))
    n = y.size
    total = int(y.sum())
    found = np.cumsum(y)

    def recall(at: int | None) -> float | None:
        return None if at is None or total == 0 else float(found[at - 1] / total)

    h_at = None
    run = 0
    for i, v in enumerate(y):
        run = 0 if v else run + 1
        if run >= threshold:
            h_at = i + 1
            break
    step = step or max(1, n // 200)
    t_at = None
    for m in range(step, n + 1, step):
        if found[m - 1] and hypergeometric_test(y[:m], n, recall_target, confidence).stop:
            t_at = m
            break
    return StoppingPoints(h_at, recall(h_at), t_at, recall(t_at), threshold, recall_target)
