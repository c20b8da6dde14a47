"""Fit ranking models off the screen's thread, so a key press never waits.

``Ranker.fit`` releases the GIL for most of its work, but scikit-learn's
LinearSVC setup holds it for a while on large projects (bench: about 0.2 s
with 15,000 labels over 30,000 records, 0.6 s with 50,000 of 100,000), which
a thread in the screen's process would turn into a frozen screen. The
``FitWorker`` therefore fits in a separate process that received the ranker
once at start; only the labels go out and the score and term-weight arrays
come back. ``processes=False`` uses a thread instead (small projects, tests).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, Mapping, Sequence

from review.ranking.model import Model, Ranker

_RANKER: Ranker | None = None  # the child process's copy


def _init(ranker: Ranker) -> None:
    global _RANKER
    _RANKER = ranker


def _fit_arrays(labels: dict, known_relevant: list, include_terms: list, exclude_terms: list) -> tuple:
    assert _RANKER is not None
    m = _RANKER.fit(labels, known_relevant=known_relevant, include_terms=include_terms, exclude_terms=exclude_terms)
    return m.kind, m._scores, m._weights, m.trained_on


class FitWorker:
    """One background fitter for one reviewer's ranker.

    ``submit(labels, ...)`` returns a ``concurrent.futures.Future`` of the
    ``Model`` that ``ranker.fit(labels, ...)`` gives; the caller keeps using
    its current model until the future is done. Use as a context manager or
    call ``close()``.
    """

    def __init__(self, ranker: Ranker, *, processes: bool = True):
        self.ranker = ranker
        self.processes = processes
        if processes:
            ctx = multiprocessing.get_context("spawn")
            self._pool: Executor = ProcessPoolExecutor(1, mp_context=ctx, initializer=_init, initargs=(ranker,))
        else:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="ranking-fit")

    def submit(
        self,
        labels: Mapping[Any, int],
        *,
        known_relevant: Sequence = (),
        include_terms: Sequence[str] = (),
        exclude_terms: Sequence[str] = (),
    ) -> "Future[Model]":
        if not self.processes:
            return self._pool.submit(self.ranker.fit, dict(labels), known_relevant=list(known_relevant),
                                     include_terms=list(include_terms), exclude_terms=list(exclude_terms))
        inner = self._pool.submit(_fit_arrays, dict(labels), list(known_relevant), list(include_terms),
                                  list(exclude_terms))
        outer: Future = Future()

        def done(f: Future) -> None:
            try:
                kind, scores, weights, trained_on = f.result()
            except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
                outer.set_exception(exc)
                return
            outer.set_result(Model(corpus=self.ranker.corpus, kind=kind, settings=self.ranker.settings,
                                   trained_on=trained_on, _scores=scores, _tiebreak=self.ranker._tiebreak,
                                   _weights=weights))

        inner.add_done_callback(done)
        return outer

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "FitWorker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
