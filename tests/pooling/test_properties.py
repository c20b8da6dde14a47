"""Properties that must hold for any data (hypothesis), and edge cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.errors import BadInput
from review.pooling import egger_test, leave_one_out, metaprop

TAUS = ("DL", "REML", "PM", "ML", "HE", "SJ")


@st.composite
def studies(draw, min_k=2, max_k=12):
    k = draw(st.integers(min_k, max_k))
    n = draw(st.lists(st.integers(1, 400), min_size=k, max_size=k))
    x = [draw(st.integers(0, m)) for m in n]
    return x, n


COMMON = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(studies(), st.sampled_from(("PLOGIT", "PFT", "PAS", "PRAW", "PLN")), st.sampled_from(TAUS),
       st.randoms(use_true_random=False))
def test_study_order_does_not_matter(data, sm, tau, rnd):
    x, n = data
    a = metaprop(x, n, sm=sm, method="Inverse", method_tau=tau)
    perm = list(range(len(x)))
    rnd.shuffle(perm)
    b = metaprop([x[i] for i in perm], [n[i] for i in perm], sm=sm, method="Inverse", method_tau=tau)
    rel = 1e-4 if tau == "PM" else 1e-8
    for f in ("estimate", "lower", "upper"):
        assert getattr(b.random, f) == pytest.approx(getattr(a.random, f), rel=rel, abs=1e-10)
    assert b.tau2 == pytest.approx(a.tau2, rel=rel, abs=1e-10)
    assert b.Q == pytest.approx(a.Q, rel=1e-8, abs=1e-10)


@settings(max_examples=10, deadline=None)
@given(studies(min_k=2, max_k=8), st.randoms(use_true_random=False))
def test_glmm_study_order_does_not_matter(data, rnd):
    x, n = data
    if all(v == 0 for v in x) or all(v == m for v, m in zip(x, n)):
        return
    a = metaprop(x, n)
    perm = list(range(len(x)))
    rnd.shuffle(perm)
    b = metaprop([x[i] for i in perm], [n[i] for i in perm])
    assert b.random.estimate == pytest.approx(a.random.estimate, rel=1e-4, abs=1e-6)
    assert b.tau2 == pytest.approx(a.tau2, rel=1e-3, abs=1e-5)


@COMMON
@given(studies(), st.sampled_from(("PLOGIT", "PFT", "PAS", "PRAW", "PLN")), st.sampled_from(TAUS))
def test_random_equals_common_when_tau2_is_zero(data, sm, tau):
    x, n = data
    r = metaprop(x, n, sm=sm, method="Inverse", method_tau=tau)
    if r.tau2 == 0:
        assert r.random.TE == pytest.approx(r.common.TE, rel=1e-12, abs=1e-14)
        assert r.random.se == pytest.approx(r.common.se, rel=1e-12)


@COMMON
@given(studies(), st.sampled_from(("PLOGIT", "PFT", "PAS", "PRAW", "PLN")), st.sampled_from(TAUS),
       st.booleans())
def test_every_ci_contains_its_estimate_and_i2_in_unit_interval(data, sm, tau, hakn):
    x, n = data
    r = metaprop(x, n, sm=sm, method="Inverse", method_tau=tau, hakn=hakn)
    for p in (r.common, r.random):
        assert p.TE_lower <= p.TE <= p.TE_upper
        assert 0 <= p.lower <= p.estimate <= p.upper <= 1
    for s in r.studies:
        assert 0 <= s.lower <= s.estimate <= s.upper <= 1
    assert 0 <= r.I2 <= 1 and r.tau2 >= 0
    if not math.isnan(r.I2_lower):  # meta gives no I^2 CI when k = 2 and Q <= k
        assert 0 <= r.I2_lower <= r.I2 <= r.I2_upper <= 1
    if tau == "PM":  # the Q-profile CI inverts the same equation as PM (R's uniroot tolerance)
        assert r.tau2_lower - 1e-3 <= r.tau2 <= r.tau2_upper + 1e-3
    if r.prediction is not None:
        assert r.prediction.lower <= r.random.estimate <= r.prediction.upper


def test_k1_random_equals_common():
    r = metaprop([3], [10], method="Inverse")
    assert r.random.TE == r.common.TE and r.tau2 == 0 and math.isnan(r.Q) and r.prediction is None
    g = metaprop([3], [10])
    assert g.random == g.common and "one study" in g.notes[0]


def test_all_zero_events():
    r = metaprop([0, 0, 0], [10, 20, 30], method="Inverse")
    assert 0 < r.random.estimate < 0.05
    g = metaprop([0, 0, 0], [10, 20, 30])
    assert g.tau2 == 0 and "0 events" in g.notes[0] and g.random.estimate < 1e-6


def test_all_events_equal_n_and_n_one():
    r = metaprop([10, 20, 1], [10, 20, 1], method="Inverse")
    assert r.random.estimate > 0.9
    g = metaprop([10, 20, 1], [10, 20, 1])
    assert "all events" in g.notes[0]
    assert metaprop([0, 1, 1, 0], [1, 1, 1, 1], method="Inverse", sm="PFT").random.estimate == pytest.approx(0.5, abs=0.1)


def test_very_large_n():
    x, n = [123456, 234567, 345678], [10_000_000, 10_000_000, 10_000_000]
    for method in ("GLMM", "Inverse"):
        r = metaprop(x, n, method=method)
        assert r.random.lower < np.mean(np.divide(x, n)) < r.random.upper


@pytest.mark.parametrize("x, n, message", [
    ([5, 3], [4, 10], "study '1': events (5) exceed n (4)"),
    ([1, -3], [4, 10], "study '2': events must not be negative"),
    ([1, float("nan")], [4, 10], "study '2': events is missing"),
    ([1, None], [4, 10], "study '2': events is missing"),
    ([1, 2], [4, 0], "study '2': n must be at least 1"),
])
def test_bad_counts_name_the_study(x, n, message):
    with pytest.raises(BadInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        metaprop(x, n)


def test_glmm_needs_plogit():
    with pytest.raises(BadInput, match="GLMM needs sm PLOGIT"):
        metaprop([1, 2], [10, 10], sm="PFT", method="GLMM")


def test_egger_refuses_fewer_than_ten_and_leave_one_out_rows():
    with pytest.raises(BadInput, match="at least 10"):
        egger_test([1, 2, 3], [10, 10, 10])
    r = metaprop([3, 6, 10, 1], [11, 17, 21, 6], ["a", "b", "c", "d"], method="Inverse")
    rows = leave_one_out(r)
    assert [x.omitted for x in rows] == ["a", "b", "c", "d"]
    direct = metaprop([6, 10, 1], [17, 21, 6], method="Inverse")
    assert rows[0].estimate == pytest.approx(direct.random.estimate, rel=1e-12)
