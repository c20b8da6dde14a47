"""Agreement of the two reviewers' MINORS scores: quadratic-weighted kappa per
item (categories 0, 1, 2, all three counted even when a score was never
given) and of the totals (categories 0 to 16, or 0 to 24).

Pairs are the studies both reviewers submitted (the first two reviewers of
the protocol, rows and columns of each table); a kappa whose chance
agreement is 1 (both reviewers gave one same score throughout) is undefined
(None).

References
----------
Cohen J (1968). Weighted kappa. Psychol Bull 70:213-220; standard errors
Fleiss JL, Cohen J, Everitt BS (1969). Psychol Bull 72:323-327; computed by
statsmodels.stats.inter_rater.cohens_kappa(table, wt='quadratic'), checked
against the reference cases of tests/data/quality/ (e.g. [[5,2,0],[1,6,2],
[0,1,13]]: 0.841270).
"""

from __future__ import annotations

import math
import sqlite3
import warnings
from typing import Sequence

from review.extraction.studies import Study
from review.extraction.values import needed
from review.protocol import Protocol
from review.quality.items import SCORES, ideal_total
from review.quality.minors import applicable, states


def weighted_kappa(pairs: Sequence[tuple[int, int]], categories: Sequence[int]) -> dict:
    """{"n", "kappa_weighted", "kappa_se", "percent_agreement", "table"} of
    score pairs, every category in ``categories`` a row and a column."""
    from statsmodels.stats.inter_rater import cohens_kappa

    index = {c: i for i, c in enumerate(categories)}
    table = [[0] * len(categories) for _ in categories]
    for a, b in pairs:
        table[index[a]][index[b]] += 1
    n = len(pairs)
    out = {"n": n, "kappa_weighted": None, "kappa_se": None,
           "percent_agreement": None if not n else 100 * sum(a == b for a, b in pairs) / n, "table": table}
    if n:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = cohens_kappa(table, wt="quadratic")
        k, se = float(res.kappa), float(res.std_kappa)
        out["kappa_weighted"] = k if math.isfinite(k) else None
        out["kappa_se"] = se if math.isfinite(se) and math.isfinite(k) else None
    return out


def minors_agreement(conn: sqlite3.Connection, protocol: Protocol, studies: list[Study]) -> dict:
    """Per item ``item1`` ... and ``total``: n, kappa_weighted (quadratic), its
    SE, percent agreement and the table; ``raters`` names rows and columns."""
    raters = list(protocol.people.reviewers[:2])
    items = applicable(protocol)
    pairs: dict[int, list[tuple[int, int]]] = {i: [] for i in items}
    totals: list[tuple[int, int]] = []
    sts = states(conn, [s.id for s in studies])
    for s in studies:
        st = sts.get(s.id)
        if st is None or len(raters) < 2 or not st.complete(needed(protocol)):
            continue
        if not all(st.is_submitted(r) for r in raters):
            continue
        a, b = (st.entries.get(r, {}) for r in raters)
        for i in items:
            if i in a and i in b and a[i].value is not None and b[i].value is not None:
                pairs[i].append((a[i].value, b[i].value))
        if all(i in a and i in b for i in items):
            totals.append((sum(a[i].value for i in items), sum(b[i].value for i in items)))
    doc: dict = {"tool": "MINORS", "weights": "quadratic", "raters": raters}
    for i in items:
        doc[f"item{i}"] = weighted_kappa(pairs[i], SCORES)
    doc["total"] = weighted_kappa(totals, range(ideal_total(protocol.quality.comparative) + 1))
    doc["total"]["out_of"] = ideal_total(protocol.quality.comparative)
    return doc
