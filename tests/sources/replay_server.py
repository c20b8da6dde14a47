"""A local stand-in for NCBI E-utilities (esearch.fcgi / efetch.fcgi) on 127.0.0.1.

Two kinds of data:

* recorded: the real efetch articles in tests/data/entrez/pubmed*.xml, served
  for the query ``RECORDED_QUERY`` (and the real zero-hit esearch8.xml for
  anything else when ``synthetic`` is None);
* synthetic: ``Synthetic(total, first, last)`` spreads PMIDs 1..total evenly
  over the publication dates first..last, so esearch honours mindate/maxdate
  (and the client must split windows of more than 9,999 hits); efetch returns
  minimal valid PubmedArticle XML for the requested ids.

Faults are queued with ``fail(kind, endpoint=None, times=1)``: ``429`` (NCBI's
JSON body), ``500`` (an HTML page), ``truncate`` (half the body, connection
closed early), ``badxml`` (complete HTTP response whose XML lacks its closing
tags) and ``drop`` (socket closed with no response) and ``error``
(HTTP 200 whose body is E-utilities' ``<ERROR>``). Every request is logged
with its arrival time on the monotonic clock; ``enforce_rate`` makes the server
answer 429 like NCBI when a client goes over the limit.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "entrez"
RECORDED_QUERY = "recorded[all]"
RATE_LIMIT_BODY = b'{"error":"API rate limit exceeded","api-key":"127.0.0.1","count":"4","limit":"3"}'
HTML_500 = (b"<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>"
            b"<body><h1>Internal Server Error</h1><p>The server encountered an error.</p></body></html>")


@dataclass
class Synthetic:
    """``total`` PMIDs spread over [first, last]; ``day_burst`` extra PMIDs on one day."""

    total: int
    first: dt.date = dt.date(2000, 1, 1)
    last: dt.date = dt.date(2019, 12, 31)
    day_burst: tuple[dt.date, int] | None = None

    def __post_init__(self) -> None:
        span = (self.last - self.first).days + 1
        self.dates = [self.first + dt.timedelta(days=i * span // self.total) for i in range(self.total)]
        if self.day_burst:
            day, n = self.day_burst
            self.dates += [day] * n

    def ids(self, lo: dt.date, hi: dt.date) -> list[str]:
        return [str(i + 1) for i, d in enumerate(self.dates) if lo <= d <= hi]

    def article(self, pmid: str) -> str:
        d = self.dates[int(pmid) - 1]
        return (
            f"<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>"
            f"<Article PubModel=\"Print\"><Journal><ISSN IssnType=\"Print\">0000-0000</ISSN><JournalIssue>"
            f"<PubDate><Year>{d.year}</Year><Month>{d.month:02d}</Month><Day>{d.day:02d}</Day></PubDate>"
            f"</JournalIssue><Title>Journal of Synthetic Results</Title></Journal>"
            f"<ArticleTitle>Synthetic article {pmid}</ArticleTitle><Language>eng</Language>"
            f"<PublicationTypeList><PublicationType>Journal Article</PublicationType></PublicationTypeList>"
            f"</Article><MedlineJournalInfo><MedlineTA>J Synth Res</MedlineTA><NlmUniqueID>0000000</NlmUniqueID>"
            f"</MedlineJournalInfo></MedlineCitation></PubmedArticle>"
        )


def recorded_articles() -> dict[str, str]:
    """PMID -> serialised <PubmedArticle> from the recorded efetch files."""
    out = {}
    for f in sorted(DATA.glob("pubmed*.xml")):
        root = ET.parse(f).getroot()
        for art in root.findall("PubmedArticle"):
            out[art.findtext("MedlineCitation/PMID")] = ET.tostring(art, encoding="unicode")
    return out


@dataclass
class LoggedRequest:
    t: float
    endpoint: str
    params: dict
    answer: str = ""


@dataclass
class Fault:
    kind: str
    endpoint: str | None
    times: int
    retry_after: str | None = None


class EutilsState:
    """What the fake server knows and logs (shared by its handler threads)."""

    def __init__(self, synthetic: Synthetic | None, rate_limit: int | None):
        self.synthetic = synthetic
        self.recorded = recorded_articles()
        self.rate_limit = rate_limit
        self.log: list[LoggedRequest] = []
        self.faults: list[Fault] = []
        self.histories: dict[str, list[str]] = {}
        self.lock = threading.Lock()
        self._recent: deque[float] = deque()

    # -- requests -----------------------------------------------------------------------

    def arrive(self, endpoint: str, params: dict) -> tuple[LoggedRequest, Fault | None, bool]:
        with self.lock:
            req = LoggedRequest(time.monotonic(), endpoint, params)
            self.log.append(req)
            over = False
            if self.rate_limit:
                while self._recent and req.t - self._recent[0] >= 1.0:
                    self._recent.popleft()
                self._recent.append(req.t)
                over = len(self._recent) > self.rate_limit
            fault = None
            for f in self.faults:
                if f.times > 0 and (f.endpoint is None or f.endpoint == endpoint):
                    f.times -= 1
                    fault = f
                    break
            return req, fault, over

    def esearch(self, p: dict) -> bytes:
        term = p.get("term", "")
        if self.synthetic is not None:
            lo = _date(p.get("mindate")) or dt.date(1, 1, 1)
            hi = _date(p.get("maxdate")) or dt.date(9999, 12, 31)
            ids = self.synthetic.ids(lo, hi)
        elif term == RECORDED_QUERY:
            ids = list(self.recorded)
        else:
            return (DATA / "esearch8.xml").read_bytes()
        retstart, retmax = int(p.get("retstart", 0)), int(p.get("retmax", 20))
        with self.lock:
            webenv = f"MCID_TEST_{len(self.histories) + 1}"
            self.histories[webenv] = ids
        shown = ids[retstart:min(retstart + retmax, 9999)]
        id_xml = "".join(f"<Id>{i}</Id>" for i in shown)
        return (
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            f"<eSearchResult><Count>{len(ids)}</Count><RetMax>{len(shown)}</RetMax><RetStart>{retstart}</RetStart>"
            f"<QueryKey>1</QueryKey><WebEnv>{webenv}</WebEnv><IdList>{id_xml}</IdList>"
            f"<QueryTranslation>{term}</QueryTranslation></eSearchResult>\n"
        ).encode()

    def efetch(self, p: dict) -> bytes:
        if "id" in p:
            ids = [i for i in p["id"].split(",") if i]
        else:
            ids = self.histories.get(p.get("WebEnv", ""))
            if ids is None:
                return b"<eFetchResult><ERROR>Unable to obtain query #1</ERROR></eFetchResult>"
            start = int(p.get("retstart", 0))
            ids = ids[start:start + int(p.get("retmax", 20))]
        parts = []
        for i in ids:
            if self.synthetic is not None and i.isdigit() and 0 < int(i) <= len(self.synthetic.dates):
                parts.append(self.synthetic.article(i))
            elif i in self.recorded:
                parts.append(self.recorded[i])
        return ('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
                '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
                "<PubmedArticleSet>\n" + "\n".join(parts) + "\n</PubmedArticleSet>\n").encode()


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    y, m, d = (int(x) for x in text.split("/"))
    return dt.date(y, m, d)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        self._answer(url.path, dict(urllib.parse.parse_qsl(url.query)))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(length).decode()
        url = urllib.parse.urlsplit(self.path)
        self._answer(url.path, dict(urllib.parse.parse_qsl(form)))

    def _answer(self, path: str, params: dict) -> None:
        state = self.server.state
        endpoint = path.rsplit("/", 1)[-1]
        req, fault, over = state.arrive(endpoint, params)
        if over:
            req.answer = "429-enforced"
            return self._send(429, RATE_LIMIT_BODY, "application/json")
        if fault and fault.kind == "drop":
            req.answer = "drop"
            self.close_connection = True
            self.connection.close()
            return
        if fault and fault.kind == "429":
            req.answer = "429"
            return self._send(429, RATE_LIMIT_BODY, "application/json", fault.retry_after)
        if fault and fault.kind == "500":
            req.answer = "500"
            return self._send(500, HTML_500, "text/html")
        if endpoint == "esearch.fcgi":
            body = state.esearch(params)
        elif endpoint == "efetch.fcgi":
            body = state.efetch(params)
        else:
            req.answer = "404"
            return self._send(404, b"not found", "text/plain")
        if fault and fault.kind == "error":
            req.answer = "error"
            tag = "eSearchResult" if endpoint == "esearch.fcgi" else "eFetchResult"
            return self._send(200, f"<{tag}><ERROR>Invalid query</ERROR></{tag}>".encode(), "text/xml")
        if fault and fault.kind == "badxml":
            req.answer = "badxml"
            return self._send(200, body[: len(body) * 2 // 3], "text/xml")
        if fault and fault.kind == "truncate":
            req.answer = "truncate"
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.close()
            return
        req.answer = "200"
        self._send(200, body, "text/xml; charset=UTF-8")

    def _send(self, code: int, body: bytes, ctype: str, retry_after: str | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if retry_after is not None:
            self.send_header("Retry-After", retry_after)
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: EutilsState


@dataclass
class ReplayServer:
    """Start with ``start()``; ``url`` is the base URL for REVIEW_EUTILS_URL."""

    synthetic: Synthetic | None = None
    rate_limit: int | None = None
    _server: _Server | None = field(default=None, init=False)

    def start(self) -> "ReplayServer":
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = EutilsState(self.synthetic, self.rate_limit)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def state(self) -> EutilsState:
        assert self._server is not None
        return self._server.state

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/entrez/eutils/"

    @property
    def log(self) -> list[LoggedRequest]:
        return list(self.state.log)

    def fail(self, kind: str, endpoint: str | None = None, times: int = 1, retry_after: str | None = None) -> None:
        """Queue a fault for the next ``times`` requests (to ``endpoint`` if given)."""
        with self.state.lock:
            self.state.faults.append(Fault(kind, endpoint, times, retry_after))

    def max_in_any_second(self) -> int:
        """Most requests that arrived within any sliding window of one second."""
        ts = sorted(r.t for r in self.state.log)
        best, j = 0, 0
        for i, t in enumerate(ts):
            while t - ts[j] >= 1.0:
                j += 1
            best = max(best, i - j + 1)
        return best
