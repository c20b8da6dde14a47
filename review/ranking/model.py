"""Rank records by predicted relevance, learning from one reviewer's labels.

``Ranker(corpus, settings).fit(labels, ...) -> Model`` is a pure function of
its arguments: it reads no database, so a reviewer's model can only learn from
the labels the caller passes (the screening screen passes that reviewer's own
decisions: blinding by construction). It is fast enough to run in a background
thread after every decision (see bench/bench_ranking.py for fit times); the
returned ``Model`` is immutable and answers ``scores``, ``rank`` and
``explain`` at once.

Until both a relevant and an irrelevant example exist (counting the protocol's
include/exclude terms as examples), the model ranks by similarity to the known
relevant records and include terms minus similarity to the exclude terms; with
nothing at all it gives a seeded random order.

References
----------
ASReview LAB 3.0.8, asreview/models/models.py: ELAS u4 (TF-IDF 1-2 grams,
sublinear tf, max_df 0.95; linear SVM C=0.11; balanced sample weights, ratio
9.8; "max" querying) and ELAS u3 (multinomial naive Bayes alpha 3.822, ratio
1.2). van de Schoot R, et al. An open source machine learning framework for
efficient and transparent systematic reviews. Nat Mach Intell 2021;3:125-133.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from review.ranking.features import Corpus

CLASSIFIERS = ("svm", "logistic", "nb")


@dataclass(frozen=True)
class RankSettings:
    """Classifier settings; the defaults are those chosen by bench/bench_ranking.py.

    ``classifier``: "svm" (linear SVM, ASReview's ELAS u4), "logistic"
    (logistic regression) or "nb" (multinomial naive Bayes, ELAS u3).
    ``balance_ratio``: irrelevant examples count 1/ratio as much in total as
    relevant ones (ASReview's Balanced sampler). ``seed`` breaks ties and seeds
    the random order used before anything is known.
    """

    classifier: str = "svm"
    C: float = 0.11
    balance_ratio: float = 9.8
    nb_alpha: float = 3.822
    seed: int = 0

    def __post_init__(self) -> None:
        if self.classifier not in CLASSIFIERS:
            raise ValueError(f"classifier must be one of {', '.join(CLASSIFIERS)}, got {self.classifier!r}")


@dataclass(frozen=True)
class Explanation:
    """Why a record scored as it did: the terms that pushed it up and down.

    ``terms``: (term, weight) pairs, the largest positive weights first, then
    the most negative; weight = the term's contribution to the score.
    """

    record_id: Any
    score: float
    kind: str
    terms: tuple[tuple[str, float], ...]


@dataclass(frozen=True, eq=False)
class Model:
    """A fitted ranking. ``kind`` is "classifier", "similarity" or "random".

    ``trained_on``: the ids whose labels were used (for the audit trail and
    for tests of blinding).
    """

    corpus: Corpus
    kind: str
    settings: RankSettings
    trained_on: frozenset
    _scores: np.ndarray = field(repr=False)
    _tiebreak: np.ndarray = field(repr=False)
    _weights: np.ndarray | None = field(repr=False, default=None)

    def scores(self, ids: Iterable) -> np.ndarray:
        """Relevance score of each id (higher = more likely relevant; the scale
        depends on ``kind``: SVM margin, log-odds or cosine difference)."""
        return self._scores[self.corpus.rows(ids)]

    def rank(self, ids: Iterable) -> list:
        """``ids`` ordered most likely relevant first (ties in seeded random order)."""
        ids = list(ids)
        rows = np.asarray(self.corpus.rows(ids), dtype=np.int64)
        if not len(rows):
            return []
        order = np.lexsort((self._tiebreak[rows], -self._scores[rows]))
        return [ids[k] for k in order]

    def top(self, ids: Iterable):
        """The single most likely relevant id among ``ids`` (None if empty)."""
        ids = list(ids)
        if not ids:
            return None
        rows = np.asarray(self.corpus.rows(ids), dtype=np.int64)
        s = self._scores[rows]
        best = np.flatnonzero(s == s.max())
        k = best[np.argmin(self._tiebreak[rows[best]])]
        return ids[k]

    def explain(self, record_id: Any, k: int = 10) -> Explanation:
        """The ``k`` terms of the record that raised its score most, and the ``k``
        that lowered it most (term weight x the term's TF-IDF in the record)."""
        r = self.corpus.rows([record_id])[0]
        score = float(self._scores[r])
        if self._weights is None:
            return Explanation(record_id, score, self.kind, ())
        x = self.corpus.matrix[r]
        cols = x.indices
        contrib = np.asarray(x.data, dtype=float) * self._weights[cols]
        names = self.corpus.terms()
        order = np.argsort(-contrib, kind="stable")
        up = [(str(names[cols[j]]), float(contrib[j])) for j in order[:k] if contrib[j] > 0]
        down = [(str(names[cols[j]]), float(contrib[j])) for j in order[::-1][:k] if contrib[j] < 0]
        return Explanation(record_id, score, self.kind, tuple(up + down))


class Ranker:
    """Fits models on one corpus with fixed settings (holds no labels itself)."""

    def __init__(self, corpus: Corpus, settings: RankSettings | None = None):
        self.corpus = corpus
        self.settings = settings or RankSettings()
        rng = np.random.default_rng(self.settings.seed)
        self._tiebreak = rng.permutation(len(corpus.ids)).astype(np.int64)

    def fit(
        self,
        labels: Mapping[Any, int],
        *,
        known_relevant: Iterable = (),
        include_terms: Sequence[str] = (),
        exclude_terms: Sequence[str] = (),
    ) -> Model:
        """A model learnt from ``labels`` (record id -> 1 relevant / 0 irrelevant)
        and nothing else: ``known_relevant`` ids count as relevant, the protocol's
        ``include_terms`` / ``exclude_terms`` (plain strings) as one relevant /
        irrelevant example each."""
        import scipy.sparse as sp

        lab = {i: int(v) for i, v in labels.items()}
        for i in known_relevant:
            lab[i] = 1
        bad = [v for v in lab.values() if v not in (0, 1)]
        if bad:
            raise ValueError(f"labels must be 0 or 1, got {bad[0]!r}")
        ids = list(lab)
        rows = self.corpus.rows(ids)
        y = np.array([lab[i] for i in ids], dtype=np.int8)
        inc = self.corpus.transform_terms(include_terms)
        exc = self.corpus.transform_terms(exclude_terms)
        X = sp.vstack([self.corpus.matrix[rows], inc, exc], format="csr")
        y = np.concatenate([y, np.ones(inc.shape[0], np.int8), np.zeros(exc.shape[0], np.int8)])
        trained_on = frozenset(ids)
        base = dict(corpus=self.corpus, settings=self.settings, trained_on=trained_on, _tiebreak=self._tiebreak)
        if y.size and 0 < y.sum() < y.size:
            scores, weights = _classify(X, y, self.corpus.matrix, self.settings)
            return Model(kind="classifier", _scores=scores, _weights=weights, **base)
        if y.size:
            pos = _mean_row(X[y == 1])
            neg = _mean_row(X[y == 0])
            weights = pos - neg
            scores = np.asarray(self.corpus.matrix @ weights, dtype=float).ravel()
            return Model(kind="similarity", _scores=scores, _weights=weights, **base)
        return Model(kind="random", _scores=np.zeros(len(self.corpus.ids)), **base)


def random_order(ids: Iterable, seed: int = 0) -> list:
    """``ids`` in a seeded random order (the order for screening without ranking)."""
    ids = list(ids)
    perm = np.random.default_rng(seed).permutation(len(ids))
    return [ids[k] for k in perm]


def balanced_weights(y: np.ndarray, ratio: float) -> np.ndarray:
    """ASReview's Balanced sample weights: relevant 1, irrelevant n1/(ratio*n0),
    rescaled to sum to len(y)."""
    n1 = float((y == 1).sum())
    n0 = float((y == 0).sum())
    w = np.where(y == 1, 1.0, n1 / (ratio * n0))
    return w * (len(y) / w.sum())


def _mean_row(X) -> np.ndarray:
    if X.shape[0] == 0:
        return np.zeros(X.shape[1])
    return np.asarray(X.mean(axis=0), dtype=float).ravel()


def _classify(X, y, full, s: RankSettings) -> tuple[np.ndarray, np.ndarray]:
    """Fit the classifier; (score of every corpus row, per-term weights)."""
    w = balanced_weights(y, s.balance_ratio)
    if s.classifier == "nb":
        from sklearn.naive_bayes import MultinomialNB

        clf = MultinomialNB(alpha=s.nb_alpha)
        clf.fit(X, y, sample_weight=w)
        weights = clf.feature_log_prob_[1] - clf.feature_log_prob_[0]
        bias = clf.class_log_prior_[1] - clf.class_log_prior_[0]
    else:
        if s.classifier == "svm":
            from sklearn.svm import LinearSVC

            clf = LinearSVC(C=s.C, random_state=s.seed)
        else:
            from sklearn.linear_model import LogisticRegression

            clf = LogisticRegression(C=s.C, solver="liblinear", random_state=s.seed)
        clf.fit(X, y, sample_weight=w)
        weights = np.asarray(clf.coef_, dtype=float).ravel()
        bias = float(np.ravel(clf.intercept_)[0])
    scores = np.asarray(full @ weights, dtype=float).ravel() + bias
    return scores, np.asarray(weights, dtype=float)
