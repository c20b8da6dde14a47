"""Frozen result types of a proportion meta-analysis.

``TE``/``se`` are on the transformed (``sm``) scale; ``estimate``/``lower``/
``upper`` are back-transformed proportions in [0, 1]. NaN marks a value that
does not exist for the data (e.g. Q with one study).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pooled:
    """A pooled estimate with its confidence (or prediction) interval."""

    TE: float
    se: float
    TE_lower: float
    TE_upper: float
    estimate: float
    lower: float
    upper: float
    #: degrees of freedom of the t reference distribution; None for z.
    df: int | None = None


@dataclass(frozen=True)
class StudyResult:
    """One study: its counts, transformed effect, proportion with CI, and weights (%)."""

    study: str
    events: int
    n: int
    TE: float
    se: float
    estimate: float
    lower: float
    upper: float
    weight_common: float | None
    weight_random: float | None


@dataclass(frozen=True)
class Between:
    """Test for differences between subgroups (Q on the subgroup estimates)."""

    Q: float
    df: int
    p: float


@dataclass(frozen=True)
class MetaResult:
    """Everything meta::metaprop reports for one set of studies."""

    sm: str
    method: str
    method_tau: str
    method_ci: str
    level: float
    hakn: bool
    k: int
    events: int
    n: int
    studies: tuple[StudyResult, ...]
    common: Pooled
    random: Pooled
    prediction: Pooled | None
    tau2: float
    se_tau2: float
    tau2_lower: float
    tau2_upper: float
    Q: float
    Q_df: int
    Q_p: float
    H: float
    H_lower: float
    H_upper: float
    I2: float
    I2_lower: float
    I2_upper: float
    notes: tuple[str, ...] = ()
    subgroups: tuple["Subgroup", ...] = field(default=())
    between: Between | None = None
    between_common: Between | None = None

    @property
    def tau(self) -> float:
        """sqrt(tau^2)."""
        return math.sqrt(self.tau2) if self.tau2 >= 0 else float("nan")


@dataclass(frozen=True)
class Subgroup:
    """One subgroup's own meta-analysis (its own tau^2)."""

    name: str
    result: MetaResult


@dataclass(frozen=True)
class EggerTest:
    """Egger's regression test: weighted lm of TE on its se, t-test on the slope."""

    bias: float
    se_bias: float
    t: float
    df: int
    p: float
    intercept: float


@dataclass(frozen=True)
class LeaveOneOut:
    """The pooled (random-effects) result with one study left out."""

    omitted: str
    estimate: float
    lower: float
    upper: float
    tau2: float
    I2: float
