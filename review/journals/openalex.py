"""OpenAlex's sources API, asked for journals by ISSN, politely.

``GET {base}sources?filter=issn:A|B|...&per_page=200&select=...&mailto=...``
answers ``{"meta": {"count": n, ...}, "results": [source, ...]}``; each source
carries ``issn_l``, ``issn`` and ``summary_stats.2yr_mean_citedness`` (CC0).
Up to ``BATCH`` ISSNs are asked in one request.

Every request (retries included) waits on a shared RateLimiter; HTTP 429,
5xx, timeouts, dropped connections and bodies that are not the expected JSON
are retried with exponential backoff (honouring ``Retry-After``) until
``give_up_after`` seconds have passed, then NetworkError (exit 3).

Settings (environment): ``REVIEW_OPENALEX_URL`` base URL (tests, mirrors;
default https://api.openalex.org/), ``OPENALEX_EMAIL`` (else ``NCBI_EMAIL``)
sent as ``mailto`` for OpenAlex's polite pool, ``OPENALEX_API_KEY``,
``REVIEW_OPENALEX_RATE`` requests per second (default 5),
``REVIEW_OPENALEX_GIVE_UP`` seconds (default 300), ``REVIEW_OPENALEX_BACKOFF``
first backoff in seconds (default 1), ``REVIEW_OPENALEX_TIMEOUT`` (default 60).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

from review import __version__
from review.errors import BadInput, NetworkError
from review.journals.retry import Policy, Retry, call_with_retries
from review.sources.eutils import _retry_after as retry_after_seconds
from review.sources.ratelimit import RateLimiter

DEFAULT_URL = "https://api.openalex.org/"
BATCH = 50  # ISSNs per request (OpenAlex accepts up to 100 values OR-ed with '|')
PER_PAGE = 200
FIELDS = ("id", "display_name", "abbreviated_title", "issn_l", "issn", "type", "works_count",
          "summary_stats", "updated_date")
RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass
class OpenAlexSettings:
    base_url: str = DEFAULT_URL
    email: str = ""
    api_key: str = ""
    rate: int = 5
    give_up_after: float = 300.0
    backoff: float = 1.0
    max_backoff: float = 60.0
    timeout: float = 60.0

    @classmethod
    def from_env(cls, env: dict | None = None) -> "OpenAlexSettings":
        env = os.environ if env is None else env
        numbers = {field: _positive(env, f"REVIEW_OPENALEX_{suffix}")
                   for field, suffix in (("rate", "RATE"), ("give_up_after", "GIVE_UP"),
                                         ("backoff", "BACKOFF"), ("timeout", "TIMEOUT"))}
        given = {k: v for k, v in numbers.items() if v is not None}
        if "rate" in given:
            given["rate"] = max(1, int(given["rate"]))
        url = env.get("REVIEW_OPENALEX_URL") or DEFAULT_URL
        return cls(base_url=url.rstrip("/") + "/",
                   email=env.get("OPENALEX_EMAIL") or env.get("NCBI_EMAIL") or "",
                   api_key=env.get("OPENALEX_API_KEY", ""), **given)


def _positive(env, name: str) -> float | None:
    """A positive number from the environment, None when unset."""
    text = (env.get(name) or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise BadInput(f"{name}={text!r} must be a positive number", where="environment")
    return value


@dataclass
class ClientStats:
    requests: int = 0
    retries: int = 0
    faults: list[str] = field(default_factory=list)


class OpenAlexClient:
    """Sources by ISSN from one OpenAlex base URL, rate-limited and retried."""

    def __init__(self, settings: OpenAlexSettings | None = None, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        import requests

        self.settings = settings or OpenAlexSettings.from_env()
        self.limiter = RateLimiter(self.settings.rate, clock=clock, sleep=sleep)
        self.stats = ClientStats()
        self._clock, self._sleep = clock, sleep
        self._session = requests.Session()
        self._session.headers["User-Agent"] = (
            f"review/{__version__} (systematic review tool"
            + (f"; mailto:{self.settings.email})" if self.settings.email else ")"))

    def close(self) -> None:
        self._session.close()

    def sources_by_issn(self, issns: Sequence[str]) -> list[dict]:
        """Every source OpenAlex lists under any of ``issns`` (at most BATCH)."""
        if len(issns) > BATCH:
            raise ValueError(f"at most {BATCH} ISSNs per request")
        params = {"filter": "issn:" + "|".join(issns), "per_page": str(PER_PAGE),
                  "select": ",".join(FIELDS)}
        out: list[dict] = []
        page = 1
        while True:
            body = self._get("sources", dict(params, page=str(page)))
            out += body["results"]
            if len(out) >= body["meta"].get("count", 0) or not body["results"]:
                return out
            page += 1

    def _get(self, endpoint: str, params: dict) -> dict:
        s = self.settings
        if s.email:
            params["mailto"] = s.email
        if s.api_key:
            params["api_key"] = s.api_key
        url = s.base_url + endpoint

        def give_up(tries: int, elapsed: float, delay: float, problem: str) -> NetworkError:
            return NetworkError(
                f"OpenAlex ({url}) failed {tries} time(s) in {elapsed:.1f} s and the next try "
                f"({delay:g} s later) would pass the {s.give_up_after:g} s allowed "
                f"(REVIEW_OPENALEX_GIVE_UP); giving up. Last problem: {problem}. "
                "Nothing was stored; run the same command again later.")

        def retried(problem: str) -> None:
            self.stats.faults.append(problem)
            self.stats.retries += 1

        policy = Policy(s.backoff, s.max_backoff, s.give_up_after)
        return call_with_retries(lambda: self._attempt(url, params), policy, give_up,
                                 on_retry=retried, clock=self._clock, sleep=self._sleep)

    def _attempt(self, url: str, params: dict) -> dict:
        """One request: the parsed answer, or Retry for what may pass."""
        import requests

        self.limiter.wait()
        self.stats.requests += 1
        try:
            resp = self._session.get(url, params=params, timeout=self.settings.timeout)
        except requests.Timeout:
            raise Retry(f"no answer within {self.settings.timeout:g} s") from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as exc:
            raise Retry(f"connection failed: {type(exc).__name__}") from None
        if resp.status_code in RETRY_STATUS:
            raise Retry(f"HTTP {resp.status_code}", retry_after_seconds(resp.headers.get("Retry-After")))
        if resp.status_code != 200:
            raise NetworkError(f"OpenAlex ({url}) answered HTTP {resp.status_code}: {resp.text[:200]!r}")
        return _parse(resp.content)


def _parse(body: bytes) -> dict:
    """The answer's JSON; Retry when it is not the list OpenAlex sends (cut short?)."""
    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise Retry(f"bad answer: not JSON ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), list) \
            or not isinstance(doc.get("meta"), dict):
        raise Retry("bad answer: no 'meta' and 'results' in it")
    return doc
