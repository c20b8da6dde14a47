"""NCBI E-utilities over HTTP: esearch and efetch with one shared rate limit
and bounded retries.

The HTTP is done with ``requests`` rather than ``Bio.Entrez``: Bio.Entrez
retries HTTP 429 immediately and cannot validate a body before accepting it.
Here every request (retries included) first waits on the run's RateLimiter;
HTTP 429, 5xx, timeouts, dropped connections and truncated or unparseable
bodies are retried with exponential backoff (honouring ``Retry-After``) until
``give_up_after`` seconds have passed, then NetworkError (exit 3) is raised.

Settings (environment): ``REVIEW_EUTILS_URL`` base URL (tests, mirrors),
``NCBI_API_KEY``, ``NCBI_EMAIL``, ``REVIEW_EUTILS_RATE`` requests per second
(default 3, 10 with an API key; for mirrors and tests), ``REVIEW_EUTILS_GIVE_UP``
seconds before giving up (default 300), ``REVIEW_EUTILS_BACKOFF`` first backoff
in seconds (default 1), ``REVIEW_EUTILS_TIMEOUT`` per-request timeout (default 60).
"""

from __future__ import annotations

import email.utils
import os
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Callable, Sequence

from review import __version__
from review.errors import BadInput, NetworkError
from review.models import Record
from review.sources.ratelimit import RateLimiter

DEFAULT_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
TOOL = "review"
MAX_IDS_PER_QUERY = 9999  # esearch/efetch cannot page past this many ids
RETRY_STATUS = {429, 500, 502, 503, 504}


class RetryableBody(Exception):
    """A response body that is truncated or not what was asked for."""


class ServiceError(RetryableBody):
    """E-utilities answered with an <ERROR>: retried a few times (the search
    backend fails now and then), then reported as a refused request."""


SERVICE_ERROR_TRIES = 3


@dataclass(frozen=True)
class SearchResult:
    """One esearch: the count, the first ids, and the history handle."""

    count: int
    ids: tuple[str, ...]
    webenv: str = ""
    query_key: str = ""
    translation: str = ""


@dataclass(frozen=True)
class Retry:
    """One failed request about to be retried: what failed, when the next try
    is and when the client will give up (wall-clock seconds since the epoch)."""

    endpoint: str
    attempt: int
    problem: str
    delay: float
    next_try: float
    give_up_at: float

    def message(self) -> str:
        """One line for the user: what is waited for and until when."""
        def clock(t: float) -> str:
            return time.strftime("%H:%M:%S", time.localtime(t))

        return (f"PubMed {self.endpoint.removesuffix('.fcgi')} try {self.attempt} failed ({self.problem});"
                f" next try at {clock(self.next_try)} (in {self.delay:.0f} s); giving up at"
                f" {clock(self.give_up_at)} if it keeps failing (REVIEW_EUTILS_GIVE_UP)")


@dataclass
class ClientStats:
    requests: int = 0
    retries: int = 0
    faults: list[str] = field(default_factory=list)


@dataclass
class EutilsSettings:
    """Where and how fast to talk to E-utilities (see the module docstring)."""

    base_url: str = DEFAULT_URL
    api_key: str = ""
    email: str = ""
    rate: int = 3
    give_up_after: float = 300.0
    backoff: float = 1.0
    max_backoff: float = 60.0
    timeout: float = 60.0

    @classmethod
    def from_env(cls, env: dict | None = None) -> "EutilsSettings":
        env = os.environ if env is None else env
        key = env.get("NCBI_API_KEY", "")

        def num(name: str, default: float) -> float:
            val = env.get(name)
            if not val:
                return default
            try:
                out = float(val)
            except ValueError:
                raise BadInput(f"{name}={val!r} is not a number", where="environment") from None
            if out <= 0:
                raise BadInput(f"{name}={val!r} must be positive", where="environment")
            return out

        url = env.get("REVIEW_EUTILS_URL") or DEFAULT_URL
        return cls(
            base_url=url if url.endswith("/") else url + "/",
            api_key=key,
            email=env.get("NCBI_EMAIL", ""),
            rate=int(num("REVIEW_EUTILS_RATE", 10 if key else 3)),
            give_up_after=num("REVIEW_EUTILS_GIVE_UP", 300.0),
            backoff=num("REVIEW_EUTILS_BACKOFF", 1.0),
            timeout=num("REVIEW_EUTILS_TIMEOUT", 60.0),
        )


