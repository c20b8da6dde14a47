"""Text and JSON reports of a reconstruction and of a Kaplan-Meier analysis
(the JSON keys are those of CLI-CONTRACT.md, "Survival from published curves")."""

from __future__ import annotations

import math
from typing import Sequence

from review.survival.guyot import Reconstruction
from review.survival.km import KMResult


def _num(v: float | None) -> float | None:
    return None if v is None or not math.isfinite(v) else float(v)


def _fmt(v: float | None, digits: int = 4) -> str:
    return "NA" if v is None or not math.isfinite(v) else f"{v:.{digits}g}"


def _p(p: float) -> str:
    return "< 0.0001" if p < 1e-4 else f"= {p:.2g}"


def km_json(res: KMResult, times: Sequence[float] = ()) -> dict:
    """groups (n, events, median and its CI, the curve), logrank with --by;
    also the bands, numbers at risk, Cox hazard ratios and survival at ``times``."""
    doc: dict = {"groups": {}}
    for g in res.groups:
        entry = {
            "n": g.n, "events": g.events,
            "median": _num(g.median), "median_lower": _num(g.median_lower), "median_upper": _num(g.median_upper),
            "time": list(g.time), "survival": list(g.survival),
            "lower": [_num(v) for v in g.lower], "upper": [_num(v) for v in g.upper],
            "at_risk": list(g.at_risk),
        }
        if times:
            entry["survival_at"] = [
                {"time": t, "survival": _num(s), "lower": _num(lo), "upper": _num(hi), "at_risk": n}
                for t in times for s, lo, hi, n in [g.at(t)]]
        doc["groups"][g.name] = entry
    if res.logrank is not None:
        doc["logrank"] = {"chisq": res.logrank.chisq, "df": res.logrank.df, "p": res.logrank.p}
    if res.cox:
        doc["cox"] = {"reference": res.reference,
                      "hazard_ratios": {h.group: {"hr": _num(h.hr), "lower": _num(h.lower),
                                                  "upper": _num(h.upper), "p": _num(h.p)}
                                        for h in res.cox}}
    doc.update({"conf_type": res.conf_type, "level": res.level, "time_unit": res.time_unit,
                "notes": list(res.notes)})
    return doc


def km_text(res: KMResult, times: Sequence[float] = ()) -> str:
    pct = f"{res.level:.0%}"
    unit = f" ({res.time_unit})" if res.time_unit else ""
    w = max(5, *(len(g.name) for g in res.groups))
    lines = [f"{'group':<{w}}  {'n':>5}  {'events':>6}  median{unit} ({pct} CI)"]
    for g in res.groups:
        lines.append(f"{g.name:<{w}}  {g.n:>5}  {g.events:>6}  {_fmt(g.median)} "
                     f"({_fmt(g.median_lower)} to {_fmt(g.median_upper)})")
    for t in times:
        cells = []
        for g in res.groups:
            s, lo, hi, n = g.at(t)
            cells.append(f"{g.name} {_fmt(s, 3)} ({_fmt(lo, 3)} to {_fmt(hi, 3)}; {n} at risk)")
        lines.append(f"survival at {t:g}: " + "; ".join(cells))
    if res.logrank is not None:
        lr = res.logrank
        lines.append(f"log-rank: chi-square {lr.chisq:.4g}, df {lr.df}, p {_p(lr.p)}")
    for h in res.cox:
        lines.append(f"Cox hazard ratio {h.group} vs {h.reference}: {_fmt(h.hr, 3)} "
                     f"({pct} CI {_fmt(h.lower, 3)} to {_fmt(h.upper, 3)}), p {_p(h.p)}")
    lines.extend(f"note: {n}" for n in res.notes)
    return "\n".join(lines)


def reconstruction_json(recs: Sequence[Reconstruction]) -> list[dict]:
    return [{"curve": r.label, "n": r.n, "events": r.events, "censored": r.censored,
             "reliable": r.reliable, "total_events": r.total_events,
             "at_risk": [{"time": c.time, "published": c.published, "reconstructed": c.reconstructed}
                         for c in r.at_risk],
             "notes": list(r.notes)} for r in recs]


def reconstruction_text(recs: Sequence[Reconstruction]) -> str:
    lines = []
    for r in recs:
        name = f"curve {r.label!r}" if r.label else "curve"
        flag = "" if r.reliable else "  [less reliable]"
        lines.append(f"{name}: {r.n} patients, {r.events} events, {r.censored} censored{flag}")
        if len(r.at_risk) > 1:
            lines.append("  at risk (published/reconstructed): "
                         + ", ".join(f"{c.time:g}: {c.published}/{c.reconstructed}" for c in r.at_risk))
        lines.extend(f"  note: {n}" for n in r.notes)
    return "\n".join(lines)
