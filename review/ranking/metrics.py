"""Screening-order metrics: recall curve, WSS@r, recall@k%, ATD, ERF.

Every function takes ``labels``: 1 (relevant) / 0 (irrelevant) for every
record, in the order screened (priors included, first). N records, R relevant.

Toy check (FACTS section 7): N = 20, relevant at ranks 1, 2, 5, 12 gives
recall@10% = 0.5, ATD = 5.0, Cohen's WSS@95 = 0.35 and asreview-insights'
WSS@95 = 0.40.

References
----------
Cohen AM, Hersh WR, Peterson K, Yen PY. Reducing workload in systematic review
preparation using automated citation classification. JAMIA 2006;13:206-219
(WSS). asreview-insights 1.6 ``_wss_values`` / ``_recall_values``
(asreviewcontrib/insights/algorithms.py) for the insights variant. Ferdinands
G, et al. Performance of active learning models for screening prioritization
in systematic reviews. Syst Rev 2023;12:100 (ATD, RRF@10).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

_EPS = 1e-9


@dataclass(frozen=True)
class RecallCurve:
    """Relevant records found after each record screened.

    ``screened[i]`` = i + 1 records screened, ``found[i]`` relevant among them.
    """

    screened: np.ndarray
    found: np.ndarray
    n_total: int
    n_relevant: int

    @property
    def recall(self) -> np.ndarray:
        return self.found / self.n_relevant if self.n_relevant else np.zeros(len(self.found))


def _labels(labels: Sequence[int]) -> np.ndarray:
    y = np.asarray(labels, dtype=np.int64).ravel()
    if y.size == 0:
        raise ValueError("no records")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("labels must be 0 or 1")
    return y


def _relevant(y: np.ndarray) -> int:
    r = int(y.sum())
    if r == 0:
        raise ValueError("no relevant record: the metric is undefined")
    return r


def recall_curve(labels: Sequence[int]) -> RecallCurve:
    """Cumulative relevant found against records screened."""
    y = _labels(labels)
    return RecallCurve(np.arange(1, y.size + 1), np.cumsum(y), int(y.size), int(y.sum()))


def screened_for_recall(labels: Sequence[int], recall: float = 0.95) -> int:
    """Records screened when recall first reaches ``recall``."""
    y = _labels(labels)
    r = _relevant(y)
    need = math.ceil(recall * r - _EPS)
    return int(np.searchsorted(np.cumsum(y), need) + 1)


def wss(labels: Sequence[int], recall: float = 0.95) -> float:
    """Work saved over sampling at ``recall`` (Cohen et al. 2006):
    (TN + FN) / N - (1 - recall) at the first point where recall is reached,
    i.e. the share of records left unscreened, minus what random screening
    saves. This is the definition ``review`` reports as WSS@95."""
    y = _labels(labels)
    n = screened_for_recall(y, recall)
    return (y.size - n) / y.size - (1.0 - recall)


def wss_insights(labels: Sequence[int], recall: float = 0.95) -> float:
    """WSS as asreview-insights 1.6 computes it: for each k-th relevant record,
    (position under a rounded-linspace random baseline - position found) / N,
    taken at the last k with k/R <= ``recall``."""
    y = _labels(labels)
    r = _relevant(y)
    k = np.arange(1, r + 1)
    when = np.searchsorted(np.cumsum(y), k)
    when_random = np.searchsorted(np.round(np.linspace(0, r, y.size)), k)
    gain = (when_random - when) / y.size
    i = np.searchsorted(k / r, recall + _EPS, side="right") - 1
    return float(gain[max(i, 0)])


def records_at(n_total: int, percent: float) -> int:
    """Records screened at ``percent`` % of ``n_total`` (rounded down)."""
    return int(math.floor(n_total * percent / 100.0 + _EPS))


def recall_at(labels: Sequence[int], percent: float = 10.0) -> float:
    """Share of relevant records found after screening ``percent`` % of records
    (RRF@percent; the number screened is rounded down, as asreview-insights)."""
    y = _labels(labels)
    r = _relevant(y)
    return float(y[: records_at(y.size, percent)].sum() / r)


def atd(labels: Sequence[int]) -> float:
    """Average time to discovery: mean 1-based rank of the relevant records."""
    y = _labels(labels)
    _relevant(y)
    return float(np.mean(np.flatnonzero(y) + 1))


def erf(labels: Sequence[int], percent: float = 10.0) -> float:
    """Extra relevant found at ``percent`` %: recall there minus the recall
    random screening expects (records screened / N)."""
    y = _labels(labels)
    return recall_at(y, percent) - records_at(y.size, percent) / y.size


def summary(labels: Sequence[int]) -> dict:
    """The figures ``review simulate`` reports."""
    y = _labels(labels)
    return {
        "records": int(y.size),
        "relevant": int(y.sum()),
        "wss_95": wss(y, 0.95),
        "wss_95_insights": wss_insights(y, 0.95),
        "recall_at_10": recall_at(y, 10.0),
        "erf_10": erf(y, 10.0),
        "atd": atd(y),
        "screened_for_95": screened_for_recall(y, 0.95),
        "screened_for_100": screened_for_recall(y, 1.0),
    }
