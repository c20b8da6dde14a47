"""Digitise R's Kaplan-Meier curves as a person with WebPlotDigitizer would.

Reads r_survfit.csv and r_at_risk.csv (made by make_reference.R) and writes the
*_points.csv and *_at_risk.csv files that tests/survival/test_reconstruction.py
reconstructs. Run from this folder: python make_digitised.py (numpy only).

A digitiser clicks the two corners of every step (the top, at the survival
before the drop, and the foot) and the end of the curve. Each click is off by
a little: time by N(0, (0.1% of the axis, about a pixel)^2), survival by N(0, 0.002^2). The
points are then shuffled, so they come unsorted and some go up. Each file uses
a different layout a digitiser or a person would produce:

- lung_points.csv: time,survival,sex; survival in percent; both curves in one file
  lung_at_risk.csv: time,Male,Female (a column per curve, as printed under a figure)
- colon_points.csv: WebPlotDigitizer "all datasets" export (names, then X,Y,X,Y)
  colon_at_risk.csv: time,n,curve (one row per curve and time)
- veteran_<arm>_points.csv: no header, two columns (WebPlotDigitizer, one dataset)
  veteran_<arm>_at_risk.csv: time,n
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
SD_SURV = 0.002
SD_TIME_SHARE = 0.001


def curves(dataset: str, by: str) -> dict[str, list[tuple[float, float, int]]]:
    out: dict[str, list] = {}
    with open(HERE / "r_survfit.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["dataset"] == dataset and r["by"] == by:
                out.setdefault(r["group"], []).append((float(r["time"]), float(r["surv"]), int(r["n.event"])))
    return out


def at_risk(dataset: str, by: str) -> dict[str, list[tuple[float, int]]]:
    out: dict[str, list] = {}
    with open(HERE / "r_at_risk.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["dataset"] == dataset and r["by"] == by:
                out.setdefault(r["group"], []).append((float(r["time"]), int(r["n.risk"])))
    return out


def clicks(rows: list[tuple[float, float, int]], tmax: float, rng: np.random.Generator,
           sd_time_share: float = SD_TIME_SHARE, sd_surv: float = SD_SURV) -> list[tuple[float, float]]:
    """The corners of every step and the curve's end, with noise, shuffled.
    ``rows``: (time, survival, events) of an R survfit curve; ``tmax``: the axis length."""
    pts, before = [], 1.0
    for t, s, d in rows:
        if d > 0:
            pts += [(t, before), (t, s)]
            before = s
    pts.append((rows[-1][0], rows[-1][1]))
    p = np.array(pts)
    p[:, 0] = np.maximum(p[:, 0] + rng.normal(0, sd_time_share * tmax, len(p)), 0.0)
    p[:, 1] = p[:, 1] + rng.normal(0, sd_surv, len(p))
    return [tuple(x) for x in p[rng.permutation(len(p))]]


def main() -> None:
    rng = np.random.default_rng(20120209)  # a fixed seed: the files are reproducible
    # lung by sex: percent, one long file with a label column; risk table a column per curve
    lung = curves("lung", "sex")
    tmax = max(t for rows in lung.values() for t, _, _ in rows)
    with open(HERE / "lung_points.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["time", "survival", "sex"])
        rows = [(t, s, g) for g, r in lung.items() for t, s in clicks(r, tmax, rng)]
        for i in rng.permutation(len(rows)):
            t, s, g = rows[i]
            w.writerow([f"{t:.3f}", f"{100 * s:.2f}", g])
    risk = at_risk("lung", "sex")
    with open(HERE / "lung_at_risk.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["time", "Male", "Female"])
        for (t, m), (_, f) in zip(risk["Male"], risk["Female"]):
            w.writerow([f"{t:g}", m, f])
    # colon, observation vs levamisole + 5-FU: WebPlotDigitizer's all-datasets layout
    colon = curves("colon", "rx")
    tmax = max(t for rows in colon.values() for t, _, _ in rows)
    arms = ["Obs", "Lev+5FU"]
    pts = {a: clicks(colon[a], tmax, rng) for a in arms}
    with open(HERE / "colon_points.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([arms[0], "", arms[1], ""])
        w.writerow(["X", "Y", "X", "Y"])
        for i in range(max(len(p) for p in pts.values())):
            row = []
            for a in arms:
                row += [f"{pts[a][i][0]:.4f}", f"{pts[a][i][1]:.5f}"] if i < len(pts[a]) else ["", ""]
            w.writerow(row)
    risk = at_risk("colon", "rx")
    with open(HERE / "colon_at_risk.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["time", "n", "curve"])
        for a in arms:
            for t, n in risk[a]:
                w.writerow([f"{t:g}", n, a])
    # veteran by treatment: one file per arm, no header
    vet = curves("veteran", "trt")
    tmax = max(t for rows in vet.values() for t, _, _ in rows)
    risk = at_risk("veteran", "trt")
    for arm in ("standard", "test"):
        with open(HERE / f"veteran_{arm}_points.csv", "w", newline="") as fh:
            w = csv.writer(fh)
            for t, s in clicks(vet[arm], tmax, rng):
                w.writerow([f"{t:.3f}", f"{s:.5f}"])
        with open(HERE / f"veteran_{arm}_at_risk.csv", "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["time", "n"])
            for t, n in risk[arm]:
                w.writerow([f"{t:g}", n])


if __name__ == "__main__":
    main()
