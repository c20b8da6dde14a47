"""A PubMed search, from query to stored records, resumable and logged.

``run_search`` does three phases, all recorded in the staging tables
(review.db.staging) so that an interrupted or failed run resumes where it
stopped:

1. plan: esearch the window [mindate, maxdate] (history server on, up to 9,999
   ids); a window with more hits than E-utilities can page through is bisected
   by publication date until every part lists at most 9,999 PMIDs;
2. fetch: efetch each window's PMIDs in batches of ``BATCH_SIZE`` (by WebEnv /
   query_key + retstart on a fresh window, by PMID list for what a resumed run
   still misses), each parsed batch staged in its own transaction. PMIDs
   already stored from an earlier PubMed search are not fetched again (a
   re-run of a completed search costs its esearch requests only);
3. store: the staged records move into ``records`` (store_records, never twice),
   the records already stored are linked to this search, and the search is
   logged complete, in one transaction.

Nothing reaches ``records`` before phase 3, so a failed search leaves the
project's records exactly as they were.

Ownership: a run claims its search (new or resumed) inside one BEGIN IMMEDIATE
transaction and writes its owner (pid, host, start time, a token) into
``searches.details["owner"]``. A search left 'running' whose owner process is
gone (same host, pid not alive) is resumed by the same command like a
'failed' or 'interrupted' one; one whose owner is alive is refused, so two
processes never work on (and log) the same search. SIGTERM and SIGHUP are
handled like Ctrl-C for the duration of the run (search marked 'interrupted',
staging kept).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import sqlite3
import threading
import uuid
from dataclasses import dataclass, field
from typing import Callable

from review.clock import current_actor
from review.db import audit, staging, transaction
from review.db.records import (claim_search, find_searches, finish_search, iter_records, known_fingerprints,
                               search_row, start_search, store_records)
from review.errors import BadInput, ProblemFound, ReviewError
from review.sources import windows as win
from review.sources.eutils import MAX_IDS_PER_QUERY, EutilsClient

SOURCE = "PubMed"
LEGACY_SOURCE = "pubmed"  # what searches were filed under before PubMed file imports and searches shared a name


def source_name(conn: sqlite3.Connection) -> str:
    """The source PubMed searches file their records under: "PubMed" (as PubMed
    XML and MEDLINE imports do), or "pubmed" in a project that began before
    the two were one name, so that its re-runs still find what they stored."""
    return LEGACY_SOURCE if find_searches(conn, kind="search", source=LEGACY_SOURCE, query=None,
                                          statuses=("complete", "running", "failed", "interrupted")) else SOURCE
# efetch batch: NCBI allows up to 10,000 per request; 500 keeps each response
# at a few MB (quick to retry when a body is cut off) while needing only one
# request per 500 records.
BATCH_SIZE = 500
UNFINISHED = ("interrupted", "failed")


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP during a search: handled exactly like Ctrl-C."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"terminated by {signal.Signals(signum).name}")


class SearchBusy(ReviewError):
    """Another live process is running (or has just finished) this search."""

    exit_code = 1

Progress = Callable[[str, int, int], None]


@dataclass
class SearchOutcome:
    """What one run did (also the --json summary)."""

    search_id: int
    query: str
    mindate: str
    maxdate: str
    datetype: str
    count_reported: int
    count_fetched: int
    added: int
    already_present: int
    resumed: bool
    windows: list[dict] = field(default_factory=list)
    requests: int = 0
    retries: int = 0
    missing_pmids: list[str] = field(default_factory=list)
    not_refetched: int = 0  # listed PMIDs already stored by an earlier search: linked, not fetched

    def as_dict(self) -> dict:
        return {
            "search_id": self.search_id, "source": SOURCE, "query": self.query,
            "mindate": self.mindate, "maxdate": self.maxdate, "datetype": self.datetype,
            "count_reported": self.count_reported, "count_fetched": self.count_fetched,
            "added": self.added, "already_present": self.already_present,
            "resumed": self.resumed, "windows": self.windows, "requests": self.requests,
            "retries": self.retries, "missing_pmids": self.missing_pmids,
            "not_refetched": self.not_refetched,
        }


def resolve_window(mindate: str | None, maxdate: str | None, today: dt.date | None = None) -> tuple[str, str]:
    """Both ends as YYYY/MM/DD: no start means PubMed's beginning, no end today."""
    lo = win.normalise(mindate, where="--mindate") if mindate else win.EARLIEST
    hi = win.normalise(maxdate, end=True, where="--maxdate") if maxdate else win.fmt(today or dt.date.today())
    if win.parse_date(lo) > win.parse_date(hi):
        raise BadInput(f"mindate {lo} is after maxdate {hi}", where="--mindate/--maxdate")
    return lo, hi


