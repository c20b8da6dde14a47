"""Shared test helpers: where the data are, R's reference values, curve distance."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1] / "data" / "survival"


def r_summary() -> dict[tuple[str, str, str, str], float | None]:
    """(dataset, by, quantity, group) -> value from r_summary.csv (NA -> None)."""
    with open(DATA / "r_summary.csv", newline="") as fh:
        return {(r["dataset"], r["by"], r["quantity"], r["group"]): None if r["value"] == "NA" else float(r["value"])
                for r in csv.DictReader(fh)}


def r_curves(dataset: str, by: str) -> dict[str, list[dict]]:
    """R's survfit curve of each group (r_survfit.csv rows, numbers as float, NA as nan)."""
    out: dict[str, list[dict]] = {}
    with open(DATA / "r_survfit.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["dataset"] == dataset and r["by"] == by:
                out.setdefault(r["group"], []).append(
                    {k: (float("nan") if v == "NA" else float(v)) if k not in ("dataset", "by", "group") else v
                     for k, v in r.items()})
    return out


def curve_gap(orig, rec, delta: float = 0.0) -> tuple[float, float]:
    """Largest vertical distance between two GroupKM curves over the time both
    cover, and where: at each time t the reconstructed S(t) against the original
    anywhere in [t - delta, t + delta] (delta = 0: the same time)."""
    end = min(max(orig.time), max(rec.time))
    grid = np.union1d(np.linspace(0, end, 4001), [t for t in (*orig.time, *rec.time) if t <= end])
    worst, where = 0.0, 0.0
    for t in grid:
        s = rec.at(t)[0]
        hi, lo = orig.at(max(t - delta, 0.0))[0], orig.at(t + delta)[0]
        gap = max(s - hi, lo - s, 0.0)
        if gap > worst:
            worst, where = gap, float(t)
    return worst, where
