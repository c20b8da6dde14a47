"""Reconstruct patient data from a digitised Kaplan-Meier curve (Guyot et al. 2012).

From the curve's points and the numbers-at-risk table printed under the figure
(and the total number of events, where reported), rebuild one row per patient:
an event time or a censoring time. Ported from the algorithm as the paper
describes it, not from any R implementation.

Within each interval between two numbers-at-risk times, censoring is first
guessed from the survival ratio, spread evenly over the interval, and the
events at each digitised point follow from the drop in survival; the guess is
corrected until the reconstructed number at risk at the next time equals the
published one. In the last interval censoring goes on at the average rate of
the earlier intervals (or is set to match the total number of events).
Without a numbers-at-risk table only the initial number is known: the result
is flagged less reliable.

References
----------
Guyot P, Ades AE, Ouwens MJNM, Welton NJ. Enhanced secondary analysis of
survival data: reconstructing the data from published Kaplan-Meier survival
curves. BMC Med Res Methodol 2012;12:9. doi:10.1186/1471-2288-12-9
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np

from review.errors import BadInput
from review.survival.digitised import AtRisk, Curve, clean_curve

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


@dataclass(frozen=True)
class RiskCheck:
    """A published number at risk beside the reconstructed patients' count (time >= t)."""

    time: float
    published: int
    reconstructed: int


@dataclass(frozen=True)
class Reconstruction:
    """Reconstructed patients of one curve.

    ``ipd``: a DataFrame with columns time, event (1 event, 0 censored), one row
    per patient, sorted by time. ``reliable`` is False without a numbers-at-risk
    table, when a published number at risk is missed by more than one patient,
    or when the reported total of events could not be matched; ``notes`` says
    why, and what cleaning changed in the points.
    """

    label: str
    ipd: "pd.DataFrame"
    notes: tuple[str, ...]
    reliable: bool
    n: int
    events: int
    censored: int
    at_risk: tuple[RiskCheck, ...]
    total_events: int | None = None


@dataclass
class _Pass:
    """Events and censorings of one run through an interval's points."""

    d: np.ndarray
    c: np.ndarray
    n_end: int
    km: float


def _as_curve(points) -> Curve:
    return points if isinstance(points, Curve) else clean_curve(list(points))


def _risk_table(at_risk, n_start: int | None, label: str) -> tuple[list[float], list[int], bool]:
    """(times, numbers, is_a_table) starting at time 0."""
    who = f"curve {label!r}: " if label else ""
    if at_risk is None or (isinstance(at_risk, AtRisk) and not at_risk.time):
        if n_start is None:
            raise BadInput(f"{who}without a numbers-at-risk table give the number of patients at the start "
                           "(--n-start N)")
        times, nums = [0.0], [int(n_start)]
    else:
        if isinstance(at_risk, AtRisk):
            times, nums = [float(t) for t in at_risk.time], [int(n) for n in at_risk.n]
        else:
            pairs = list(at_risk)
            times, nums = [float(t) for t, _ in pairs], [int(n) for _, n in pairs]
        if any(b <= a for a, b in zip(times, times[1:])) or any(b > a for a, b in zip(nums, nums[1:])):
            raise BadInput(f"{who}numbers-at-risk times must increase and the numbers must not")
        if times[0] > 0:
            if n_start is None:
                raise BadInput(f"{who}the numbers-at-risk table starts at time {times[0]:g}, not 0: "
                               "give the number of patients at the start (--n-start N)")
            times, nums = [0.0] + times, [int(n_start)] + nums
        elif n_start is not None and int(n_start) != nums[0]:
            raise BadInput(f"{who}--n-start {n_start} differs from the number at risk at time 0 ({nums[0]})")
    if nums[0] < 1:
        raise BadInput(f"{who}the number of patients at the start must be at least 1, got {nums[0]}")
    if any(n > nums[0] for n in nums):
        raise BadInput(f"{who}a number at risk exceeds the number at the start ({nums[0]})")
    return times, nums, len(times) > 1


