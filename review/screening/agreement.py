"""Agreement between the two reviewers at a screening stage: percent
agreement, Cohen's kappa with its standard error and CI, PABAK and Gwet's AC1.

The table counts the units both reviewers decided (their decisions in
force), rows the first reviewer of the protocol, columns the second; the
categories are include, exclude, maybe (and not_retrieved at full text).
PABAK and AC1 depend on the number of categories q: q counts include and
exclude (the least a screening decision is) and any other category either
reviewer used. Kappa is undefined (None) when chance agreement is 1 (both
reviewers used one category only).

References
----------
Cohen J (1960). Educ Psychol Meas 20:37-46; standard errors: Fleiss JL,
Cohen J, Everitt BS (1969). Psychol Bull 72:323-327 (as SAS PROC FREQ and
statsmodels.stats.inter_rater.cohens_kappa, which computes them here).
Byrt T, Bishop J, Carlin JB (1993). J Clin Epidemiol 46:423-429 (PABAK; with
q categories (q p_o - 1)/(q - 1), the Brennan-Prediger coefficient).
Gwet KL (2008). Br J Math Stat Psychol 61:29-48 (AC1 and its variance for
two raters; CI with t(n-1) as R irrCAC::gwet.ac1.table).
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import asdict, dataclass
from typing import Sequence

from review.protocol import Protocol
from review.screening.tally import tally

CATEGORIES = ("include", "exclude", "maybe", "not_retrieved")


@dataclass(frozen=True)
class Agreement:
    n: int
    categories: tuple[str, ...]
    table: tuple[tuple[int, ...], ...]       # rows: first rater, columns: second
    percent_agreement: float | None          # 100 * p_o
    kappa: float | None
    kappa_se: float | None                   # asymptotic SE (FCE 1969)
    kappa_ci: tuple[float, float] | None     # kappa +/- 1.96 SE
    kappa_se0: float | None                  # SE under H0: kappa = 0
    kappa_z: float | None
    pabak: float | None
    ac1: float | None
    ac1_se: float | None
    ac1_ci: tuple[float, float] | None       # t(n-1)

    def to_json(self) -> dict:
        d = asdict(self)
        d["table"] = [list(r) for r in self.table]
        d["categories"] = list(self.categories)
        for k in ("kappa_ci", "ac1_ci"):
            d[k] = list(d[k]) if d[k] is not None else None
        return d


def _finite(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def pabak(table: Sequence[Sequence[float]]) -> float:
    """Prevalence- and bias-adjusted kappa, (q p_o - 1)/(q - 1) (Byrt et al. 1993)."""
    q = len(table)
    n = sum(map(sum, table))
    po = sum(table[i][i] for i in range(q)) / n
    return (q * po - 1) / (q - 1)


def gwet_ac1(table: Sequence[Sequence[float]]) -> tuple[float, float]:
    """Gwet's AC1 and its standard error from a q x q table of two raters
    (Gwet 2008, equations for two raters; no finite-population correction)."""
    q = len(table)
    n = float(sum(map(sum, table)))
    p = [[c / n for c in row] for row in table]
    pa = sum(p[k][k] for k in range(q))
    pi = [(sum(p[k]) + sum(p[i][k] for i in range(q))) / 2 for k in range(q)]
    pe = sum(x * (1 - x) for x in pi) / (q - 1)
    ac1 = (pa - pe) / (1 - pe)
    s1 = sum(p[k][m] * ((k == m) - 2 * (1 - ac1) * (1 - (pi[k] + pi[m]) / 2) / (q - 1)) ** 2
             for k in range(q) for m in range(q))
    var = (s1 - (pa - 2 * (1 - ac1) * pe) ** 2) / (n * (1 - pe) ** 2)
    return ac1, math.sqrt(max(var, 0.0))


def from_table(table: Sequence[Sequence[int]], categories: Sequence[str] | None = None) -> Agreement:
    """Every statistic of a square table of counts (rows: rater 1)."""
    from scipy import stats
    from statsmodels.stats.inter_rater import cohens_kappa

    q = len(table)
    cats = tuple(categories) if categories is not None else tuple(str(i) for i in range(q))
    n = int(sum(map(sum, table)))
    if n == 0 or q < 2:
        return Agreement(n, cats, tuple(map(tuple, table)), None, None, None, None, None, None, None, None,
                         None, None)
    po = sum(table[i][i] for i in range(q)) / n
    kappa = se = se0 = z = None
    ci = None
    rows = [sum(r) for r in table]
    cols = [sum(table[i][j] for i in range(q)) for j in range(q)]
    pe = sum(rows[k] * cols[k] for k in range(q)) / n ** 2
    if pe < 1:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = cohens_kappa(table)
        kappa, se, se0 = _finite(res.kappa), _finite(res.std_kappa), _finite(res.std_kappa0)
        z = _finite(res.z_value)
        if kappa is not None and se is not None:
            ci = (float(res.kappa_low), float(res.kappa_upp))
    ac1, ac1_se = gwet_ac1(table)
    ac1_ci = None
    if n > 1:
        t = stats.t.ppf(0.975, n - 1)
        ac1_ci = (ac1 - t * ac1_se, ac1 + t * ac1_se)
    return Agreement(n, cats, tuple(tuple(int(c) for c in r) for r in table), 100 * po, kappa, se, ci, se0, z,
                     pabak(table), ac1, ac1_se, ac1_ci)


def pairs(conn: sqlite3.Connection, protocol: Protocol, stage: str) -> tuple[tuple[str, str], list[tuple[str, str]]]:
    """((rater 1, rater 2), [(decision 1, decision 2)]) over the units both decided.

    With more than two reviewers in the protocol, each unit counts once: its
    first two deciders in the protocol's order, as rater 1 and rater 2.
    """
    t = tally(conn, protocol, stage)
    people = protocol.people.reviewers
    out = []
    for u in sorted(t.decisions):
        ds = t.decisions[u]
        who = [r for r in people if r in ds]
        if len(who) >= 2:
            out.append((ds[who[0]], ds[who[1]]))
    names = (people[0], people[1]) if len(people) >= 2 else (people[0] if people else "", "")
    return names, out


def stage_agreement(conn: sqlite3.Connection, protocol: Protocol, stage: str) -> tuple[tuple[str, str], Agreement]:
    """The two reviewers' agreement at ``stage`` (see the module docstring)."""
    names, pairs_ = pairs(conn, protocol, stage)
    used = {d for pair in pairs_ for d in pair}
    cats = tuple(c for c in CATEGORIES if c in used or c in ("include", "exclude"))
    index = {c: i for i, c in enumerate(cats)}
    table = [[0] * len(cats) for _ in cats]
    for a, b in pairs_:
        table[index[a]][index[b]] += 1
    return names, from_table(table, cats)
