"""The ranking model: blinding by construction, cold start, explanations, settings."""

import numpy as np
import pytest

from review.ranking import Corpus, Doc, FeatureSettings, Ranker, RankSettings, random_order
from review.ranking.model import balanced_weights
from tests.ranking.conftest import RELEVANT_WORDS


@pytest.fixture(scope="module")
def corpus(synthetic):
    docs, _ = synthetic
    return Corpus.build(docs)


def _labels_of(decisions, reviewer):
    """What the screening screen passes: one reviewer's own decisions only."""
    return {rid: lab for who, rid, lab in decisions if who == reviewer}


def test_one_reviewers_ranking_is_unchanged_by_the_others_labels(synthetic, corpus):
    docs, truth = synthetic
    ids = [d.id for d in docs]
    rng = np.random.default_rng(5)
    a_ids = list(rng.choice(ids, 30, replace=False))
    decisions = [("A", rid, truth[rid]) for rid in a_ids]
    before = Ranker(corpus).fit(_labels_of(decisions, "A"))
    unscreened = [i for i in ids if i not in a_ids]
    rank_before = before.rank(unscreened)
    scores_before = before.scores(unscreened)

    # Reviewer B screens 60 records (overlapping A's), deciding the opposite of
    # the truth: B's labels would change any model that saw them.
    b_ids = list(rng.choice(ids, 60, replace=False))
    decisions += [("B", rid, 1 - truth[rid]) for rid in b_ids]
    after = Ranker(corpus).fit(_labels_of(decisions, "A"))
    assert after.rank(unscreened) == rank_before
    assert np.array_equal(after.scores(unscreened), scores_before)
    assert after.trained_on == frozenset(a_ids)

    # The test can fail: a model given B's labels as well ranks differently.
    mixed = Ranker(corpus).fit({**_labels_of(decisions, "B"), **_labels_of(decisions, "A")})
    assert mixed.rank(unscreened) != rank_before
    b_model = Ranker(corpus).fit(_labels_of(decisions, "B"))
    assert b_model.trained_on == frozenset(b_ids)


def test_classifier_ranks_relevant_first(synthetic, corpus):
    docs, truth = synthetic
    ids = [d.id for d in docs]
    train = ids[:40]
    model = Ranker(corpus).fit({i: truth[i] for i in train})
    assert model.kind == "classifier"
    rest = ids[40:]
    ranked = model.rank(rest)
    n_rel = sum(truth[i] for i in rest)
    top = ranked[:n_rel]
    assert sum(truth[i] for i in top) >= 0.8 * n_rel


@pytest.mark.parametrize("classifier", ["svm", "logistic", "nb"])
def test_each_classifier_learns(synthetic, corpus, classifier):
    docs, truth = synthetic
    ids = [d.id for d in docs]
    model = Ranker(corpus, RankSettings(classifier=classifier, C=1.0)).fit({i: truth[i] for i in ids[:40]})
    s = model.scores(ids[40:])
    y = np.array([truth[i] for i in ids[40:]])
    assert s[y == 1].mean() > s[y == 0].mean()


def test_cold_start_from_include_and_exclude_terms(synthetic, corpus):
    docs, truth = synthetic
    ids = [d.id for d in docs]
    model = Ranker(corpus).fit({}, include_terms=["chimeric antigen receptor", "lymphoma"])
    assert model.kind == "similarity"
    first = model.rank(ids)[:10]
    assert sum(truth[i] for i in first) >= 8
    # include and exclude terms together make both classes: a classifier
    both = Ranker(corpus).fit({}, include_terms=["lymphoma"], exclude_terms=["diabetes", "asthma"])
    assert both.kind == "classifier"
    assert sum(truth[i] for i in both.rank(ids)[:10]) >= 8


def test_cold_start_from_known_relevant_records(synthetic, corpus):
    docs, truth = synthetic
    ids = [d.id for d in docs]
    known = [i for i in ids if truth[i]][:2]
    model = Ranker(corpus).fit({}, known_relevant=known)
    assert model.kind == "similarity"
    rest = [i for i in ids if i not in known]
    assert sum(truth[i] for i in model.rank(rest)[:10]) >= 8


def test_nothing_known_gives_a_seeded_random_order(corpus):
    ids = list(corpus.ids)
    m1 = Ranker(corpus, RankSettings(seed=3)).fit({})
    m2 = Ranker(corpus, RankSettings(seed=3)).fit({})
    m3 = Ranker(corpus, RankSettings(seed=4)).fit({})
    assert m1.kind == "random"
    assert m1.rank(ids) == m2.rank(ids) != m3.rank(ids)
    assert sorted(m1.rank(ids)) == sorted(ids)
    assert random_order(ids, 1) == random_order(ids, 1) != random_order(ids, 2)
    assert sorted(random_order(ids, 1)) == sorted(ids)


def test_explain_names_terms_of_the_record(synthetic, corpus):
    docs, truth = synthetic
    ids = [d.id for d in docs]
    model = Ranker(corpus).fit({i: truth[i] for i in ids[:60]})
    rel = next(i for i in ids[60:] if truth[i])
    ex = model.explain(rel, k=5)
    text = next(d for d in docs if d.id == rel).text().lower()
    assert ex.terms and all(t in text for t, _ in ex.terms)
    ups = [w for _, w in ex.terms if w > 0]
    assert ups == sorted(ups, reverse=True)
    assert ex.terms[0][0] in " ".join(RELEVANT_WORDS)
    assert ex.score == pytest.approx(float(model.scores([rel])[0]))
    assert Ranker(corpus).fit({}).explain(rel).terms == ()


def test_top_and_unknown_ids(synthetic, corpus):
    docs, truth = synthetic
    ids = [d.id for d in docs]
    model = Ranker(corpus).fit({i: truth[i] for i in ids[:40]})
    assert model.top(ids[40:]) == model.rank(ids[40:])[0]
    assert model.top([]) is None
    with pytest.raises(KeyError, match="nope"):
        model.scores(["nope"])
    with pytest.raises(ValueError):
        Ranker(corpus).fit({ids[0]: 2})
    with pytest.raises(ValueError):
        RankSettings(classifier="forest")


def test_balanced_weights_as_asreview():
    y = np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    w = balanced_weights(y, 9.8)
    # relevant 1, irrelevant n1/(ratio n0) = 2/(9.8*8), then rescaled to sum 10
    raw = np.where(y == 1, 1.0, 2 / (9.8 * 8))
    assert np.allclose(w, raw * 10 / raw.sum())
    assert w.sum() == pytest.approx(10)


def test_keywords_and_mesh_are_features():
    docs = [Doc("a", "x", "", keywords=("Lymphoma",), mesh=("Receptors, Chimeric Antigen",)),
            Doc("b", "x", "", mesh=("Asthma",)), Doc("c", "y", "")]
    c = Corpus.build(docs, FeatureSettings(max_df=1.0))
    assert {"lymphoma", "chimeric", "asthma"} <= set(c.terms())
    with pytest.raises(ValueError):
        Corpus.build([Doc("a"), Doc("a")])
