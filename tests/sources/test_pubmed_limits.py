"""The rate limiter, date windows and E-utilities settings, without a network."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from review.errors import BadInput
from review.sources import windows as win
from review.sources.eutils import EutilsSettings, _retry_after
from review.sources.ratelimit import RateLimiter


class FakeClock:
    def __init__(self):
        self.t = 100.0

    def __call__(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.t += s


@given(st.lists(st.floats(min_value=0, max_value=0.7), min_size=1, max_size=60),
       st.integers(min_value=1, max_value=10))
def test_never_more_than_rate_starts_in_any_second(gaps, rate):
    clock = FakeClock()
    lim = RateLimiter(rate, clock=clock, sleep=clock.sleep)
    starts = []
    for g in gaps:
        clock.t += g
        lim.wait()
        starts.append(clock.t)
    for i, t in enumerate(starts):
        assert sum(1 for u in starts[i:] if u - t < 1.0) <= rate


def test_a_burst_waits_for_the_window():
    clock = FakeClock()
    lim = RateLimiter(3, margin=0.05, clock=clock, sleep=clock.sleep)
    waits = [lim.wait() for _ in range(7)]
    assert waits[:3] == [0, 0, 0]
    assert waits[3] == pytest.approx(1.05)
    assert clock.t == pytest.approx(100 + 2 * 1.05)


@given(st.dates(), st.integers(min_value=1, max_value=20_000))
def test_bisect_covers_the_window_without_overlap(start, span):
    import datetime as dt

    if start.year > 9000:
        return
    lo, hi = win.fmt(start), win.fmt(start + dt.timedelta(days=span))
    (a, b), (c, d) = win.bisect(lo, hi)
    assert a == lo and d == hi
    assert win.parse_date(c) - win.parse_date(b) == dt.timedelta(days=1)
    assert win.parse_date(a) <= win.parse_date(b) < win.parse_date(c) <= win.parse_date(d)


def test_partial_dates_and_bad_dates():
    assert win.normalise("2020") == "2020/01/01"
    assert win.normalise("2020/02", end=True) == "2020/02/29"
    assert win.normalise("2020-12-31") == "2020/12/31"
    assert win.is_single_day("2020/01/01", "2020/01/01")
    with pytest.raises(BadInput, match="--maxdate"):
        win.normalise("31/12/2020", where="--maxdate")
    with pytest.raises(ValueError):
        win.bisect("2020/01/01", "2020/01/01")


def test_settings_from_environment():
    s = EutilsSettings.from_env({})
    assert (s.base_url, s.rate) == ("https://eutils.ncbi.nlm.nih.gov/entrez/eutils/", 3)
    s = EutilsSettings.from_env({"NCBI_API_KEY": "k", "REVIEW_EUTILS_URL": "http://mirror/e"})
    assert (s.rate, s.api_key, s.base_url) == (10, "k", "http://mirror/e/")
    assert EutilsSettings.from_env({"REVIEW_EUTILS_RATE": "20", "NCBI_API_KEY": "k"}).rate == 20
    with pytest.raises(BadInput, match="REVIEW_EUTILS_GIVE_UP"):
        EutilsSettings.from_env({"REVIEW_EUTILS_GIVE_UP": "soon"})


def test_retry_after_seconds_and_dates():
    assert _retry_after("7") == 7.0
    assert _retry_after(None) is None and _retry_after("garbage") is None
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
