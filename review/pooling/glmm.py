"""Random-intercept logistic model (GLMM) for single proportions.

The model meta::metaprop fits by default for PLOGIT: ``metafor::rma.glmm(
measure="PLO", method="ML")``, which calls ``lme4::glmer(cbind(x, n-x) ~ 1 +
(1|study), binomial, nAGQ=7)``. The marginal likelihood is approximated by
adaptive Gauss-Hermite quadrature (7 nodes centred at each study's conditional
mode, scaled by the curvature there) and maximised over (beta, tau). The
standard error of beta comes from the inverse Hessian of the full likelihood in
(tau, beta), as lme4's ``vcov`` does (``use.hessian=TRUE``).

The common-effect model and the saturated model behind the Wald Q are plain
binomial GLMs; ``glm_irls`` ports R's ``glm.fit`` (starting values, clamped
logit link, deviance convergence rule) so that even degenerate Wald statistics
(studies with 0 or n events, whose saturated estimates run off to infinity)
come out as R's do.

References: lme4 1.1-31 (glmer, GHrule, vcov.merMod); metafor 3.8-1
rma.glmm (QE.Wld); R stats::glm.fit and src/library/stats/src/family.c;
Stijnen, Hamza & Ozdemir (2010) Stat Med 29:3046.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from scipy import optimize
from scipy.special import logsumexp

#: lme4's default number of quadrature nodes, as rma.glmm passes it.
NAGQ = 7
_EPS = sys.float_info.epsilon
_THRESH = 30.0  # family.c THRESH / MTHRESH
_INVEPS = 1 / _EPS
#: glm.control() defaults.
GLM_EPSILON = 1e-8
GLM_MAXIT = 25


@dataclass(frozen=True)
class GlmFit:
    """A binomial-logit GLM fitted by IRLS: linear predictors and their variances."""

    eta: np.ndarray
    var: np.ndarray
    deviance: float
    iterations: int
    converged: bool


@dataclass(frozen=True)
class GlmmFit:
    """Maximum-likelihood random-intercept logistic fit."""

    beta: float
    se: float
    tau2: float
    loglik: float
    converged: bool


def _linkinv(eta: np.ndarray) -> np.ndarray:
    """R's binomial()$linkinv (C_logit_linkinv), clamped at |eta| > 30."""
    tmp = np.where(eta < -_THRESH, _EPS, np.where(eta > _THRESH, _INVEPS, np.exp(np.clip(eta, -_THRESH, _THRESH))))
    return tmp / (1 + tmp)


def _mu_eta(eta: np.ndarray) -> np.ndarray:
    """R's binomial()$mu.eta (C_logit_mu_eta)."""
    e = np.exp(np.clip(eta, -_THRESH, _THRESH))
    return np.where((eta > _THRESH) | (eta < -_THRESH), _EPS, e / (1 + e) ** 2)


