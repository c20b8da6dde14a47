"""What `review journals unmatched`, `show` and `match` print: journals the
records name that have no metric, what is stored, and how one record matched."""

from __future__ import annotations

import sqlite3
from collections import Counter

from review.db import journals as jdb
from review.journals.match import JournalIndex, match_units, signature, summary, units
from review.journals.names import title_key

EXAMPLES = 5


def unmatched(conn: sqlite3.Connection) -> list[dict]:
    """Journals (as records name them) of units with no metric, most records first.

    Records are counted once per duplicate group. ``reason`` is the commonest
    reason among them (unmatched, no_value, ambiguous, no_journal).
    """
    unit_rows = units(conn)
    matches = match_units(JournalIndex.load(conn), unit_rows)
    groups: dict[str, dict] = {}
    for u, m in sorted(matches.items()):
        if m.found:
            continue
        idents, names = signature(unit_rows[u])
        issns = [k for label, k in idents if label != "nlm"]
        name = names[0][1] if names else ""
        key = title_key(name) or ",".join(issns) or ""
        g = groups.setdefault(key, {"journal": name, "issns": [], "records": 0, "reasons": Counter(),
                                    "detail": m.detail, "candidates": list(m.candidates),
                                    "record_ids": []})
        g["records"] += 1
        g["reasons"][m.reason] += 1
        g["issns"] += [i for i in issns if i not in g["issns"]]
        if len(g["record_ids"]) < EXAMPLES:
            g["record_ids"].append(u)
    out = []
    for g in groups.values():
        reasons = g.pop("reasons")
        g["reason"] = reasons.most_common(1)[0][0]
        g["reasons"] = dict(reasons)
        out.append(g)
    return sorted(out, key=lambda g: (-g["records"], g["journal"].casefold(), g["issns"]))


def show(conn: sqlite3.Connection) -> dict:
    """Imports and fetches, what is stored, and how the project's units match."""
    matches = match_units(JournalIndex.load(conn), units(conn))
    return {"imports": jdb.imports(conn), "stored": jdb.counts(conn), "matching": summary(matches)}


def explain(conn: sqlite3.Connection, record_id: int) -> dict:
    """How one record (standing for its duplicate group) matched, with every
    value stored for the journals involved."""
    index = JournalIndex.load(conn)
    unit = units(conn, [record_id])
    m = match_units(index, unit)[record_id]
    idents, names = signature(unit[record_id])
    jids = [c["journal_id"] for c in m.candidates] or ([m.journal_id] if m.journal_id else [])
    journals = []
    for j in jids:
        journals.append({
            "journal_id": j, "title": index.title.get(j, ""), "issns": sorted(index.issns.get(j, ())),
            "metrics": [{"kind": x.kind, "year": x.year, "value": x.value, "qualifier": x.qualifier,
                         "raw": x.raw, "source": x.source, "line": x.line}
                        for x in sorted(index.metrics.get(j, ()), key=lambda x: (x.kind, -x.year, -x.import_id))],
        })
    return {"record_id": record_id, "group": sorted(r[0] for r in unit[record_id]),
            "identifiers": [{"field": lbl, "value": k} for lbl, k in idents],
            "names": [{"field": f, "value": n} for f, n in names],
            "match": m.to_json(), "journals": journals}
