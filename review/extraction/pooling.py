"""From the settled extraction values to the counts pooled for an outcome,
naming every study left out and why.

Only settled values count (both reviewers agreed, or the adjudicator chose).
The protocol says how each outcome is made (review.pooling.outcomes): from
an events field, or events = round(percent x n / 100). A study with several
arms is pooled arm by arm ("Label (arm)"), each arm taking the whole-study
value of a field it does not have. A study is left out, with the reason,
when it is not extracted yet, not yet settled (who is still to submit, or
which field the reviewers still differ on), or does not report the outcome,
its n or its subgroup.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace

from review.errors import BadInput
from review.extraction.form import Form
from review.extraction.studies import list_studies
from review.extraction.values import PENDING, settled
from review.pooling.outcomes import OutcomeData, find_outcome, outcome_data
from review.protocol import Analysis, Protocol


def project_outcome(conn: sqlite3.Connection, protocol: Protocol, outcome: str, by: str | None = None
                    ) -> OutcomeData:
    """Events and n of ``outcome`` per settled study (and arm), with the left out."""
    o = find_outcome(protocol, outcome)
    form = Form.from_protocol(protocol)
    if by is not None and not form.has(by):
        raise BadInput(f"--by {by!r} is not a field of the protocol (fields: {', '.join(form.names)})")
    by = form.get(by).name if by else None
    value_field = o.events or o.percent
    rows, left = [], []
    for ss in settled(conn, protocol, form, list_studies(conn, protocol)):
        for arm in ss.arms or [""]:
            label = f"{ss.study.label} ({arm})" if arm else ss.study.label
            row, why = {"study": label}, None
            for name, what in ((value_field, o.name), (o.n, o.n), *(((by, by),) if by else ())):
                v = ss.value(arm, name)
                if v is PENDING:
                    why = ss.why_pending(name, arm)
                    break
                if v is None:
                    why = f"{what} not reported"
                    break
                row[name] = v
            if why:
                left.append((label, why))
            else:
                rows.append(row)
    data = outcome_data(o, rows, by=by, where="settled extraction values")
    return replace(data, left_out=tuple(sorted(left + list(data.left_out), key=lambda x: x[0].casefold())))


@dataclass(frozen=True)
class Pooled:
    """One pooled outcome of an analysis (overall, or by one subgroup field)."""

    analysis: str
    outcome: str
    by: str | None
    data: OutcomeData
    result: object | None        # review.pooling.MetaResult; None when no study can be pooled
    options: dict

    def to_json(self) -> dict:
        from review.pooling.report import to_json

        doc = {"analysis": self.analysis, "outcome": self.outcome, "by": self.by}
        doc.update(to_json(self.result) if self.result is not None else {"k": 0})
        doc["left_out"] = left_out_json(self.data)
        return doc


def left_out_json(data: OutcomeData) -> list[dict]:
    return [{"study": s, "why": w} for s, w in data.left_out]


def analyses_of(protocol: Protocol) -> tuple[Analysis, ...]:
    """The protocol's [[analyses]], or one default analysis of every outcome."""
    if protocol.analyses:
        return protocol.analyses
    return (Analysis("all", tuple(o.name for o in protocol.outcomes)),) if protocol.outcomes else ()


def pool(data: OutcomeData, **options):
    """metaprop on an outcome's counts (None when no study has them)."""
    from review.pooling import metaprop

    if not data.studies:
        return None
    return metaprop(data.events, data.n, data.studies, by=data.groups, **options)


def pool_all(conn: sqlite3.Connection, protocol: Protocol, **overrides) -> list[Pooled]:
    """Every outcome of every analysis, overall and by each of its subgroups,
    with the analysis's options (``overrides``: options given on the command line)."""
    out = []
    for a in analyses_of(protocol):
        opts = {"sm": a.sm, "method": a.method, "method_tau": a.method_tau, "hakn": a.hakn}
        opts.update({k: v for k, v in overrides.items() if v is not None})
        for name in a.outcomes:
            for by in (None, *a.subgroups):
                data = project_outcome(conn, protocol, name, by)
                out.append(Pooled(a.name, find_outcome(protocol, name).name, by, data, pool(data, **opts), opts))
    return out


def tag(p: Pooled) -> str:
    return p.outcome if p.by is None else f"{p.outcome}_by_{p.by}"


def summary_rows(results: list[Pooled]) -> tuple[list[str], list[list]]:
    """One row per pooled set and subgroup (random-effects estimate), for pooled.csv."""
    header = ["analysis", "outcome", "by", "group", "k", "events", "n", "estimate", "lower", "upper", "I2",
              "tau2", "between_Q", "between_p", "left_out"]
    rows = []
    for p in results:
        r = p.result
        if r is None:
            rows.append([p.analysis, p.outcome, p.by or "", "all", 0, 0, 0, "", "", "", "", "", "", "",
                         len(p.data.left_out)])
            continue
        for label, x in [("all", r), *[(g.name, g.result) for g in r.subgroups]]:
            first = label == "all" and p.by is not None
            rows.append([p.analysis, p.outcome, p.by or "", label, x.k, x.events, x.n,
                         round(x.random.estimate, 4), round(x.random.lower, 4), round(x.random.upper, 4),
                         round(x.I2, 4), round(x.tau2, 4),
                         round(r.between.Q, 3) if first else "", round(r.between.p, 4) if first else "",
                         len(p.data.left_out) if label == "all" else ""])
    return header, rows


def write_pooled(results: list[Pooled], folder, protocol: Protocol) -> list:
    """pooled.csv, pooled.json and forest plots (PNG and SVG; funnel plots of
    the overall results) in ``folder``; returns the files written."""
    import json
    from pathlib import Path

    from review.pooling.plots import forest_plot, funnel_plot
    from review.tabular_out import write_delimited, write_text

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    files = [write_delimited(out / "pooled.csv", *summary_rows(results)),
             write_text(out / "pooled.json", json.dumps({"analyses": [p.to_json() for p in results]}, indent=2))]
    for p in results:
        if p.result is None:
            continue
        label = find_outcome(protocol, p.outcome).label
        title = label + ("" if p.by is None else f", by {p.by}")
        for ext in ("png", "svg"):
            files.append(forest_plot(p.result, out / f"forest_{tag(p)}.{ext}", title=title))
        if p.by is None:
            files.append(funnel_plot(p.result, out / f"funnel_{p.outcome}.png", title=label))
    return files