def _spread(nc: int, a: float, b: float, edges: np.ndarray) -> np.ndarray:
    """Censoring counts per point when nc censorings are spread evenly over (a, b);
    bin k holds the times in [edges[k], edges[k+1])."""
    counts = np.zeros(len(edges), dtype=int)
    if nc > 0:
        times = a + np.arange(1, nc + 1) * (b - a) / (nc + 1)
        idx = np.searchsorted(edges, times, side="right") - 1
        np.add.at(counts, np.clip(idx, 0, len(edges) - 1), 1)
    return counts


def _run(S: np.ndarray, k0: int, k1: int, n_at: int, km: float, cens: np.ndarray) -> _Pass:
    """Events at points k0..k1 from the survival drops: d_k = round(n_k (1 - S_k / KM_last))."""
    d = np.zeros(k1 - k0 + 1, dtype=int)
    c = np.zeros(k1 - k0 + 1, dtype=int)
    n = n_at
    for j, k in enumerate(range(k0, k1 + 1)):
        if n <= 0:
            continue
        e = int(round(n * (1.0 - S[k] / km))) if km > 0 else 0
        e = min(max(e, 0), n)
        if e:
            km *= 1.0 - e / n
        d[j] = e
        c[j] = min(int(cens[j]), n - e)
        n -= d[j] + c[j]
    return _Pass(d, c, n, km)


def _search(first_nc: int, lo: int, hi: int, attempt) -> tuple[int, _Pass, int]:
    """Correct the number censored until ``attempt(nc)`` gives a zero error
    (nc += error, as Guyot et al. step 4); stop at a cycle and keep the best."""
    nc = min(max(first_nc, lo), hi)
    tried: dict[int, tuple[int, _Pass]] = {}
    while nc not in tried:
        res, err = attempt(nc)
        tried[nc] = (err, res)
        if err == 0:
            break
        nc = min(max(nc + err, lo), hi)
    best = min(tried, key=lambda k: (abs(tried[k][0]), k))
    return best, tried[best][1], tried[best][0]


