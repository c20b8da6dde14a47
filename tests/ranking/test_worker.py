"""The background fitter gives the same model as a direct fit, in a process or a thread."""

import numpy as np
import pytest

from review.ranking import Corpus, Ranker
from review.ranking.worker import FitWorker


@pytest.mark.parametrize("processes", [True, False])
def test_worker_model_equals_direct_fit(synthetic, processes):
    docs, truth = synthetic
    ranker = Ranker(Corpus.build(docs))
    ids = [d.id for d in docs]
    labels = {i: truth[i] for i in ids[:50]}
    direct = ranker.fit(labels, include_terms=["lymphoma"])
    with FitWorker(ranker, processes=processes) as worker:
        model = worker.submit(labels, include_terms=["lymphoma"]).result(timeout=120)
        bad = worker.submit({ids[0]: 5})
        with pytest.raises(ValueError):
            bad.result(timeout=120)
    assert model.kind == direct.kind == "classifier"
    assert model.trained_on == direct.trained_on
    assert np.allclose(model.scores(ids), direct.scores(ids))
    assert model.rank(ids[50:]) == direct.rank(ids[50:])
    assert model.explain(ids[60]).terms == direct.explain(ids[60]).terms