class EutilsClient:
    """esearch/efetch against one E-utilities base URL, rate-limited and retried."""

    def __init__(
        self,
        settings: EutilsSettings | None = None,
        *,
        limiter: RateLimiter | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        on_retry: Callable[[Retry], None] | None = None,
    ):
        """``on_retry`` is called before each wait between tries (the CLI prints it)."""
        import requests

        self.on_retry = on_retry
        self.settings = settings or EutilsSettings.from_env()
        self.limiter = limiter or RateLimiter(self.settings.rate, clock=clock, sleep=sleep)
        self.stats = ClientStats()
        self._clock = clock
        self._sleep = sleep
        self._session = requests.Session()
        self._session.headers["User-Agent"] = f"review/{__version__} (systematic review tool)"

    def close(self) -> None:
        self._session.close()

    # -- the two calls a search needs -------------------------------------------------

    def esearch(
        self, term: str, *, mindate: str | None = None, maxdate: str | None = None,
        datetype: str = "pdat", retmax: int = MAX_IDS_PER_QUERY,
    ) -> SearchResult:
        """Search PubMed with the history server on; up to ``retmax`` ids returned."""
        params = {"db": "pubmed", "term": term, "usehistory": "y", "retmax": str(retmax)}
        if mindate or maxdate:
            params.update(datetype=datetype, mindate=mindate or "", maxdate=maxdate or "")
        return self._request("esearch.fcgi", params, _parse_esearch)

    def efetch_history(self, webenv: str, query_key: str, retstart: int, retmax: int) -> list[Record]:
        """Records ``retstart .. retstart+retmax-1`` of a search on the history server."""
        params = {"db": "pubmed", "WebEnv": webenv, "query_key": query_key,
                  "retstart": str(retstart), "retmax": str(retmax), "retmode": "xml"}
        return self._request("efetch.fcgi", params, _parse_efetch)

    def efetch_ids(self, pmids: Sequence[str]) -> list[Record]:
        """Records for a list of PMIDs (sent by POST, so long lists are fine)."""
        params = {"db": "pubmed", "id": ",".join(pmids), "retmode": "xml"}
        return self._request("efetch.fcgi", params, _parse_efetch, post=True)

    # -- the machinery ------------------------------------------------------------------

    def _request(self, endpoint: str, params: dict, parse: Callable, *, post: bool = False):
        import requests

        s = self.settings
        params = dict(params, tool=TOOL)
        if s.email:
            params["email"] = s.email
        if s.api_key:
            params["api_key"] = s.api_key
        url = s.base_url + endpoint
        started = self._clock()
        attempt = 0
        service_errors = 0
        while True:
            attempt += 1
            self.limiter.wait()
            self.stats.requests += 1
            retry_after: float | None = None
            try:
                if post:
                    resp = self._session.post(url, data=params, timeout=s.timeout)
                else:
                    resp = self._session.get(url, params=params, timeout=s.timeout)
                body = resp.content
                if resp.status_code in RETRY_STATUS:
                    retry_after = _retry_after(resp.headers.get("Retry-After"))
                    problem = f"HTTP {resp.status_code} {_snippet(body)}"
                elif resp.status_code != 200:
                    raise NetworkError(
                        f"E-utilities {endpoint} answered HTTP {resp.status_code}: {_snippet(body)}"
                    )
                else:
                    return parse(body)
            except ServiceError as exc:
                service_errors += 1
                if service_errors >= SERVICE_ERROR_TRIES:
                    raise BadInput(
                        f"PubMed refused the request {service_errors} times: {exc}"
                        f" (check the query: {params.get('term', '') or endpoint})"
                    ) from None
                problem = f"service error: {exc}"
            except RetryableBody as exc:
                problem = f"bad response body: {exc}"
            except requests.Timeout:
                problem = f"no answer within {s.timeout:g} s"
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError) as exc:
                problem = f"connection failed: {type(exc).__name__}"
            self.stats.faults.append(problem)
            delay = min(s.backoff * 2 ** (attempt - 1), s.max_backoff)
            if retry_after is not None:
                delay = max(delay, retry_after)
            elapsed = self._clock() - started
            if elapsed + delay > s.give_up_after:
                raise NetworkError(
                    f"PubMed E-utilities ({url}) failed {attempt} time(s) in {elapsed:.1f} s, and the "
                    f"next try ({delay:g} s later) would pass the {s.give_up_after:g} s allowed "
                    f"(REVIEW_EUTILS_GIVE_UP); giving up. "
                    f"Last problem: {problem}. Run the same command again to resume."
                )
            self.stats.retries += 1
            if self.on_retry is not None:
                now = time.time()
                self.on_retry(Retry(endpoint, attempt, problem, delay, now + delay,
                                    now + max(0.0, s.give_up_after - elapsed)))
            self._sleep(delay)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _snippet(body: bytes, n: int = 120) -> str:
    text = body[:n].decode("utf-8", "replace").replace("\n", " ").strip()
    return f"({text!r})" if text else "(empty body)"


def _xml_root(body: bytes, what: str) -> ET.Element:
    from review.sources.xmlguard import refuse_entity_declarations

    refuse_entity_declarations(body, f"{what} response")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise RetryableBody(f"{what} XML does not parse ({exc})") from None
    errors = [e.text or "" for e in root.iter("ERROR")]
    if errors:
        raise ServiceError(f"{what} reported an error: {'; '.join(errors)}")
    return root


def _parse_esearch(body: bytes) -> SearchResult:
    root = _xml_root(body, "esearch")
    if root.tag != "eSearchResult":
        raise RetryableBody(f"esearch answered <{root.tag}>, not <eSearchResult>")
    count = root.findtext("Count")
    if count is None or not count.strip().isdigit():
        raise RetryableBody("esearch answer has no Count")
    return SearchResult(
        count=int(count),
        ids=tuple(e.text.strip() for e in root.findall("IdList/Id") if e.text),
        webenv=(root.findtext("WebEnv") or "").strip(),
        query_key=(root.findtext("QueryKey") or "").strip(),
        translation=(root.findtext("QueryTranslation") or "").strip(),
    )


def _parse_efetch(body: bytes) -> list[Record]:
    from review.sources.pubmed_xml import parse_pubmed_xml

    try:
        return list(parse_pubmed_xml(body, "efetch response"))
    except BadInput as exc:
        raise RetryableBody(str(exc)) from None
