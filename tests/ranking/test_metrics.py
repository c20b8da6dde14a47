"""Screening metrics: the FACTS section 7 toy check and properties."""

import numpy as np
import pytest

from review.ranking import metrics


def toy():
    """N = 20, relevant at ranks 1, 2, 5, 12 (FACTS section 7)."""
    y = np.zeros(20, dtype=int)
    y[[0, 1, 4, 11]] = 1
    return y


def test_toy_check():
    y = toy()
    assert metrics.recall_at(y, 10) == pytest.approx(0.5)
    assert metrics.atd(y) == pytest.approx(5.0)
    assert metrics.wss(y, 0.95) == pytest.approx(0.35)  # Cohen 2006: 8/20 - 0.05
    assert metrics.wss_insights(y, 0.95) == pytest.approx(0.40)  # asreview-insights _wss
    assert metrics.screened_for_recall(y, 0.95) == 12
    assert metrics.erf(y, 10) == pytest.approx(0.5 - 2 / 20)


def test_perfect_and_worst_orders():
    best = np.array([1] * 5 + [0] * 95)
    worst = best[::-1]
    assert metrics.wss(best) == pytest.approx(0.95 - 5 / 100)
    assert metrics.wss(worst) == pytest.approx(-0.05)
    assert metrics.recall_at(best, 10) == 1.0
    assert metrics.recall_at(worst, 10) == 0.0
    assert metrics.atd(best) == 3.0
    assert metrics.atd(worst) == pytest.approx(98.0)


def test_recall_curve_is_monotone_and_ends_at_r():
    rng = np.random.default_rng(3)
    y = (rng.random(500) < 0.05).astype(int)
    c = metrics.recall_curve(y)
    assert (np.diff(c.found) >= 0).all()
    assert c.found[-1] == y.sum() == c.n_relevant
    assert c.recall[-1] == 1.0
    assert list(c.screened[:3]) == [1, 2, 3]


def test_wss_95_needs_ceiling_of_95_percent():
    # R = 20: 95% recall = 19 relevant found; the 20th may come last
    y = np.array([1] * 19 + [0] * 80 + [1])
    assert metrics.screened_for_recall(y, 0.95) == 19
    assert metrics.wss(y) == pytest.approx(81 / 100 - 0.05)


def test_bad_labels():
    with pytest.raises(ValueError):
        metrics.wss([0, 0, 0])
    with pytest.raises(ValueError):
        metrics.atd([0, 2, 1])
    with pytest.raises(ValueError):
        metrics.recall_curve([])
