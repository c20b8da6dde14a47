"""Root finding that reproduces R's ``uniroot`` step for step.

metafor finds the Paule-Mandel tau^2 and the Q-profile confidence limits with
``uniroot(tol = .Machine$double.eps^0.25)``: a loose tolerance, so a different
root finder lands up to ~1e-4 away. Porting R's Brent-Dekker ``zeroin`` lets
us land where R lands.

References: R src/library/stats/src/zeroin.c (R_zeroin2), called by
``stats::uniroot``; Brent (1973) Algorithms for Minimization without
Derivatives, ch. 4.
"""

from __future__ import annotations

import sys
from typing import Callable

EPSILON = sys.float_info.epsilon
#: R's default ``uniroot`` tolerance, also metafor's ``con$tol``.
R_UNIROOT_TOL = EPSILON**0.25


def uniroot(
    f: Callable[[float], float],
    lower: float,
    upper: float,
    *,
    tol: float = R_UNIROOT_TOL,
    maxiter: int = 1000,
) -> float:
    """Root of ``f`` in [lower, upper] exactly as R's ``uniroot`` finds it.

    Raises ValueError when f(lower) and f(upper) have the same sign, as R does.

    References: R ``stats::uniroot`` / ``R_zeroin2``.
    """
    fa = f(lower)
    fb = f(upper)
    if fa * fb > 0:
        raise ValueError("f() values at end points not of opposite sign")
    return _zeroin2(f, lower, upper, fa, fb, tol, maxiter)


def _zeroin2(f, ax, bx, fa, fb, tol, maxit):  # noqa: C901 - a faithful port
    a, b = ax, bx
    c, fc = a, fa
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    maxit += 1
    while maxit:
        maxit -= 1
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2 * EPSILON * abs(b) + tol / 2
        new_step = (c - b) / 2
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:
                q = fa / fc
                t1 = fb / fc
                t2 = fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2) and p < abs(prev_step * q / 2):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b
