"""Small-study effects and influence: Egger's regression test, leave-one-out.

References: meta::metabias(method.bias="Egger") as metafor::regtest(model="lm",
predictor="sei"), k.min = 10; meta::metainf.
"""

from __future__ import annotations

import math
import numpy as np
from scipy import stats

from review.errors import BadInput
from review.pooling.results import EggerTest, LeaveOneOut, MetaResult
from review.pooling.transforms import transform

#: meta::metabias refuses fewer studies than this.
EGGER_K_MIN = 10


def egger_test(events, n, sm: str = "PLOGIT", incr: float = 0.5, method_incr: str = "only0",
               k_min: int = EGGER_K_MIN) -> EggerTest:
    """Egger's test: lm(TE ~ se, weights = 1/se^2), t-test on the slope (df k - 2).

    Raises BadInput when fewer than ``k_min`` studies are given (meta's k.min).
    """
    x = np.asarray(events, float)
    nn = np.asarray(n, float)
    if len(x) < k_min:
        raise BadInput(f"Egger's test needs at least {k_min} studies, got {len(x)}")
    t = transform(x, nn, sm, incr, method_incr)
    ok = np.isfinite(t.TE) & np.isfinite(t.v) & (t.v > 0)
    y, se = t.TE[ok], np.sqrt(t.v[ok])
    w = 1 / se**2
    X = np.column_stack([np.ones_like(se), se])
    XtW = X.T * w
    A = XtW @ X
    beta = np.linalg.solve(A, XtW @ y)
    r = y - X @ beta
    df = len(y) - 2
    s2 = float(np.sum(w * r**2)) / df
    cov = s2 * np.linalg.inv(A)
    se_b = math.sqrt(cov[1, 1])
    tval = float(beta[1]) / se_b
    return EggerTest(float(beta[1]), se_b, tval, df, float(2 * stats.t.sf(abs(tval), df)), float(beta[0]))


def leave_one_out(result: MetaResult, **options) -> tuple[LeaveOneOut, ...]:
    """Pool again without each study in turn, with ``result``'s settings.

    ``options`` override settings (e.g. ``incr``); returns one row per study.
    """
    from review.pooling.metaprop import metaprop

    if result.k < 3:
        raise BadInput("leave-one-out needs at least 3 studies")
    rows = []
    studies = result.studies
    settings = dict(sm=result.sm, method=result.method, method_tau=result.method_tau,
                    hakn=result.hakn, level=result.level, method_ci=result.method_ci)
    settings.update(options)
    for i, s in enumerate(studies):
        rest = studies[:i] + studies[i + 1:]
        r = metaprop([t.events for t in rest], [t.n for t in rest], [t.study for t in rest], **settings)
        rows.append(LeaveOneOut(s.study, r.random.estimate, r.random.lower, r.random.upper, r.tau2, r.I2))
    return tuple(rows)


__all__ = ["egger_test", "leave_one_out", "EGGER_K_MIN"]