def reconstruct(points, at_risk=None, total_events: int | None = None, n_start: int | None = None,
                *, label: str | None = None) -> Reconstruction:
    """Rebuild patient data from one digitised curve.

    ``points``: a cleaned ``Curve`` or (time, survival) pairs (cleaned here).
    ``at_risk``: an ``AtRisk`` table or (time, n) pairs, in the curve's time
    unit; None when the figure has none (then ``n_start`` is needed and the
    result is flagged less reliable). ``total_events``: the reported number of
    events, used to set the censoring of the last interval.
    """
    import pandas as pd

    curve = _as_curve(points)
    label = curve.label if label is None else label
    notes = list(curve.notes)
    times, nums, has_table = _risk_table(at_risk, n_start, label)
    T = list(curve.time)
    S = list(curve.survival)
    after = [(t, n) for t, n in zip(times, nums) if t > T[-1]]
    if after:
        notes.append(f"numbers-at-risk time(s) after the curve's last point ({T[-1]:g}) left out: "
                     + ", ".join(f"{t:g} ({n})" for t, n in after))
        times, nums = times[:len(times) - len(after)], nums[:len(nums) - len(after)]
    added = 0
    for t in times[1:]:  # a point at each risk time, on the step before it
        if t not in T:
            k = int(np.searchsorted(T, t, side="right"))
            T.insert(k, t)
            S.insert(k, S[k - 1])
            added += 1
    Ta, Sa = np.asarray(T, dtype=float), np.asarray(S, dtype=float)
    npts = len(Ta)
    lower = [T.index(t) for t in times]
    nint = len(times)
    d = np.zeros(npts, dtype=int)
    cen = np.zeros(npts, dtype=int)
    n_hat, km = nums[0], 1.0
    nc_total, reliable = 0, has_table
    for i in range(nint - 1):
        k0, k1 = lower[i], lower[i + 1] - 1
        edges = Ta[k0:k1 + 1]
        ratio = Sa[lower[i + 1]] / Sa[k0] if Sa[k0] > 0 else 0.0
        guess = int(round(nums[i] * ratio - nums[i + 1]))

        def attempt(nc, k0=k0, k1=k1, edges=edges, i=i, n_at=n_hat, km_at=km):
            res = _run(Sa, k0, k1, n_at, km_at, _spread(nc, times[i], times[i + 1], edges))
            return res, res.n_end - nums[i + 1]

        nc, res, err = _search(guess, 0, n_hat, attempt)
        if err:
            reliable = reliable and abs(err) <= 1
            notes.append(f"at time {times[i + 1]:g} the reconstruction has {res.n_end} at risk, "
                         f"the table {nums[i + 1]}: could not match it")
        d[k0:k1 + 1], cen[k0:k1 + 1] = res.d, res.c
        nc_total += int(res.c.sum())
        n_hat, km = res.n_end, res.km
    # last interval: censoring at the earlier intervals' rate, or set by the total events
    k0, k1 = lower[-1], npts - 1
    span = Ta[k0 - 1] - Ta[lower[0]] if nint > 1 else 0.0
    guess = int(round(nc_total * (Ta[k1] - Ta[k0]) / span)) if span > 0 else 0
    guess = min(guess, nums[-1])
    edges = Ta[k0:k1 + 1]
    before = int(d[:k0].sum())

    def attempt_last(nc, n_at=n_hat, km_at=km):
        res = _run(Sa, k0, k1, n_at, km_at, _spread(nc, times[-1], Ta[k1], edges))
        return res, (before + int(res.d.sum()) - total_events) if total_events is not None else 0

    if total_events is not None:
        if total_events < 0 or total_events > nums[0]:
            raise BadInput(f"{'curve ' + repr(label) + ': ' if label else ''}total events must be between 0 "
                           f"and the number of patients ({nums[0]}), got {total_events}")
        nc, res, err = _search(guess, 0, n_hat, attempt_last)
        if err:
            reliable = False
            notes.append(f"could not match the reported total of {total_events} events: "
                         f"the reconstruction has {before + int(res.d.sum())}")
    else:
        res, _ = attempt_last(guess)
    d[k0:], cen[k0:] = res.d, res.c
    left = res.n_end
    if not has_table:
        how = (f"censoring set to match the {total_events} reported events" if total_events is not None
               else "no censoring assumed")
        notes.append(f"no numbers-at-risk table, only the {nums[0]} patients at the start ({how}): "
                     "the result is less reliable")
    if added:
        notes.append(f"added {added} point(s) on the curve at the numbers-at-risk times")
    ev_t = np.repeat(Ta, d)
    mids = np.append((Ta[:-1] + Ta[1:]) / 2.0, Ta[-1])
    ce_t = np.concatenate([np.repeat(mids, cen), np.full(left, Ta[-1])])
    ipd = pd.DataFrame({"time": np.concatenate([ev_t, ce_t]),
                        "event": np.concatenate([np.ones(len(ev_t), int), np.zeros(len(ce_t), int)])})
    ipd = ipd.sort_values(["time", "event"], ascending=[True, False], kind="stable").reset_index(drop=True)
    checks = tuple(RiskCheck(t, n, int((ipd["time"].to_numpy() >= t).sum())) for t, n in zip(times, nums))
    events = int(ipd["event"].sum())
    return Reconstruction(label, ipd, tuple(notes), reliable, len(ipd), events, len(ipd) - events, checks,
                          total_events)


def reconstruct_all(curves: Sequence[Curve], tables: dict[str, AtRisk] | None = None,
                    total_events: dict[str, int] | None = None,
                    n_start: dict[str, int] | None = None) -> tuple[Reconstruction, ...]:
    """``reconstruct`` for each curve of a file, with its table, total events and start n by label."""
    tables, total_events, n_start = tables or {}, total_events or {}, n_start or {}
    return tuple(reconstruct(c, tables.get(c.label), total_events.get(c.label), n_start.get(c.label))
                 for c in curves)


def combined_ipd(recs: Sequence[Reconstruction], label_column: str = "curve") -> "pd.DataFrame":
    """The patients of several reconstructions in one frame (a ``label_column``
    naming each one's curve when there is more than one curve)."""
    import pandas as pd

    if len(recs) == 1 and not recs[0].label:
        return recs[0].ipd.copy()
    return pd.concat([r.ipd.assign(**{label_column: r.label or str(i + 1)}) for i, r in enumerate(recs)],
                     ignore_index=True)
