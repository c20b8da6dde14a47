"""A local stand-in for OpenAlex's ``/sources`` endpoint on 127.0.0.1.

It answers ``GET /sources?filter=issn:A|B|...&per_page=N&page=P&select=...``
from the recorded-shape source objects in tests/data/journals/
openalex_sources.json, the way OpenAlex does: every source one of whose
``issn`` (or ``issn_l``) is asked, projected on ``select``, in the list
envelope ``{"meta": {...}, "results": [...], "group_by": []}``. An ISSN it
does not know simply matches nothing (``count`` 0).

Faults are queued with ``fail(kind, times=1, retry_after=None)``: ``429``
(OpenAlex's JSON body), ``500`` (an HTML page), ``drop`` (socket closed with
no answer) and ``badjson`` (HTTP 200 with a truncated body). Every request is
logged with its query parameters.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "journals" / "openalex_sources.json"
TOO_MANY = b'{"error": "Too Many Requests", "message": "You have exceeded the rate limit of 10 requests per second."}'
HTML_500 = b"<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>"


@dataclass
class Logged:
    path: str
    params: dict
    answer: str = ""


class _State:
    def __init__(self, sources: list[dict]):
        self.sources = sources
        self.log: list[Logged] = []
        self.faults: list[list] = []  # [kind, times, retry_after]
        self.lock = threading.Lock()

    def answer(self, params: dict) -> dict:
        flt = params.get("filter", "")
        if not flt.startswith("issn:"):
            return {"error": "Invalid query parameters error.",
                    "message": f"{flt} is not a valid filter"}
        asked = set(flt[len("issn:"):].split("|"))
        found = [s for s in self.sources if asked & set(s.get("issn") or []) or s.get("issn_l") in asked]
        per_page, page = int(params.get("per_page", 25)), int(params.get("page", 1))
        shown = found[(page - 1) * per_page: page * per_page]
        if params.get("select"):
            keys = params["select"].split(",")
            shown = [{k: s[k] for k in keys if k in s} for s in shown]
        return {"meta": {"count": len(found), "db_response_time_ms": 12, "page": page,
                         "per_page": per_page, "groups_count": None},
                "results": shown, "group_by": []}


def _reply(state: _State, path: str, params: dict, fault: list | None) -> tuple[str, int, bytes, dict]:
    """(what was answered, status, body, extra headers) for one request."""
    kind = fault[0] if fault else None
    if kind == "429":
        return "429", 429, TOO_MANY, {"Retry-After": fault[2]} if fault[2] is not None else {}
    if kind == "500":
        return "500", 500, HTML_500, {}
    if not path.endswith("/sources"):
        return "404", 404, b'{"error": "Not found"}', {}
    doc = state.answer(params)
    if "error" in doc:
        return "403", 403, json.dumps(doc).encode(), {}
    body = json.dumps(doc).encode()
    if kind == "badjson":
        return "badjson", 200, body[: len(body) // 2], {}
    return "200", 200, body, {}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: _State  # set on the subclass each server makes

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        state: _State = self.state
        with state.lock:
            req = Logged(url.path, dict(urllib.parse.parse_qsl(url.query)))
            state.log.append(req)
            fault = next((f for f in state.faults if f[1] > 0), None)
            if fault:
                fault[1] -= 1
        if fault and fault[0] == "drop":
            req.answer = "drop"
            self.close_connection = True
            self.connection.close()
            return
        req.answer, status, body, headers = _reply(state, url.path, req.params, fault)
        self.send_response(status)
        for name, value in {"Content-Type": "application/json" if status != 500 else "text/html",
                            "Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class OpenAlexServer:
    """``OpenAlexServer(sources).start()``; ``url`` is the base for REVIEW_OPENALEX_URL."""

    def __init__(self, sources: list[dict] | None = None):
        self.state = _State(sources if sources is not None else json.loads(DATA.read_text(encoding="utf-8")))
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True

    def start(self) -> "OpenAlexServer":
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    @property
    def log(self) -> list[Logged]:
        with self.state.lock:
            return list(self.state.log)

    def fail(self, kind: str, times: int = 1, retry_after: str | None = None) -> None:
        """Queue a fault for the next ``times`` requests."""
        with self.state.lock:
            self.state.faults.append([kind, times, retry_after])
