"""Illustrative Kaplan-Meier figures for the demo's survival analysis.

For each of six included studies (one arm each) patients are simulated:
``deaths`` event times from a Weibull distribution whose scale depends on the
cancer type (solid tumours worst, lymphoma best), truncated at the last
follow-up, and the others censored uniformly over the study's follow-up
window (staggered entry), so that each curve ends on a censored patient. The Kaplan-Meier curve of these patients is then
read as a digitiser would: both corners of every step and the curve's end,
each click off by a little (time sd 0.1% of the axis, survival sd 0.002), in
shuffled order; and the numbers at risk at the figure's ticks.

Nothing here is data from the studies: the number of patients and of deaths
per study are the seed's (n, round(dr x n / 100)); the curves are made up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SD_SURV = 0.002
SD_TIME_SHARE = 0.001


@dataclass(frozen=True)
class Arm:
    study: str
    arm: str
    cancer: str
    country: str
    n: int
    deaths: int
    follow_up: tuple[float, float]   # months: shortest and longest follow-up of the censored
    tick: float                      # months between numbers-at-risk columns
    percent: bool                    # the figure's axis in percent (else a fraction)


# Weibull (shape, scale in months) of the time to death, by the seed's cancer group
HAZARD = {"solid": (1.1, 9.0), "leukemia": (1.0, 20.0), "myeloma": (0.9, 42.0), "lymphoma": (1.5, 60.0)}


def simulate(arm: Arm, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(time in months, event 0/1) for ``arm.n`` patients with exactly ``arm.deaths`` deaths."""
    shape, scale = HAZARD[arm.cancer]
    lo, hi = arm.follow_up
    censored = rng.uniform(lo, hi, arm.n - arm.deaths)
    last = censored.max() if len(censored) else hi  # the figure ends on a censored patient
    deaths = []
    while len(deaths) < arm.deaths:  # truncated Weibull: a death must fall within follow-up
        t = scale * rng.weibull(shape)
        if 0.2 < t < last:
            deaths.append(t)
    time = np.round(np.concatenate([np.array(deaths), censored]), 2)
    event = np.concatenate([np.ones(arm.deaths, int), np.zeros(arm.n - arm.deaths, int)])
    order = np.lexsort((1 - event, time))
    return time[order], event[order]


def km_steps(time: np.ndarray, event: np.ndarray) -> list[tuple[float, float, int]]:
    """(time, survival after, events) at each distinct time, product-limit."""
    s, out = 1.0, []
    for t in np.unique(time):
        at_risk = int(np.sum(time >= t))
        d = int(np.sum((time == t) & (event == 1)))
        if d:
            s *= 1 - d / at_risk
        out.append((float(t), s, d))
    return out


def digitise(steps: list[tuple[float, float, int]], tmax: float, rng: np.random.Generator) -> list[tuple[float, float]]:
    """Clicks on the corners of every step and on the curve's end, with noise, shuffled."""
    pts, before = [], 1.0
    for t, s, d in steps:
        if d > 0:
            pts += [(t, before), (t, s)]
            before = s
    pts.append((steps[-1][0], steps[-1][1]))
    p = np.array(pts)
    p[:, 0] = np.maximum(p[:, 0] + rng.normal(0, SD_TIME_SHARE * tmax, len(p)), 0.01)
    p[:, 1] = np.clip(p[:, 1] + rng.normal(0, SD_SURV, len(p)), 0.0, 1.0)  # the axis bounds the clicks
    return [tuple(x) for x in p[rng.permutation(len(p))]]


def at_risk(time: np.ndarray, tick: float) -> list[tuple[float, int]]:
    """Numbers at risk (time >= t) at 0, tick, 2 tick ... up to the last time."""
    out, t = [], 0.0
    while t <= time.max():
        out.append((t, int(np.sum(time >= t))))
        t += tick
    return out
