"""Why a record is grouped with whom: the pairs, field verdicts, scores and
rules that joined its group, the people's decisions on it, and the possible
pairs still open."""

from __future__ import annotations

import sqlite3

from review.db import dedup as ddb
from review.db.records import record_exists, titles_of
from review.dedup.store import effective_decisions, group_of, latest_run
from review.errors import BadInput


def explain(conn: sqlite3.Connection, record_id: int) -> dict:
    """A JSON-ready explanation of one record's grouping."""
    if not record_exists(conn, record_id):
        raise BadInput(f"no record {record_id}")
    gid = group_of(conn, record_id)
    members = ddb.group_members(conn, gid) or [record_id]
    titles = titles_of(conn, members)
    run_id = latest_run(conn)
    links, open_pairs = [], []
    mset = set(members)
    if run_id is not None:
        for p in ddb.pairs_touching(conn, run_id, members):
            a, b = p["record_a"], p["record_b"]
            item = {
                "pair_id": p["pair_id"], "records": [a, b], "tier": p["tier"], "rule": p["rule"],
                "score": p["score"], "reasons": p["reasons"], "fields": p["comparison"], "refused": p["refused"],
            }
            inside = a in mset and b in mset
            if inside and p["tier"] == "certain":
                links.append(item)
            elif record_id in (a, b) and not inside:
                open_pairs.append(item)
    decisions = []
    for (a, b), d in effective_decisions(conn).items():
        if a in mset or b in mset:
            decisions.append({"records": [a, b], "decision": d})
            if d == "merge" and a in mset and b in mset:
                links.append({"records": [a, b], "tier": "human", "rule": "merged by a person"})
    return {
        "record_id": record_id, "group_id": gid, "members": members,
        "titles": {str(k): v for k, v in titles.items()},
        "links": links, "decisions": decisions, "other_pairs": open_pairs,
    }


def format_explanation(doc: dict) -> str:
    """Plain-text rendering of ``explain``."""
    rid, members = doc["record_id"], doc["members"]
    lines = []
    if len(members) == 1:
        lines.append(f"record {rid} is not grouped with any other record")
    else:
        others = ", ".join(str(m) for m in members if m != rid)
        word = "record" if len(members) == 2 else "records"
        lines.append(f"record {rid} is a duplicate of {word} {others} (group {doc['group_id']})")
    for m in members:
        lines.append(f"  {m}: {doc['titles'].get(str(m), '')[:90]}")
    for link in doc["links"]:
        a, b = link["records"]
        lines.append(f"- {a} ~ {b}: {link['tier']} by rule {link['rule']}"
                     + (f" (score {link['score']:.3f})" if "score" in link else ""))
        f = link.get("fields")
        if f:
            verdicts = ", ".join(f"{k} {f[k]}" for k in ("doi", "pmid", "year", "authors", "journal", "volume", "pages",
                                                          "abstract") if f.get(k) not in (None, "na"))
            lines.append(f"    title {f['title']:.2f} ({f['title_how']}); {verdicts}")
            lines.append(f"    evidence: {'; '.join(link['reasons'])}")
    for d in doc["decisions"]:
        lines.append(f"- a person decided {d['decision']} for {d['records'][0]} and {d['records'][1]}")
    for p in doc["other_pairs"]:
        a, b = p["records"]
        why = p["refused"] or "; ".join(p["reasons"])
        lines.append(f"- not merged with {b if a == rid else a} (pair {p['pair_id']}, {p['tier']}): {why}")
    return "\n".join(lines)
