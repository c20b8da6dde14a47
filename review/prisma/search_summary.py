"""The PRISMA-S search summary (Rethlefsen et al., Syst Rev 2021;10:39) from the
project's search log: the items a tool can fill in from what it ran and
stored.

- item 1, database name with platform;
- item 8, full search strategies, exactly as run (PubMed: the query sent; an
  imported export: the strategy the protocol states for that database);
- item 9, limits and restrictions (PubMed: the date window and date type);
- item 13, dates of searches (PubMed: when it ran; an import: the protocol's
  ``searched`` date, and when it was imported);
- item 15, records per database and per search or import;
- item 16, deduplication: process and software with its version.

What review cannot know (a database's platform for a hand-run search, the
justification of limits) is said to be not recorded, never guessed.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

from review import __version__
from review.db import prisma as q
from review.db import units
from review.prisma.counts import identified, source_names
from review.protocol import Protocol

PUBMED_PLATFORM = "PubMed (NCBI), searched through the NCBI E-utilities (esearch, efetch) by review"
DATETYPES = {"pdat": "publication date", "edat": "Entrez date", "mdat": "modification date"}


def _search_entry(s: dict) -> dict:
    d = s["details"]
    return {
        "id": s["id"], "kind": s["kind"], "status": s["status"], "query": s["query"],
        "mindate": s["mindate"], "maxdate": s["maxdate"], "datetype": d.get("datetype"),
        "max_records": d.get("max"), "file": s["file"], "sha256": s["file_sha256"], "format": s["format"],
        "started_at": s["started_at"], "finished_at": s["finished_at"], "tool_version": s["tool_version"],
        "actor": s["actor"], "reported": s["count_reported"], "found": s["count_found"],
        "added": s["count_added"], "linked": s["linked"], "named_databases": s["named_databases"],
    }


def _limits(entry: dict) -> list[str]:
    if entry["kind"] != "search":
        return []
    out = []
    if entry["mindate"] or entry["maxdate"]:
        what = DATETYPES.get(entry["datetype"] or "pdat", entry["datetype"])
        out.append(f"{what} from {entry['mindate'] or 'the start'} to {entry['maxdate'] or 'the search date'}")
    if entry["max_records"]:
        out.append(f"at most {entry['max_records']} records fetched")
    return out


def _platform(name: str, entries: list[dict]) -> str:
    if any(e["kind"] == "search" for e in entries):
        versions = sorted({e["tool_version"] for e in entries if e["kind"] == "search"})
        return f"{PUBMED_PLATFORM} {', '.join(versions)}"
    named = Counter()
    for e in entries:
        named.update(e["named_databases"])
    formats = sorted({e["format"] for e in entries if e["format"]})
    if named:
        shown = "; ".join(k for k, _ in named.most_common(3))
        return f"not recorded by review; the exported records name {shown} (export format {', '.join(formats)})"
    return f"not recorded by review (export format {', '.join(formats) or 'unknown'})"


def summarise(conn: sqlite3.Connection, protocol: Protocol) -> dict:
    """The PRISMA-S items 1, 8, 9, 13, 15 and 16 as a JSON-able document:
    ``sources`` (one per database or register, with its searches and imports),
    ``records``, ``deduplication``, and ``items`` (item number -> lines of text)."""
    notes: list[str] = []
    database_results, register_results, _ = identified(conn, protocol, notes)
    counts = {**database_results, **register_results}
    log = q.searches(conn)
    names = source_names({s["source"] for s in log} | set(counts), protocol)
    declared = {d.name: d for d in protocol.sources.databases}
    sources = []
    for name in list(counts) + sorted({names[s["source"]] for s in log} - set(counts)):
        entries = [_search_entry(s) for s in log if names[s["source"]] == name]
        decl = declared.get(name)
        run = [e["query"] for e in entries if e["kind"] == "search" and e["query"]]
        strategies = list(dict.fromkeys(run)) or ([decl.query] if decl and decl.query else [])
        sources.append({
            "name": name,
            "kind": decl.kind if decl else "database",
            "platform": _platform(name, entries),
            "strategies": strategies,
            "strategy_from": "search log (as run)" if run else ("protocol" if strategies else "not recorded"),
            "limits": list(dict.fromkeys(x for e in entries for x in _limits(e))),
            "searched": decl.searched if decl and decl.searched else None,
            "last_search": max((e["finished_at"] or e["started_at"] for e in entries if e["kind"] == "search"),
                               default=None),
            "imported": [e["finished_at"] or e["started_at"] for e in entries if e["kind"] == "import"],
            "records": counts.get(name, 0),
            "searches": entries,
        })
    dedup = deduplication(conn, sum(counts.values()))
    doc = {"sources": sources, "records": sum(counts.values()), "deduplication": dedup, "notes": notes}
    doc["items"] = items(doc)
    return doc


def deduplication(conn: sqlite3.Connection, identified_records: int) -> dict:
    """How duplicates were found and removed (item 16)."""
    from review.dedup.store import effective_decisions, open_pairs

    runs = q.dedup_runs(conn)
    decided = Counter(effective_decisions(conn).values())
    unique = len(units.active_units(conn))
    versions = sorted({r["tool_version"] for r in runs})
    software = f"review {', '.join(versions)}" if versions else f"review {__version__} (not run yet)"
    return {
        "software": software,
        "process": ("duplicates grouped, never deleted: pairs found by blocking on identifiers and bibliographic"
                    " keys and scored field by field; certain pairs merged automatically, possible pairs decided"
                    " by a person; no group holds two different DOIs or PMIDs"),
        "runs": len(runs),
        "first_run": runs[0]["started_at"] if runs else None,
        "last_run": runs[-1]["finished_at"] or runs[-1]["started_at"] if runs else None,
        "certain_pairs_last_run": runs[-1]["certain"] if runs else 0,
        "possible_pairs_last_run": runs[-1]["possible"] if runs else 0,
        "person_merged": decided.get("merge", 0),
        "person_kept_apart": decided.get("keep", 0),
        "possible_pairs_open": len(open_pairs(conn)),
        "records_identified": identified_records,
        "unique_records": unique,
        "duplicates_removed": identified_records - unique,
    }


def _date(ts: str | None) -> str:
    return (ts or "")[:10] or "not recorded"


def items(doc: dict) -> dict[str, list[str]]:
    """Item number -> lines of text (the text form of the summary)."""
    src = doc["sources"]
    out: dict[str, list[str]] = {"1": [], "8": [], "9": [], "13": [], "15": [], "16": []}
    for s in src:
        kind = "register" if s["kind"] == "register" else "database"
        out["1"].append(f"{s['name']} ({kind}): platform {s['platform']}")
        if s["strategies"]:
            for q_ in s["strategies"]:
                out["8"].append(f"{s['name']} ({s['strategy_from']}): {q_}")
        else:
            out["8"].append(f"{s['name']}: strategy not recorded (add 'query' to its [[sources.databases]] entry)")
        out["9"].append(f"{s['name']}: " + ("; ".join(s["limits"]) if s["limits"] else
                                             "no limits applied by review (any limits are part of the strategy)"))
        when = []
        if s["last_search"]:
            when.append(f"searched {_date(s['last_search'])} (last run)")
        if s["searched"]:
            when.append(f"searched {s['searched']} (protocol)")
        if s["imported"]:
            when.append("imported " + ", ".join(_date(t) for t in s["imported"]))
        out["13"].append(f"{s['name']}: " + ("; ".join(when) or "not recorded"))
        runs = []
        for e in s["searches"]:
            label = f"{e['kind']} {e['id']}" + (f" ({e['file']})" if e["file"] else "")
            found = e["found"] if e["found"] is not None else e["linked"]
            extra = f", NCBI reported {e['reported']}" if e["kind"] == "search" and e["reported"] is not None else ""
            runs.append(f"{label}: {found} records{extra}, {e['added'] or 0} new"
                        + ("" if e["status"] == "complete" else f" [{e['status']}]"))
        out["15"].append(f"{s['name']}: {s['records']} records" + (f" ({'; '.join(runs)})" if runs else ""))
    out["15"].append(f"Total: {doc['records']} records")
    d = doc["deduplication"]
    out["16"].append(f"Software: {d['software']}; {d['process']}.")
    if d["runs"]:
        runs = f"{d['runs']} run" + ("s, the last" if d["runs"] > 1 else "")
        out["16"].append(f"{runs} on {_date(d['last_run'])}: {d['certain_pairs_last_run']}"
                         f" certain and {d['possible_pairs_last_run']} possible pairs; people merged"
                         f" {d['person_merged']} and kept apart {d['person_kept_apart']} pairs"
                         f" ({d['possible_pairs_open']} possible pairs still open).")
    out["16"].append(f"{d['records_identified']} records identified, {d['unique_records']} unique:"
                     f" {d['duplicates_removed']} duplicates removed.")
    return out


TITLES = {
    "1": "Database name (with platform)",
    "8": "Full search strategies, exactly as run",
    "9": "Limits and restrictions",
    "13": "Dates of searches",
    "15": "Total records per database",
    "16": "Deduplication: process and software",
}


def format_text(doc: dict) -> str:
    lines = ["PRISMA-S search summary (items 1, 8, 9, 13, 15, 16)"]
    for k, title in TITLES.items():
        lines.append("")
        lines.append(f"Item {k}. {title}")
        lines.extend(f"  {x}" for x in doc["items"][k])
    if doc["notes"]:
        lines.append("")
        lines.append("Notes")
        lines.extend(f"  - {x}" for x in doc["notes"])
    return "\n".join(lines)
