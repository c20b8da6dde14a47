"""Kaplan-Meier curves, medians, log-rank test and Cox hazard ratios (lifelines).

The estimates come from lifelines: ``KaplanMeierFitter`` (survival and its
Greenwood variance), ``multivariate_logrank_test`` and ``CoxPHFitter`` (Efron
ties). Two things follow R's survival package rather than lifelines' defaults,
so that the numbers equal ``survfit`` and ``print.survfit``:

- confidence bands: ``conf_type="log"`` (R's default, S·exp(±z·se)) or
  ``"log-log"`` (lifelines' default, exponential Greenwood);
- the median and its confidence limits: the first time the curve (or its band)
  is at or below 0.5, and where the curve is exactly 0.5 over a stretch, the
  middle of that stretch (``quantile.survfit``'s rule).

References
----------
Therneau T. survival: survfit.formula, quantile.survfit, survdiff, coxph (R package, 3.5-3).
Davidson-Pilon C. lifelines: survival analysis in Python. JOSS 2019;4(40):1317.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

import numpy as np

from review.errors import BadInput

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

CONF_TYPES = ("log", "log-log", "plain")
_TOL = math.sqrt(np.finfo(float).eps)


@dataclass(frozen=True)
class GroupKM:
    """One group's Kaplan-Meier curve. ``time`` starts at 0 and holds every
    distinct event or censoring time; ``median*`` are None when not reached."""

    name: str
    n: int
    events: int
    median: float | None
    median_lower: float | None
    median_upper: float | None
    time: tuple[float, ...]
    survival: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    at_risk: tuple[int, ...]
    censor_times: tuple[float, ...]
    durations: tuple[float, ...] = field(repr=False, default=())

    def at(self, t: float) -> tuple[float, float, float, int]:
        """(survival, lower, upper, number at risk) at time t (right-continuous steps)."""
        k = int(np.searchsorted(self.time, t, side="right")) - 1
        n_risk = int(np.sum(np.asarray(self.durations) >= t))
        return self.survival[k], self.lower[k], self.upper[k], n_risk


@dataclass(frozen=True)
class LogRank:
    chisq: float
    df: int
    p: float


@dataclass(frozen=True)
class HazardRatio:
    """Cox hazard ratio of ``group`` against ``reference``, Wald CI and p."""

    group: str
    reference: str
    hr: float
    lower: float
    upper: float
    p: float


@dataclass(frozen=True)
class KMResult:
    groups: tuple[GroupKM, ...]
    logrank: LogRank | None
    cox: tuple[HazardRatio, ...]
    reference: str | None
    by: str | None
    conf_type: str
    level: float
    time_unit: str | None = None
    notes: tuple[str, ...] = ()


def _quantile_time(x: np.ndarray, y: np.ndarray, p: float) -> float | None:
    """First time the cumulative incidence y = 1 - S reaches p, with the midpoint
    rule where y equals p over a stretch (R survival's quantile.survfit)."""
    xmax = x[-1]
    ok = ~np.isnan(y)
    x, y = x[ok], y[ok]
    if len(y) == 0 or y.max() < p:
        return None
    keep = np.concatenate([[True], y[1:] != y[:-1]])  # first time each value is reached
    x, y = x[keep], y[keep]
    i1 = int(np.argmax(y >= p - _TOL))
    above = np.nonzero(y >= p + _TOL)[0]
    if len(above):
        return float((x[i1] + x[above[0]]) / 2.0)
    return float((x[i1] + xmax) / 2.0)  # the curve ends exactly at p


def _bands(kmf, surv: np.ndarray, conf_type: str, level: float) -> tuple[np.ndarray, np.ndarray]:
    from scipy.stats import norm

    if conf_type == "log-log":
        ci = kmf.confidence_interval_survival_function_
        lo, hi = ci.iloc[:, 0].to_numpy(float), ci.iloc[:, 1].to_numpy(float)
    else:
        z = norm.ppf(1 - (1 - level) / 2)
        se = np.sqrt(np.asarray(kmf._cumulative_sq_, dtype=float))  # Greenwood: sd of log S
        if conf_type == "log":
            lo, hi = surv * np.exp(-z * se), np.minimum(1.0, surv * np.exp(z * se))
        else:  # plain: S ± z·S·se
            lo, hi = np.maximum(0.0, surv - z * surv * se), np.minimum(1.0, surv + z * surv * se)
    # once S is 0 its variance is infinite: no band (R gives NA there)
    return np.where(surv > 0, lo, np.nan), np.where(surv > 0, hi, np.nan)


def _fit_group(name: str, t: np.ndarray, e: np.ndarray, conf_type: str, level: float) -> GroupKM:
    from lifelines import KaplanMeierFitter

    kmf = KaplanMeierFitter(alpha=1 - level).fit(t, e, label=name)
    x = kmf.survival_function_.index.to_numpy(float)
    surv = kmf.survival_function_.iloc[:, 0].to_numpy(float)
    lo, hi = _bands(kmf, surv, conf_type, level)
    xs, ys = np.concatenate([[0.0], x]), np.concatenate([[0.0], 1.0 - surv])
    med = _quantile_time(xs, ys, 0.5)
    # the lower band reaches 0.5 first (the median's lower limit), the upper band last
    med_lo = _quantile_time(xs, np.concatenate([[0.0], 1.0 - lo]), 0.5)
    med_hi = _quantile_time(xs, np.concatenate([[0.0], 1.0 - hi]), 0.5)
    table = kmf.event_table
    return GroupKM(
        name=name, n=len(t), events=int(e.sum()),
        median=med, median_lower=med_lo, median_upper=med_hi,
        time=tuple(x), survival=tuple(surv), lower=tuple(lo), upper=tuple(hi),
        at_risk=tuple(int(v) for v in table["at_risk"].reindex(x).fillna(0)),
        censor_times=tuple(float(v) for v in np.unique(t[e == 0])),
        durations=tuple(float(v) for v in t),
    )


def _cox(df: "pd.DataFrame", names: list[str], level: float, notes: list[str]) -> tuple[HazardRatio, ...]:
    """Hazard ratio of each group against names[0]; lifelines' convergence
    warnings become notes (R's coxph warns the same way)."""
    import warnings

    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError, ConvergenceWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        try:
            # lifelines' default stopping rule can end ~1e-4 short of R's coxph on a
            # flat likelihood (veteran, trt): converge as tightly as R does
            cph = CoxPHFitter(alpha=1 - level).fit(df, duration_col="T", event_col="E",
                                                   fit_options={"precision": 1e-10})
        except ConvergenceError as exc:
            notes.append(f"the Cox model did not converge ({str(exc).splitlines()[0]}): no hazard ratios")
            return ()
    for w in caught:
        if issubclass(w.category, ConvergenceWarning):
            first = str(w.message).strip().split(". ")[0].rstrip(".")
            for j, n in enumerate(names[1:], start=1):
                first = first.replace(f"Column g{j} ", f"Group {n!r} ")
            notes.append(f"Cox model (lifelines): {first}.")
    with np.errstate(over="ignore"):
        hr = np.exp(cph.params_)
        ci = np.exp(cph.confidence_intervals_)
    p = cph.summary["p"]
    return tuple(HazardRatio(n, names[0], float(hr[f"g{j}"]), float(ci.loc[f"g{j}"].iloc[0]),
                             float(ci.loc[f"g{j}"].iloc[1]), float(p[f"g{j}"]))
                 for j, n in enumerate(names[1:], start=1))


def _natural_key(s: str):
    try:
        return (0, float(s), s)
    except ValueError:
        return (1, 0.0, s)


def km_analysis(frame: "pd.DataFrame", *, time: str = "time", event: str = "event", by: str | None = None,
                conf_type: str = "log", level: float = 0.95, reference: str | None = None,
                order: Sequence[str] | None = None, time_unit: str | None = None) -> KMResult:
    """Kaplan-Meier per group, log-rank across groups and Cox hazard ratios.

    ``frame`` has numeric ``time`` and 0/1 ``event`` columns (see ipd.read_ipd)
    and, with ``by``, a group column. Groups are ordered as ``order`` or sorted
    (numbers numerically), like R's factor levels; the first (or ``reference``)
    is the Cox reference.
    """
    from lifelines.statistics import multivariate_logrank_test

    if conf_type not in CONF_TYPES:
        raise BadInput(f"confidence band type must be one of {', '.join(CONF_TYPES)}, not {conf_type!r}")
    if not 0 < level < 1:
        raise BadInput(f"confidence level must be between 0 and 1, got {level}")
    t_all = frame[time].to_numpy(float)
    e_all = frame[event].to_numpy(int)
    if len(t_all) == 0:
        raise BadInput("no patients to analyse")
    notes: list[str] = []
    if by is None:
        names = ["all"]
        g_all = np.array(["all"] * len(t_all), dtype=object)
    else:
        g_all = frame[by].astype(str).to_numpy(object)
        present = set(g_all)
        names = list(order) if order else sorted(present, key=_natural_key)
        names = [n for n in names if n in present] + sorted(present - set(names), key=_natural_key)
    if reference is not None:
        if reference not in names:
            raise BadInput(f"reference group {reference!r} is not among the groups ({', '.join(names)})")
        names = [reference] + [n for n in names if n != reference]
    groups = tuple(_fit_group(n, t_all[g_all == n], e_all[g_all == n], conf_type, level) for n in names)
    logrank, cox = None, ()
    if by is not None and len(names) > 1:
        lr = multivariate_logrank_test(t_all, g_all, e_all)
        logrank = LogRank(float(lr.test_statistic), int(lr.degrees_of_freedom), float(lr.p_value))
        if e_all.sum() == 0:
            notes.append("no events: no hazard ratios")
        else:
            import pandas as pd

            cols = {f"g{j}": (g_all == n).astype(float) for j, n in enumerate(names[1:], start=1)}
            df = pd.DataFrame({"T": t_all, "E": e_all, **cols})
            cox = _cox(df, names, level, notes)
            empty = [g.name for g in groups if g.events == 0]
            if empty:
                notes.append(f"no events in {', '.join(empty)}: hazard ratios against or of "
                             f"{'it' if len(empty) == 1 else 'them'} are not estimable (infinite)")
    return KMResult(groups, logrank, cox, names[0] if by is not None else None, by, conf_type, level,
                    time_unit, tuple(notes))
