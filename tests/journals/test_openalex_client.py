"""The OpenAlex client's settings and its retry policy (no network: a fake
clock records the waits)."""

from __future__ import annotations

import pytest

from review.errors import BadInput, NetworkError
from review.journals.openalex import DEFAULT_URL, OpenAlexSettings
from review.journals.retry import Policy, Retry, call_with_retries

from .conftest import DATA, run


def test_settings_from_the_environment():
    s = OpenAlexSettings.from_env({})
    assert (s.base_url, s.email, s.rate, s.give_up_after) == (DEFAULT_URL, "", 5, 300.0)
    s = OpenAlexSettings.from_env({"NCBI_EMAIL": "n@example.org", "REVIEW_OPENALEX_URL": "http://mirror/api",
                                   "REVIEW_OPENALEX_RATE": "2.7", "REVIEW_OPENALEX_TIMEOUT": "9"})
    assert (s.base_url, s.email, s.rate, s.timeout) == ("http://mirror/api/", "n@example.org", 2, 9.0)
    assert OpenAlexSettings.from_env({"NCBI_EMAIL": "n@x", "OPENALEX_EMAIL": "o@x"}).email == "o@x"
    for bad in ("fast", "0", "-1", "nan"):
        with pytest.raises(BadInput, match="REVIEW_OPENALEX_RATE=.* must be a positive number"):
            OpenAlexSettings.from_env({"REVIEW_OPENALEX_RATE": bad})


def test_bad_setting_exits_2(project, monkeypatch):
    assert run(project, "journals", "import", DATA / "JCR_JournalResults_2023.csv").exit_code == 0
    monkeypatch.setenv("REVIEW_OPENALEX_GIVE_UP", "soon")
    res = run(project, "journals", "fetch")
    assert res.exit_code == 2 and "REVIEW_OPENALEX_GIVE_UP='soon'" in res.output


class FakeTime:
    def __init__(self):
        self.t, self.sleeps = 0.0, []

    def clock(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.sleeps.append(s)
        self.t += s


def test_backoff_doubles_is_capped_and_honours_retry_after():
    ft = FakeTime()
    answers = iter([Retry("a"), Retry("b"), Retry("c", wait=7.0), Retry("d"), Retry("e"), "ok"])

    def attempt():
        a = next(answers)
        if isinstance(a, Retry):
            raise a
        return a

    seen = []
    out = call_with_retries(attempt, Policy(first=1, most=5, give_up_after=100),
                            lambda *a: NetworkError("x"), on_retry=seen.append,
                            clock=ft.clock, sleep=ft.sleep)
    assert out == "ok" and seen == ["a", "b", "c", "d", "e"]
    assert ft.sleeps == [1, 2, 7.0, 5, 5]


def test_gives_up_before_passing_the_time_allowed():
    ft = FakeTime()

    def attempt():
        raise Retry("HTTP 500")

    with pytest.raises(NetworkError, match=r"4 tries, 7s, next 8, HTTP 500"):
        call_with_retries(attempt, Policy(first=1, most=60, give_up_after=10),
                          lambda n, el, d, p: NetworkError(f"{n} tries, {el:g}s, next {d:g}, {p}"),
                          clock=ft.clock, sleep=ft.sleep)
    assert ft.sleeps == [1, 2, 4]
