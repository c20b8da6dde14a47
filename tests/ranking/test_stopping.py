"""Stopping aid: heuristic, hypergeometric test (against buscarpy), remaining estimate, chart."""

import json
from pathlib import Path

import numpy as np
import pytest

from review.ranking import stopping

REF = Path(__file__).resolve().parents[1] / "data" / "ranking" / "buscar_h0_reference.json"


def test_consecutive_irrelevant():
    y = [1, 0, 1] + [0] * 49
    h = stopping.consecutive_irrelevant(y, 200, threshold=50)
    assert (h.run, h.reached, h.screened) == (49, False, 52)
    h = stopping.consecutive_irrelevant(y + [0], 200, threshold=50)
    assert (h.run, h.reached) == (50, True)
    assert stopping.consecutive_irrelevant([], 10).run == 0
    assert stopping.consecutive_irrelevant([0, 0, 0], 10, threshold=3).reached
    with pytest.raises(ValueError):
        stopping.consecutive_irrelevant([0], 0)


@pytest.mark.parametrize("case", json.loads(REF.read_text())["cases"])
def test_hypergeometric_test_matches_buscarpy(case):
    y = np.zeros(case["screened"], dtype=int)
    y[case["relevant_positions"]] = 1
    t = stopping.hypergeometric_test(y, case["N"], recall_target=case["recall_target"])
    assert t.p == pytest.approx(case["p"], rel=1e-9, abs=1e-15)
    assert t.stop == (case["p"] < 0.05)
    assert t.relevant_seen == len(case["relevant_positions"])


def test_hypergeometric_test_small_case_by_hand():
    # 10 of 100 screened, 2 relevant (first two), 90 unscreened. Window of the last
    # 8 (all irrelevant): urn 98, H0 needs K >= floor(2/0.95 - 2) + 1 = 1 relevant
    # in it; P(X <= 0) = C(97, 8) / C(98, 8) = 90/98.
    y = [1, 1] + [0] * 8
    t = stopping.hypergeometric_test(y, 100, recall_target=0.95)
    assert t.p == pytest.approx(90 / 98)
    assert t.window == 8 and t.k_hat == 1 and not t.stop


def test_long_irrelevant_tail_rejects_h0():
    y = [1] * 20 + [0] * 3000
    assert stopping.hypergeometric_test(y, 3100).stop
    assert not stopping.hypergeometric_test(y[:60], 3100).stop


def test_estimate_remaining():
    rng = np.random.default_rng(0)
    y = (rng.random(400) < 0.1).astype(int)
    e = stopping.estimate_remaining(y, 1400, window=200)
    k = int(y[-200:].sum())
    assert e.relevant_in_window == k
    assert e.estimate == pytest.approx(k / 200 * 1000)
    assert e.upper >= e.estimate
    # the bound is the largest count not rejected at 95%
    from scipy.stats import hypergeom

    assert hypergeom.cdf(k, 1200, k + e.upper, 200) >= 0.05
    assert hypergeom.cdf(k, 1200, k + e.upper + 1, 200) < 0.05
    # nothing relevant in a long last window: few can remain
    tail = stopping.estimate_remaining([1] * 10 + [0] * 900, 1000, window=900)
    assert tail.estimate == 0 and tail.upper == 1  # P(0 of 900 | 2 in 990) = 0.008
    default = stopping.estimate_remaining([1] * 10 + [0] * 900, 1000)
    assert default.window == 91 and default.upper == 4


def test_stopping_report_and_chart(tmp_path):
    y = [1, 0, 1, 1] + [0] * 80
    rep = stopping.stopping_report(y, 500, threshold=50)
    assert rep.heuristic.reached and rep.relevant_seen == 3 and rep.screened == 84
    from review.ranking.chart import recall_chart

    out = recall_chart(y, tmp_path / "curve.png", n_total=500, report=rep)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["curve.png"]


def test_stopping_points_on_a_full_order():
    y = [1, 1, 0, 1] + [0] * 60 + [1] + [0] * 935
    pts = stopping.stopping_points(y, threshold=50)
    assert pts.heuristic_at == 4 + 50 and pts.heuristic_recall == pytest.approx(3 / 4)
    # the test stops only once the irrelevant tail is long enough, and never earlier than
    # the first point where it rejects on the prefix
    assert pts.test_at is not None and pts.test_at > 65
    m = pts.test_at
    assert stopping.hypergeometric_test(y[:m], 1000).stop
    assert not stopping.hypergeometric_test(y[: m - 5], 1000).stop
    never = stopping.stopping_points([1, 0, 1, 0], threshold=50)
    assert never.heuristic_at is None and never.heuristic_recall is None
