"""The JSON document and the text summary of a pooled result (CLI-CONTRACT shape)."""

from __future__ import annotations

import math
from typing import Any

from review.pooling.results import MetaResult, Pooled


def _num(v: float | None) -> float | None:
    return None if v is None or (isinstance(v, float) and not math.isfinite(v)) else float(v)


def _pooled(p: Pooled) -> dict[str, Any]:
    return {"TE": _num(p.TE), "se": _num(p.se), "estimate": _num(p.estimate),
            "lower": _num(p.lower), "upper": _num(p.upper)}


def _core(r: MetaResult) -> dict[str, Any]:
    return {
        "k": r.k, "events": r.events, "n": r.n,
        "common": _pooled(r.common), "random": _pooled(r.random),
        "prediction": None if r.prediction is None else {"lower": _num(r.prediction.lower),
                                                          "upper": _num(r.prediction.upper)},
        "tau2": _num(r.tau2), "Q": _num(r.Q), "Q_df": r.Q_df, "Q_p": _num(r.Q_p),
        "I2": _num(r.I2), "I2_lower": _num(r.I2_lower), "I2_upper": _num(r.I2_upper),
    }


def to_json(r: MetaResult) -> dict[str, Any]:
    """The ``review pool --json`` document (see CLI-CONTRACT.md)."""
    doc: dict[str, Any] = {"sm": r.sm, "method": r.method, "method_tau": r.method_tau}
    doc.update(_core(r))
    doc["hakn"] = r.hakn
    doc["studies"] = [
        {"study": s.study, "events": s.events, "n": s.n, "estimate": _num(s.estimate),
         "lower": _num(s.lower), "upper": _num(s.upper),
         "weight_common": _num(s.weight_common), "weight_random": _num(s.weight_random)}
        for s in r.studies
    ]
    if r.subgroups:
        doc["subgroups"] = [
            {"name": g.name, "k": g.result.k, "events": g.result.events, "n": g.result.n,
             "common": _pooled(g.result.common), "random": _pooled(g.result.random),
             "tau2": _num(g.result.tau2), "Q": _num(g.result.Q), "I2": _num(g.result.I2)}
            for g in r.subgroups
        ]
        b = r.between
        doc["between"] = {"Q": _num(b.Q), "df": b.df, "p": _num(b.p)}
    if r.notes:
        doc["notes"] = list(r.notes)
    return doc


def _pct(v: float) -> str:
    return "NA" if not math.isfinite(v) else f"{100 * v:.2f}%"


def _f(v: float | None, spec: str) -> str:
    """``v`` formatted by ``spec``, or NA when missing or not finite (k = 1: no Q, no p)."""
    return "NA" if v is None or not math.isfinite(v) else format(v, spec)


def summary_text(r: MetaResult) -> str:
    """A short meta-style printout."""
    def line(label: str, p: Pooled) -> str:
        return f"{label:<22}{p.estimate:.4f} [{p.lower:.4f}; {p.upper:.4f}]"

    out = [f"Number of studies: k = {r.k}; events = {r.events}; observations = {r.n}",
           f"sm = {r.sm}, method = {r.method}, tau^2 = {r.method_tau}" + (", Hartung-Knapp" if r.hakn else ""),
           line("Common effect model", r.common), line("Random effects model", r.random)]
    if r.prediction is not None:
        out.append(f"{'Prediction interval':<22}       [{r.prediction.lower:.4f}; {r.prediction.upper:.4f}]")
    out.append(f"Heterogeneity: tau^2 = {_f(r.tau2, '.4f')}; I^2 = {_pct(r.I2)} [{_pct(r.I2_lower)}; "
               f"{_pct(r.I2_upper)}]; Q = {_f(r.Q, '.2f')}, df = {r.Q_df}, p = {_f(r.Q_p, '.4g')}")
    for g in r.subgroups:
        s = g.result
        out.append(f"  {g.name:<20}k = {s.k:<3} {s.random.estimate:.4f} [{s.random.lower:.4f}; {s.random.upper:.4f}]"
                   f"  tau^2 = {_f(s.tau2, '.4f')}; I^2 = {_pct(s.I2)}")
    if r.between is not None:
        out.append(f"Test for subgroup differences (random effects): Q = {_f(r.between.Q, '.2f')}, "
                   f"df = {r.between.df}, p = {_f(r.between.p, '.4g')}")
    out.extend(f"note: {n}" for n in r.notes)
    return "\n".join(out)