def find_resumable(conn: sqlite3.Connection, query: str, mindate: str | None, maxdate: str | None,
                   statuses: tuple[str, ...]) -> int | None:
    """The latest unfinished PubMed search with this query (and window, when given)."""
    rows = _candidates(conn, query, mindate, maxdate, statuses)
    return rows[0]["id"] if rows else None


def _candidates(conn: sqlite3.Connection, query: str, mindate: str | None, maxdate: str | None,
                statuses: tuple[str, ...]) -> list[sqlite3.Row]:
    return find_searches(conn, kind="search", source=source_name(conn), query=query, statuses=statuses,
                         mindate=mindate, maxdate=maxdate)


# -- ownership ------------------------------------------------------------------------


def _proc_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), to tell a reused pid."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[19].decode() if len(fields) > 19 else None


def _proc_state(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0].decode()
    except (OSError, IndexError):
        return None


def new_owner() -> dict:
    """Who runs a search: this process (pid, host, start time) and a unique token."""
    return {"pid": os.getpid(), "host": socket.gethostname(), "proc_start": _proc_start(os.getpid()),
            "started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "token": uuid.uuid4().hex}


def owner_alive(owner: dict | None) -> bool | None:
    """True/False whether the owner process still runs; None when that cannot be told
    (another host). A 'running' search without an owner (left by an older version)
    counts as abandoned."""
    if not owner or not isinstance(owner.get("pid"), int):
        return False
    if owner.get("host") != socket.gethostname():
        return None
    pid = owner["pid"]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, another user's
    if _proc_state(pid) in ("Z", "X"):
        return False  # exited, not yet reaped
    start = owner.get("proc_start")
    now_start = _proc_start(pid)
    if start and now_start and start != now_start:
        return False  # the pid was reused by another process
    return True


def _owner_of(details: str | None) -> dict | None:
    try:
        owner = json.loads(details or "{}").get("owner")
    except (ValueError, AttributeError):
        return None
    return owner if isinstance(owner, dict) else None


def _busy(sid: int, owner: dict | None, *, other_host: bool) -> SearchBusy:
    who = f"process {owner.get('pid')} on host {owner.get('host')}" if owner else "another process"
    since = f" since {owner['started']}" if owner and owner.get("started") else ""
    if other_host:
        return SearchBusy(f"search {sid} is being run by {who}{since}; this host cannot tell whether it is"
                          " still alive: wait for it, or if it is gone run the same command with --resume")
    return SearchBusy(f"search {sid} is being run by {who}{since}; wait for it to finish or stop it"
                      " (kill it), then run the same command again to resume")


def _set_owner(conn: sqlite3.Connection, sid: int, owner: dict, old_details: str) -> bool:
    """Compare-and-set the owner (inside the caller's BEGIN IMMEDIATE): False if the row changed."""
    details = json.loads(old_details or "{}")
    details["owner"] = owner
    return claim_search(conn, sid, json.dumps(details, ensure_ascii=False), old_details)


def _claim(conn: sqlite3.Connection, query: str, lo: str, hi: str, mindate: str | None,
           maxdate: str | None, resume: bool, owner: dict) -> int | None:
    """In one BEGIN IMMEDIATE: the id of the unfinished search this run now owns, or None
    (then the caller starts a new one in the same transaction). Raises SearchBusy when a
    live process runs the search."""
    statuses = (*UNFINISHED, "running")
    rows = _candidates(conn, query, lo if (mindate or not resume) else None,
                       hi if (maxdate or not resume) else None, statuses)
    for row in rows:
        sid, status, details = row["id"], row["status"], row["details"]
        if status == "running":
            alive = owner_alive(_owner_of(details))
            if alive or (alive is None and not resume):
                raise _busy(sid, _owner_of(details), other_host=alive is None)
        if not _set_owner(conn, sid, owner, details):  # cannot happen under BEGIN IMMEDIATE
            raise _busy(sid, None, other_host=False)
        return sid
    return None


def _owns(conn: sqlite3.Connection, sid: int, owner: dict) -> bool:
    row = search_row(conn, sid)
    return bool(row) and row["status"] == "running" and \
        (_owner_of(row["details"]) or {}).get("token") == owner["token"]


class _Signals:
    """SIGTERM/SIGHUP raise Terminated (a KeyboardInterrupt) while the search runs."""

    NAMES = ("SIGTERM", "SIGHUP")

    def __init__(self) -> None:
        self.old: dict[int, object] = {}
        self.fired = False

    def _handle(self, signum, frame) -> None:
        if self.fired:  # a second signal must not abort the cleanup that records the interrupt
            return
        self.fired = True
        raise Terminated(signum)

    def __enter__(self) -> "_Signals":
        if threading.current_thread() is threading.main_thread():
            for name in self.NAMES:
                sig = getattr(signal, name, None)
                if sig is not None:
                    self.old[sig] = signal.signal(sig, self._handle)
        return self

    def hold(self) -> None:
        """From now on, ignore further signals until exit (cleanup in progress)."""
        self.fired = True

    def __exit__(self, *exc) -> None:
        for sig, handler in self.old.items():
            signal.signal(sig, handler)


def protocol_search(protocol, query: str | None = None, mindate: str | None = None,
                    maxdate: str | None = None) -> tuple[str, str | None, str | None, str]:
    """(query, mindate, maxdate, datetype): what was given, else the protocol's
    [sources.pubmed]. Dates given on the command line replace the protocol's
    window as a whole (never one end of each)."""
    pm = protocol.sources.pubmed
    datetype = "pdat"
    if query is None:
        if pm is None:
            raise BadInput("the protocol has no [sources.pubmed] query: pass --query", where="protocol")
        query = pm.query
    if pm is not None and mindate is None and maxdate is None:
        mindate, maxdate, datetype = pm.mindate, pm.maxdate, pm.datetype
    return query, mindate, maxdate, datetype


def run_search(
    conn: sqlite3.Connection,
    client: EutilsClient,
    *,
    query: str,
    mindate: str | None = None,
    maxdate: str | None = None,
    datetype: str = "pdat",
    max_records: int | None = None,
    resume: bool = False,
    progress: Progress | None = None,
) -> SearchOutcome:
    """Run (or resume) a PubMed search and store its records; see the module docstring."""
    if not query.strip():
        raise BadInput("empty PubMed query", where="--query")
    if max_records is not None and max_records < 1:
        raise BadInput(f"--max must be at least 1, got {max_records}", where="--max")
    lo, hi = resolve_window(mindate, maxdate)
    actor = current_actor()
    owner = new_owner()
    with _Signals() as sigs:
        with transaction(conn):
            sid = _claim(conn, query, lo, hi, mindate, maxdate, resume, owner)
            resumed = sid is not None
            if resume and not resumed:
                raise BadInput(f"no unfinished PubMed search for query {query!r} to resume", where="--resume")
            if resumed:
                row = search_row(conn, sid)
                lo, hi = row["mindate"], row["maxdate"]
            else:
                sid = start_search(conn, kind="search", source=source_name(conn), actor=actor, query=query,
                                   mindate=lo, maxdate=hi,
                                   details={"datetype": datetype, "max": max_records,
                                            "batch_size": BATCH_SIZE, "owner": owner})
                staging.add_window(conn, sid, lo, hi, 0)
        out = SearchOutcome(sid, query, lo, hi, datetype, 0, 0, 0, 0, resumed)
        try:
            fresh = _plan(conn, client, sid, query, datetype, progress)
            out.count_reported = _root_count(conn, sid)
            _fetch(conn, client, sid, fresh, max_records, progress)
            out.windows = [{"mindate": w.mindate, "maxdate": w.maxdate, "count": w.count}
                           for w in staging.windows(conn, sid, "listed")]
            out.requests, out.retries = client.stats.requests, client.stats.retries
            _store(conn, sid, out, max_records, actor, owner)
        except BaseException as exc:
            sigs.hold()
            if isinstance(exc, SearchBusy):
                raise
            status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
            if conn.in_transaction:  # interrupted between BEGIN and the transaction's own handler
                conn.rollback()
            with transaction(conn):
                if _owns(conn, sid, owner):  # never overwrite what another process logged
                    finish_search(conn, sid, status=status, count_reported=out.count_reported or None,
                                  count_found=staging.count_staged(conn, sid),
                                  details={"error": str(exc) or type(exc).__name__,
                                           "requests": client.stats.requests, "retries": client.stats.retries})
            raise
    return out


def _root_count(conn: sqlite3.Connection, sid: int) -> int:
    ws = staging.windows(conn, sid)
    root = min(ws, key=lambda w: w.depth)
    return root.count or 0


def _plan(conn: sqlite3.Connection, client: EutilsClient, sid: int, query: str, datetype: str,
          progress: Progress | None) -> dict[str, tuple[str, str]]:
    """esearch every planned window, splitting big ones; return fresh history handles."""
    fresh: dict[str, tuple[str, str]] = {}
    while True:
        planned = staging.windows(conn, sid, "planned")
        if not planned:
            return fresh
        for w in planned:
            res = client.esearch(query, mindate=w.mindate, maxdate=w.maxdate, datetype=datetype)
            if progress:
                progress(f"esearch {w.mindate}-{w.maxdate}: {res.count} hits", 0, 0)
            if res.count <= MAX_IDS_PER_QUERY:
                staging.list_window(conn, sid, w, res.count, res.ids, res.webenv, res.query_key)
                fresh[w.mindate] = (res.webenv, res.query_key)
            elif win.is_single_day(w.mindate, w.maxdate):
                raise ProblemFound(
                    f"PubMed reports {res.count} hits for the single day {w.mindate}; E-utilities "
                    f"can retrieve at most {MAX_IDS_PER_QUERY} per query and a day cannot be split "
                    "further: narrow the query (e.g. add a publication-type or subject limit)"
                )
            else:
                staging.split_window(conn, sid, w, res.count, win.bisect(w.mindate, w.maxdate))


def stored_pmids(conn: sqlite3.Connection) -> set[str]:
    """PMIDs of the records earlier PubMed searches stored."""
    return {fp[5:] for fp in known_fingerprints(conn, source_name(conn))
            if fp.startswith("pmid:") and "#" not in fp}


def _fetch(conn: sqlite3.Connection, client: EutilsClient, sid: int,
           fresh: dict[str, tuple[str, str]], max_records: int | None, progress: Progress | None) -> None:
    """efetch what is listed and neither staged nor stored (at most ``max_records`` in all)."""
    listed = staging.windows(conn, sid, "listed")
    stored = stored_pmids(conn)
    plan: list[tuple[str, list[str], bool]] = []
    budget = max_records
    for w in listed:
        pmids = staging.window_pmids(conn, sid, w.mindate)
        todo = [p for p in pmids if p not in stored]
        if budget is not None:
            todo = todo[:budget]
            budget -= len(todo)
        plan.append((w.mindate, todo, len(todo) == len(pmids)))
    total = sum(len(p) for _, p, _ in plan)
    done = len(staging.staged_pmids(conn, sid) & {p for _, ps, _ in plan for p in ps})
    if progress:
        progress("fetch", done, total)
    for mindate, pmids, whole in plan:
        staged = staging.staged_pmids(conn, sid)
        if whole and mindate in fresh and not staged.intersection(pmids):
            webenv, key = fresh[mindate]
            for start in range(0, len(pmids), BATCH_SIZE):
                n = min(BATCH_SIZE, len(pmids) - start)
                done += staging.stage_records(conn, sid, client.efetch_history(webenv, key, start, n))
                if progress:
                    progress("fetch", done, total)
            staged = staging.staged_pmids(conn, sid)
        missing = [p for p in pmids if p not in staged]
        for start in range(0, len(missing), BATCH_SIZE):
            done += staging.stage_records(conn, sid, client.efetch_ids(missing[start:start + BATCH_SIZE]))
            if progress:
                progress("fetch", done, total)


def _already_stored(conn: sqlite3.Connection, pmids: list[str]):
    """The stored PubMed records with these PMIDs (to link them to this search)."""
    for i in range(0, len(pmids), 500):
        chunk = pmids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        yield from [rec for _, rec in iter_records(conn, f"source = ? AND pmid IN ({marks})",
                                                   (source_name(conn), *chunk))]


def _store(conn: sqlite3.Connection, sid: int, out: SearchOutcome, max_records: int | None, actor: str,
           owner: dict) -> None:
    """Move staged records into ``records`` and log the search, in one transaction
    (refused when this run no longer owns the search, e.g. another finished it)."""
    listed = staging.listed_pmids(conn, sid)
    staged = staging.staged_pmids(conn, sid)
    before = sorted(listed & stored_pmids(conn) - staged, key=int)
    if max_records is None:
        out.missing_pmids = sorted(listed - staged - set(before), key=int)
    with transaction(conn):
        if not _owns(conn, sid, owner):
            row = search_row(conn, sid)
            if row and row["status"] == "complete":
                raise SearchBusy(f"search {sid} was completed by another process; nothing stored twice")
            raise _busy(sid, _owner_of(row["details"]) if row else None, other_host=False)
        out.count_fetched = len(staged)
        out.not_refetched = len(before)
        seen: dict[str, int] = {}
        source = source_name(conn)
        out.added, out.already_present = store_records(conn, source, sid, staging.iter_staged(conn, sid), seen)
        a, p = store_records(conn, source, sid, _already_stored(conn, before), seen)
        out.added, out.already_present = out.added + a, out.already_present + p
        finish_search(conn, sid, status="complete", count_reported=out.count_reported,
                      count_found=out.count_fetched + out.not_refetched, count_added=out.added,
                      details={"windows": out.windows, "requests": out.requests, "retries": out.retries,
                               "missing_pmids": out.missing_pmids, "resumed": out.resumed,
                               "not_refetched": out.not_refetched,
                               "already_present": out.already_present, "owner": None})
        audit.log(conn, actor, "search", f"pubmed search {sid}",
                  {"query": out.query, "reported": out.count_reported, "fetched": out.count_fetched,
                   "added": out.added})
        staging.clear(conn, sid)