def _ylogy(y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(y != 0, y * np.log(y / mu), 0.0)


def _deviance(y: np.ndarray, mu: np.ndarray, wt: np.ndarray) -> float:
    return float(np.sum(2 * wt * (_ylogy(y, mu) + _ylogy(1 - y, 1 - mu))))


def glm_irls(x, n, saturated: bool) -> GlmFit:
    """R's ``glm.fit`` for cbind(x, n - x) ~ 1 (or one parameter per study).

    For the saturated model the design is the identity, which spans the same
    space as R's ``~ -1 + intrcpt + study`` and so follows the same IRLS path.
    ``var`` is the variance of each linear predictor from the last iteration's
    working weights, as ``vcov.glm`` reports it.

    References: R stats::glm.fit, binomial(); glm.control(epsilon=1e-8, maxit=25).
    """
    x = np.asarray(x, float)
    n = np.asarray(n, float)
    y = x / n
    mu = (n * y + 0.5) / (n + 1)
    eta = np.log(mu / (1 - mu))
    mu = _linkinv(eta)
    devold = _deviance(y, mu, n)
    conv, it, var = False, 0, np.full_like(y, np.nan)
    for it in range(1, GLM_MAXIT + 1):
        me = _mu_eta(eta)
        z = eta + (y - mu) / me
        w2 = n * me**2 / (mu * (1 - mu))
        if saturated:
            eta, var = z, 1 / w2
        else:
            info = float(np.sum(w2))
            eta = np.full_like(z, float(np.sum(w2 * z)) / info)
            var = np.full_like(z, 1 / info)
        mu = _linkinv(eta)
        dev = _deviance(y, mu, n)
        if abs(dev - devold) / (abs(dev) + 0.1) < GLM_EPSILON:
            conv = True
            break
        devold = dev
    return GlmFit(eta, var, dev, it, conv)


def wald_q(x, n) -> float:
    """metafor's QE.Wld: Wald test that all study logits are equal (df k - 1).

    Computed from the saturated GLM; invariant to the contrasts R happens to
    use. Clamped at 0 as metafor does.
    """
    fit = glm_irls(x, n, saturated=True)
    a = 1 / fit.var
    eta_bar = float(np.sum(a * fit.eta) / np.sum(a))
    return max(0.0, float(np.sum(a * (fit.eta - eta_bar) ** 2)))


def common_glm(x, n) -> tuple[float, float]:
    """(beta, se) of the common-effect logistic model (glm with an intercept)."""
    fit = glm_irls(x, n, saturated=False)
    return float(fit.eta[0]), math.sqrt(float(fit.var[0]))


_Z, _W = hermegauss(NAGQ)
_LOGW = np.log(_W) + _Z**2 / 2


def _modes(beta: float, tau: float, x: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each study's conditional mode of u (b = tau u, u ~ N(0,1)) and the curvature there.

    Newton's method on the strictly concave penalised log-likelihood, with step
    halving wherever a full step would not increase it.
    """

    def pen(u: np.ndarray) -> np.ndarray:
        eta = beta + tau * u
        return x * eta - n * _log1pexp(eta) - u * u / 2

    u = np.zeros_like(x)
    g_old = pen(u)
    for _ in range(200):
        mu = _linkinv_plain(beta + tau * u)
        step = (tau * (x - n * mu) - u) / (tau * tau * n * mu * (1 - mu) + 1)
        new = u + step
        g_new = pen(new)
        for _ in range(60):
            worse = g_new < g_old - 1e-12 * np.abs(g_old)
            if not worse.any():
                break
            step = np.where(worse, step / 2, step)
            new = u + step
            g_new = pen(new)
        u, g_old = new, g_new
        if np.max(np.abs(step)) < 1e-11 * (1 + np.max(np.abs(u))):
            break
    mu = _linkinv_plain(beta + tau * u)
    return u, tau * tau * n * mu * (1 - mu) + 1


def _linkinv_plain(eta: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(0.5 * eta))


def _log1pexp(eta: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, eta)


def glmm_loglik(beta: float, tau: float, x, n) -> float:
    """Log marginal likelihood by adaptive Gauss-Hermite quadrature (NAGQ nodes).

    Omits the binomial coefficients, which do not depend on the parameters.
    Even in tau, so central differences at tau = 0 are fine.
    """
    x = np.asarray(x, float)
    n = np.asarray(n, float)
    u_hat, h = _modes(beta, tau, x, n)
    s = 1 / np.sqrt(h)
    u = u_hat[:, None] + s[:, None] * _Z[None, :]
    eta = beta + tau * u
    g = x[:, None] * eta - n[:, None] * _log1pexp(eta) - u * u / 2
    li = np.log(s) + logsumexp(g + _LOGW[None, :], axis=1) - 0.5 * math.log(2 * math.pi)
    return float(np.sum(li))


def _hessian(f, p: np.ndarray, step: float = 1e-4) -> np.ndarray:
    """Central-difference Hessian (as lme4's deriv12 with delta = 1e-4)."""
    m = len(p)
    H = np.empty((m, m))
    f0 = f(p)
    for i in range(m):
        ei = np.zeros(m)
        ei[i] = step
        H[i, i] = (f(p + ei) - 2 * f0 + f(p - ei)) / step**2
        for j in range(i):
            ej = np.zeros(m)
            ej[j] = step
            H[i, j] = H[j, i] = (f(p + ei + ej) - f(p + ei - ej) - f(p - ei + ej) + f(p - ei - ej)) / (4 * step**2)
    return H


def fit_glmm(x, n) -> GlmmFit:
    """ML fit of logit(p_i) = beta + b_i, b_i ~ N(0, tau^2), by 7-node AGQ.

    Starts from the common-effect estimate and tau = 1 (lme4's theta start),
    maximises with bounded L-BFGS-B, then polishes with Newton steps on the
    finite-difference gradient and Hessian. tau = 0 is kept when the likelihood
    is largest there.

    References: lme4::glmer(nAGQ=7); metafor::rma.glmm(measure="PLO", method="ML").
    """
    x = np.asarray(x, float)
    n = np.asarray(n, float)
    b0, _ = common_glm(x, n)
    if not math.isfinite(b0):
        b0 = 0.0

    def nll(p: np.ndarray) -> float:
        return -glmm_loglik(float(p[0]), float(p[1]), x, n)

    best = None
    for tau0 in (1.0, 0.3, 3.0):
        res = optimize.minimize(
            nll, np.array([b0, tau0]), method="L-BFGS-B", bounds=[(None, None), (0.0, None)],
            options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 2000},
        )
        if best is None or res.fun < best.fun:
            best = res
    p = np.asarray(best.x, float)
    p = _polish(nll, p)
    if nll(np.array([p[0], 0.0])) <= nll(p):
        p = _polish_beta(nll, p[0])
    H = _hessian(nll, p)
    try:
        cov = np.linalg.inv(H)
        se = math.sqrt(cov[0, 0]) if cov[0, 0] > 0 and np.all(np.linalg.eigvalsh(H) > 0) else math.nan
    except np.linalg.LinAlgError:
        se = math.nan
    if not math.isfinite(se) and H[0, 0] > 0:  # lme4's fallback: the beta block alone
        se = math.sqrt(1 / H[0, 0])
    return GlmmFit(float(p[0]), se, float(p[1] ** 2), -nll(p), bool(best.success))


def _polish(nll, p: np.ndarray) -> np.ndarray:
    """A few Newton steps with finite differences; kept only while they help."""
    f = nll(p)
    for _ in range(20):
        if p[1] <= 0:
            break
        step = 1e-5 * np.maximum(1.0, np.abs(p))
        g = np.array([(nll(p + e) - nll(p - e)) / (2 * s) for e, s in ((np.array([step[0], 0]), step[0]), (np.array([0, step[1]]), step[1]))])
        H = _hessian(nll, p, 1e-4)
        try:
            d = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            break
        q = p - d
        q[1] = max(q[1], 0.0)
        fq = nll(q)
        if not fq < f:
            break
        p, f = q, fq
        if np.max(np.abs(d)) < 1e-12:
            break
    return p


def _polish_beta(nll, b: float) -> np.ndarray:
    res = optimize.minimize_scalar(lambda t: nll(np.array([t, 0.0])), bracket=(b - 0.1, b + 0.1), tol=1e-12)
    return np.array([float(res.x), 0.0])
