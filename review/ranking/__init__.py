"""Screening prioritisation: rank records by likely relevance, stopping aid, replay.

Core API (no database reads; labels are passed in explicitly, so a reviewer's
model only ever sees that reviewer's decisions):

- ``Corpus.build(docs)``: TF-IDF features of every record (``Doc``).
- ``Ranker(corpus, RankSettings()).fit(labels, known_relevant=..., include_terms=...,
  exclude_terms=...) -> Model``; ``Model.scores(ids)``, ``Model.rank(ids)``,
  ``Model.explain(id)``; ``random_order(ids, seed)``.
- ``review.ranking.worker.FitWorker``: fits in a background process, so the
  screen's key presses never wait for a fit.
- ``review.ranking.stopping``: recall-curve data, consecutive-irrelevant
  heuristic, Callaghan & Müller-Hansen's hypergeometric test, remaining estimate.
- ``review.ranking.metrics``: WSS@95 (Cohen; asreview-insights), recall@k%, ATD, ERF.
- ``review.ranking.simulate``: replay screening on a labelled set.
- ``review.ranking.chart``: the recall chart (matplotlib).

See docs/ranking.md.
"""

from __future__ import annotations

from review.ranking.features import Corpus, Doc, FeatureSettings
from review.ranking.model import Explanation, Model, Ranker, RankSettings, random_order

__all__ = ["Corpus", "Doc", "FeatureSettings", "Explanation", "Model", "Ranker", "RankSettings", "random_order"]
