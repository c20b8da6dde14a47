"""Pooling of single proportions with R meta::metaprop parity.

Plain functions in, frozen dataclasses out:

- ``metaprop(events, n, studies, by=..., sm=..., method=..., method_tau=..., hakn=...)``
  -> ``MetaResult`` (common, random, prediction, tau^2, Q, I^2, studies, subgroups)
- ``egger_test``, ``leave_one_out`` (review.pooling.bias)
- ``forest_plot``, ``funnel_plot`` (review.pooling.plots; matplotlib, imported lazily)
- ``project_data(conn, outcome, by)``: the project's reconciled extraction data.

See docs/pooling.md for formulas, defaults and the R reference values.
"""

from __future__ import annotations

from review.errors import ReviewError
from review.pooling.bias import egger_test, leave_one_out
from review.pooling.metaprop import metaprop
from review.pooling.results import Between, EggerTest, LeaveOneOut, MetaResult, Pooled, StudyResult, Subgroup


def project_data(conn, outcome: str | None, by: str | None):
    """(events, n, studies, groups) for ``outcome`` from the project's reconciled data.

    Not yet available: reconciled extraction data is built by another part of
    the project; the lead wires it here.
    """
    raise ReviewError("project pooling needs reconciled extraction data (not yet available)")


__all__ = [
    "metaprop", "egger_test", "leave_one_out", "project_data",
    "MetaResult", "Pooled", "StudyResult", "Subgroup", "Between", "EggerTest", "LeaveOneOut",
]
