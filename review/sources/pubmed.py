"""A PubMed search, from query to stored records, resumable and logged.

``run_search`` does three phases, all recorded in the staging tables
(review.db.staging) so that an interrupted or failed run resumes where it
stopped:

1. plan: esearch the window [mindate, maxdate] (history server on, up to 9,999
   ids); a window with more hits than E-utilities can page through is bisected
   by publication date until every part lists at most 9,999 PMIDs;
2. fetch: efetch each window's PMIDs in batches of ``BATCH_SIZE`` (by WebEnv /
   query_key + retstart on a fresh window, by PMID list for what a resumed run
   still misses), each parsed batch staged in its own transaction;
3. store: the staged records move into ``records`` (store_records, never twice)
   and the search is logged complete, in one transaction.

Nothing reaches ``records`` before phase 3, so a failed search leaves the
project's records exactly as they were.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import Callable

from review.clock import current_actor
from review.db import audit, staging, transaction
from review.db.records import finish_search, start_search, store_records
from review.errors import BadInput, ProblemFound
from review.sources import windows as win
from review.sources.eutils import MAX_IDS_PER_QUERY, EutilsClient

SOURCE = "pubmed"
# efetch batch: NCBI allows up to 10,000 per request; 500 keeps each response
# at a few MB (quick to retry when a body is cut off) while needing only one
# request per 500 records.
BATCH_SIZE = 500
UNFINISHED = ("interrupted", "failed")

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

    def as_dict(self) -> dict:
        return {
            "search_id": self.search_id, "source": SOURCE, "query": self.query,
            "mindate": self.mindate, "maxdate": self.maxdate, "datetype": self.datetype,
            "count_reported": self.count_reported, "count_fetched": self.count_fetched,
            "added": self.added, "already_present": self.already_present,
            "resumed": self.resumed, "windows": self.windows, "requests": self.requests,
            "retries": self.retries, "missing_pmids": self.missing_pmids,
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
    sql = ("SELECT id FROM searches WHERE kind = 'search' AND source = ? AND query = ?"
           f" AND status IN ({','.join('?' for _ in statuses)})")
    params: list = [SOURCE, query, *statuses]
    for col, val in (("mindate", mindate), ("maxdate", maxdate)):
        if val is not None:
            sql += f" AND {col} = ?"
            params.append(val)
    row = conn.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
    return row[0] if row else None


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
    statuses = (*UNFINISHED, "running") if resume else UNFINISHED
    sid = find_resumable(conn, query, lo if (mindate or not resume) else None,
                         hi if (maxdate or not resume) else None, statuses)
    resumed = sid is not None
    if resume and not resumed:
        raise BadInput(f"no unfinished PubMed search for query {query!r} to resume", where="--resume")
    with transaction(conn):
        if resumed:
            row = conn.execute("SELECT mindate, maxdate FROM searches WHERE id = ?", (sid,)).fetchone()
            lo, hi = row["mindate"], row["maxdate"]
            conn.execute("UPDATE searches SET status = 'running', finished_at = NULL WHERE id = ?", (sid,))
        else:
            sid = start_search(conn, kind="search", source=SOURCE, actor=actor, query=query,
                               mindate=lo, maxdate=hi,
                               details={"datetype": datetype, "max": max_records, "batch_size": BATCH_SIZE})
            staging.add_window(conn, sid, lo, hi, 0)
    out = SearchOutcome(sid, query, lo, hi, datetype, 0, 0, 0, 0, resumed)
    try:
        fresh = _plan(conn, client, sid, query, datetype, progress)
        out.count_reported = _root_count(conn, sid)
        _fetch(conn, client, sid, fresh, max_records, progress)
        out.windows = [{"mindate": w.mindate, "maxdate": w.maxdate, "count": w.count}
                       for w in staging.windows(conn, sid, "listed")]
        out.requests, out.retries = client.stats.requests, client.stats.retries
        _store(conn, sid, out, max_records, actor)
    except BaseException as exc:
        status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        with transaction(conn):
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


def _fetch(conn: sqlite3.Connection, client: EutilsClient, sid: int,
           fresh: dict[str, tuple[str, str]], max_records: int | None, progress: Progress | None) -> None:
    """efetch what is listed and not yet staged (at most ``max_records`` in all)."""
    listed = staging.windows(conn, sid, "listed")
    plan: list[tuple[str, list[str]]] = []
    budget = max_records
    for w in listed:
        pmids = staging.window_pmids(conn, sid, w.mindate)
        if budget is not None:
            pmids = pmids[:budget]
            budget -= len(pmids)
        plan.append((w.mindate, pmids))
    total = sum(len(p) for _, p in plan)
    done = len(staging.staged_pmids(conn, sid) & {p for _, ps in plan for p in ps})
    if progress:
        progress("fetch", done, total)
    for mindate, pmids in plan:
        staged = staging.staged_pmids(conn, sid)
        if mindate in fresh and not staged.intersection(pmids):
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


def _store(conn: sqlite3.Connection, sid: int, out: SearchOutcome, max_records: int | None, actor: str) -> None:
    """Move staged records into ``records`` and log the search, in one transaction."""
    listed = {r[0] for r in conn.execute("SELECT pmid FROM search_pmids WHERE search_id = ?", (sid,))}
    staged = staging.staged_pmids(conn, sid)
    if max_records is None:
        out.missing_pmids = sorted(listed - staged, key=int)
    with transaction(conn):
        out.count_fetched = len(staged)
        out.added, out.already_present = store_records(conn, SOURCE, sid, staging.iter_staged(conn, sid))
        finish_search(conn, sid, status="complete", count_reported=out.count_reported,
                      count_found=out.count_fetched, count_added=out.added,
                      details={"windows": out.windows, "requests": out.requests, "retries": out.retries,
                               "missing_pmids": out.missing_pmids, "resumed": out.resumed,
                               "already_present": out.already_present})
        audit.log(conn, actor, "search", f"pubmed search {sid}",
                  {"query": out.query, "reported": out.count_reported, "fetched": out.count_fetched,
                   "added": out.added})
        staging.clear(conn, sid)
