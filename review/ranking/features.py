"""Text features for ranking: TF-IDF over title, abstract, keywords and MeSH terms.

The vectoriser is fitted on every record of the project (labelled or not): it
uses no decisions, so it can be shared by both reviewers without breaking the
blinding. ``Corpus.build`` is the slow step (seconds for 100,000 records) and
is redone only when records are added; fitting a model on it is fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, Sequence


@dataclass(frozen=True)
class Doc:
    """One record as the ranker sees it: an id and its text fields."""

    id: Any
    title: str = ""
    abstract: str = ""
    keywords: Sequence[str] = ()
    mesh: Sequence[str] = ()

    def text(self) -> str:
        """Title, abstract, keywords and MeSH terms as one string (title first)."""
        parts = [self.title or "", self.abstract or "", " ".join(self.keywords or ()), " ".join(self.mesh or ())]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class FeatureSettings:
    """TF-IDF settings. The defaults are ASReview's ELAS u4 feature extractor
    (word 1-2 grams, sublinear tf, max_df 0.95), chosen by bench/bench_ranking.py."""

    ngram_max: int = 2
    sublinear_tf: bool = True
    min_df: int = 1
    max_df: float = 0.95
    stop_words: str | None = None


@dataclass(frozen=True, eq=False)
class Corpus:
    """Every record's feature row, and the vectoriser's vocabulary.

    ``ids`` are in input order; ``row[id]`` gives the row of ``matrix``
    (scipy CSR, one L2-normalised row per record).
    """

    ids: tuple
    row: dict
    matrix: Any
    vectorizer: Any
    settings: FeatureSettings = field(default_factory=FeatureSettings)

    @classmethod
    def build(cls, docs: Iterable[Doc], settings: FeatureSettings | None = None) -> "Corpus":
        """Fit TF-IDF on the records' text. Ids must be unique (ValueError otherwise)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        settings = settings or FeatureSettings()
        docs = list(docs)
        ids = tuple(d.id for d in docs)
        row = {i: k for k, i in enumerate(ids)}
        if len(row) != len(ids):
            raise ValueError("record ids must be unique")
        texts = [d.text() for d in docs]
        n = len(texts)
        # max_df as a share is meaningless on a handful of records (every word is
        # in "95%" of two documents): apply it only when it can leave words in.
        max_df = settings.max_df if n * settings.max_df >= 2 else 1.0
        vec = TfidfVectorizer(
            ngram_range=(1, settings.ngram_max),
            sublinear_tf=settings.sublinear_tf,
            min_df=min(settings.min_df, max(n, 1)),
            max_df=max_df,
            stop_words=settings.stop_words,
            dtype=_float32(),
        )
        if not any(t.strip() for t in texts):
            texts = ["_empty_"] * n if n else ["_empty_"]
        try:
            matrix = vec.fit_transform(texts)
        except ValueError:  # no word left after pruning (e.g. tiny corpora)
            vec.set_params(max_df=1.0, min_df=1)
            matrix = vec.fit_transform(texts)
        return cls(ids=ids, row=row, matrix=matrix[:n], vectorizer=vec, settings=settings)

    def rows(self, ids: Iterable) -> list[int]:
        """Row numbers of ``ids`` (KeyError naming an unknown id)."""
        try:
            return [self.row[i] for i in ids]
        except KeyError as exc:
            raise KeyError(f"record {exc.args[0]!r} is not in the corpus") from None

    @cached_property
    def _terms(self):
        return self.vectorizer.get_feature_names_out()

    def terms(self):
        """Feature names (numpy array of strings), index = column of ``matrix``."""
        return self._terms

    def transform_terms(self, terms: Iterable[str]):
        """One feature row per protocol term (a word or phrase), in this corpus's vocabulary."""
        import scipy.sparse as sp

        terms = [t for t in terms if t and t.strip()]
        if not terms:
            return sp.csr_matrix((0, self.matrix.shape[1]), dtype=self.matrix.dtype)
        return self.vectorizer.transform(terms)


def _float32():
    import numpy as np

    return np.float32
