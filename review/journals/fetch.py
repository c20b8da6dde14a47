"""`review journals fetch`: fill the gaps the metric files leave with
OpenAlex's two-year mean citedness, asked by ISSN.

Only units (duplicate groups) without a metric are looked up, and only by
their ISSNs (a name search could find a namesake). What OpenAlex answers for
each ISSN, including "unknown", is cached in the project: an ISSN asked once
is not asked again unless ``refresh`` (which also re-asks the journals whose
metric came from OpenAlex, for a newer figure). Everything is fetched first
and stored in one transaction; a network failure stores nothing.

The figure is stored as kind ``openalex_2yr_mean_citedness`` for the year
before the fetch (OpenAlex counts that year's citations to the two years
before it). OpenAlex's 0 is stored as "no value": it means no recent items
or citations were counted (often a renamed or merged title), not a very low
impact. It is not a Journal Impact Factor: see docs/journals.md.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Callable

from review.clock import current_actor, now
from review.db import audit, transaction
from review.db import journals as jdb
from review.journals import OPENALEX
from review.journals.match import AMBIGUOUS, JournalIndex, match_units, signature, units
from review.journals.model import JournalEntry, MetricValue
from review.journals.openalex import BATCH, FIELDS, OpenAlexClient


@dataclass
class FetchResult:
    gaps_before: int  # units without a metric before the fetch
    gaps_after: int
    no_issn: int  # gap units with no ISSN to ask by
    asked: int  # ISSNs asked this time
    from_cache: int  # ISSNs answered from the cache
    requests: int
    retries: int
    journals: int = 0  # OpenAlex sources stored
    metrics: int = 0
    without_value: int = 0  # sources whose figure is 0 or missing
    ambiguous: int = 0  # gap units whose ISSNs lead to sources with different figures
    unknown: list[str] = field(default_factory=list)  # ISSNs OpenAlex does not know
    year: int | None = None
    import_id: int | None = None

    def to_json(self) -> dict:
        return asdict(self)


def _value(src: dict) -> float | None:
    v = (src.get("summary_stats") or {}).get("2yr_mean_citedness")
    return float(v) if isinstance(v, (int, float)) and v > 0 else None


def _entry(src: dict, year: int) -> JournalEntry:
    issn_l = src.get("issn_l") or ""
    issns = [(i, "linking" if i == issn_l else "other") for i in (src.get("issn") or [])]
    if issn_l and issn_l not in (src.get("issn") or []):
        issns.append((issn_l, "linking"))
    raw = (src.get("summary_stats") or {}).get("2yr_mean_citedness")
    return JournalEntry(src.get("display_name") or "", src.get("abbreviated_title") or "", issns, "",
                        [MetricValue(OPENALEX, year, _value(src), "", "" if raw is None else str(raw))])


def fetch_gaps(conn: sqlite3.Connection, client: OpenAlexClient, *, refresh: bool = False,
               actor: str | None = None,
               progress: Callable[[int, int], None] | None = None) -> FetchResult:
    """Ask OpenAlex for the journals of units without a metric; store what it knows."""
    actor = actor or current_actor()
    unit_rows = units(conn)
    matches = match_units(JournalIndex.load(conn), unit_rows)
    targets: set[frozenset[str]] = set()
    gaps = no_issn = 0
    for u, m in matches.items():
        if not m.found:
            gaps += 1
        if (m.found and not (refresh and m.kind == OPENALEX)) or m.reason == AMBIGUOUS:
            continue
        issns = frozenset(k for label, k in signature(unit_rows[u])[0] if label != "nlm")
        if issns:
            targets.add(issns)
        elif not m.found:
            no_issn += 1
    wanted = sorted(set().union(*targets)) if targets else []
    cache = jdb.cached_openalex(conn)
    ask = wanted if refresh else [i for i in wanted if i not in cache]
    answers: dict[str, list[dict]] = {}
    for start in range(0, len(ask), BATCH):
        batch = ask[start:start + BATCH]
        sources = client.sources_by_issn(batch)
        for issn in batch:
            answers[issn] = [{k: s.get(k) for k in FIELDS if k in s} for s in sources
                             if issn in (s.get("issn") or []) or s.get("issn_l") == issn]
        if progress:
            progress(min(start + BATCH, len(ask)), len(ask))
    res = FetchResult(gaps, gaps, no_issn, len(ask), len(wanted) - len(ask),
                      client.stats.requests, client.stats.retries)
    known = {i: src for i, (_, src) in cache.items()} | answers
    res.unknown = sorted(i for i in wanted if not known.get(i))
    if not answers:
        return res
    fetched_at = now()
    res.year = int(fetched_at[:4]) - 1
    chosen: dict[str, dict] = {}
    for t in targets:
        found = {s["id"]: s for i in t for s in answers.get(i, ())}
        if len({v for v in map(_value, found.values()) if v is not None}) > 1:
            res.ambiguous += 1
            continue
        chosen.update(found)
    with transaction(conn):
        jdb.cache_openalex(conn, answers, fetched_at)
        if chosen:
            entries = [_entry(s, res.year) for s in chosen.values()]
            res.without_value = sum(1 for e in entries if e.metrics[0].value is None)
            res.import_id = jdb.add_import(
                conn, file=client.settings.base_url + "sources", sha256=None, format="openalex",
                kind=OPENALEX, years=[res.year], rows=len(entries), actor=actor,
                details={"fetched_at": fetched_at, "asked": len(ask), "requests": res.requests})
            res.journals, _, res.metrics = jdb.store_entries(conn, res.import_id, entries)
            jdb.finish_import(conn, res.import_id, journals=res.journals, metrics=res.metrics)
        audit.log(conn, actor, "journals.fetch", client.settings.base_url,
                  {"import_id": res.import_id, "asked": len(ask), "requests": res.requests,
                   "retries": res.retries, "journals": res.journals, "metrics": res.metrics,
                   "unknown": len(res.unknown), "year": res.year, "refresh": refresh})
    after = match_units(JournalIndex.load(conn), unit_rows)
    res.gaps_after = sum(1 for m in after.values() if not m.found)
    return res
