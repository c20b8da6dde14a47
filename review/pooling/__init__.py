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

from review.pooling.bias import egger_test, leave_one_out
from review.pooling.metaprop import metaprop
from review.pooling.results import Between, EggerTest, LeaveOneOut, MetaResult, Pooled, StudyResult, Subgroup


def project_data(conn, outcome: str | None, by: str | None):
    """The counts of ``outcome`` from the project's settled extraction values:
    a ``review.pooling.outcomes.OutcomeData`` whose ``left_out`` names every
    study not pooled and why (review.extraction.pooling)."""
    from review.errors import BadInput
    from review.extraction.pooling import project_outcome
    from review.project import project_protocol

    protocol = project_protocol(conn)
    if not outcome:
        names = ", ".join(o.name for o in protocol.outcomes) or "none"
        raise BadInput(f"name the outcome to pool: --outcome NAME (the protocol's: {names}), or --all")
    return project_outcome(conn, protocol, outcome, by)


__all__ = [
    "metaprop", "egger_test", "leave_one_out", "project_data",
    "MetaResult", "Pooled", "StudyResult", "Subgroup", "Between", "EggerTest", "LeaveOneOut",
]
