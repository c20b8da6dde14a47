"""The replay behind `review simulate`: order, priors, determinism, quality."""

import numpy as np
import pytest

from review.errors import BadInput
from review.ranking import metrics
from review.ranking.simulate import parse_priors, read_labelled, simulate
from tests.ranking.conftest import SUBSET, write_labelled


@pytest.fixture(scope="module")
def subset():
    return read_labelled(SUBSET)


@pytest.fixture(scope="module")
def small(synthetic, tmp_path_factory):
    docs, labels = synthetic
    return read_labelled(write_labelled(tmp_path_factory.mktemp("sim") / "small.csv", docs, labels))


def test_order_covers_every_record_once_priors_first(small):
    rel = next(i for i in small.ids if small.included[i])
    irr = next(i for i in small.ids if not small.included[i])
    sim = simulate(small, [irr, rel], seed=1)
    assert sorted(sim.order) == sorted(small.ids)
    assert len(set(sim.order)) == len(small.ids)
    assert sim.order[:2] == (irr, rel)
    assert sim.n_prior == 2
    assert sim.fits == len(small.ids) - 2  # refitted before every pick (under 2,000 labels)
    assert list(sim.labels) == [small.included[i] for i in sim.order]
    found = sim.curve.found
    assert (np.diff(found) >= 0).all() and found[-1] == sum(small.included.values())


def test_deterministic_with_a_seed(small):
    rel = next(i for i in small.ids if small.included[i])
    a = simulate(small, [rel], seed=7)
    b = simulate(small, [rel], seed=7)
    assert a.order == b.order
    # without priors: seeded random start until the first relevant record
    c = simulate(small, [], seed=7)
    d = simulate(small, [], seed=7)
    e = simulate(small, [], seed=8)
    assert c.order == d.order
    assert c.order[:3] != e.order[:3] or c.order != e.order


def test_ranked_replay_beats_random_on_real_records(subset):
    """Nagtegaal 2019 (CC0) subset: 300 records, 30 relevant."""
    rel = [i for i in subset.ids if subset.included[i]][0]
    irr = [i for i in subset.ids if not subset.included[i]][0]
    sim = simulate(subset, [rel, irr], seed=0)
    s = metrics.summary(sim.labels)
    assert s["records"] == 300 and s["relevant"] == 30
    # random screening expects WSS@95 = 0 and recall@10% = 0.1
    assert s["wss_95"] > 0.3
    assert s["recall_at_10"] > 0.3


def test_priors_validated(small):
    rel = next(i for i in small.ids if small.included[i])
    irr = [i for i in small.ids if not small.included[i]]
    assert parse_priors(f"{rel}, {irr[0]}", small) == [rel, irr[0]]
    assert parse_priors(None, small) == []
    with pytest.raises(BadInput, match="unknown prior record 'zzz'"):
        parse_priors(f"{rel},zzz", small)
    with pytest.raises(BadInput, match="given twice"):
        parse_priors(f"{rel},{rel}", small)
    with pytest.raises(BadInput, match=r"no relevant prior.*line \d+, included=0"):
        parse_priors(f"{irr[0]},{irr[1]}", small)


def _csv(tmp_path, text, name="bad.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_bad_files_name_file_and_line(tmp_path):
    cases = {
        "record_id,title,included\n1,a,0\n": ("bad.csv:1", "missing column abstract"),
        "record_id,title,abstract,included\n1,a,b,0\n2,c,d,yes\n": ("bad.csv:3", "included must be 0 or 1, got 'yes'"),
        "record_id,title,abstract,included\n1,a,b,1\n1,c,d,0\n": ("bad.csv:3", "duplicate record_id '1' (first on line 2)"),
        "record_id,title,abstract,included\n1,a,b,0\n2,c,d,0\n": ("bad.csv", "no record has included = 1"),
        "record_id,title,abstract,included\n,a,b,0\n": ("bad.csv:2", "empty record_id"),
        "": ("bad.csv", "empty file"),
    }
    for text, (where, msg) in cases.items():
        with pytest.raises(BadInput) as exc:
            read_labelled(_csv(tmp_path, text))
        assert where in str(exc.value) and msg in str(exc.value), str(exc.value)


def test_line_numbers_count_multiline_abstracts(tmp_path):
    text = 'record_id,title,abstract,included\n1,a,"two\nlines",1\n2,b,c,2\n'
    with pytest.raises(BadInput, match=r"bad\.csv:4: included must be 0 or 1"):
        read_labelled(_csv(tmp_path, text))


def test_optional_keywords_and_mesh_and_tsv(tmp_path):
    p = _csv(tmp_path, "Record_ID\tTitle\tAbstract\tIncluded\tMeSH\n1\ta\tb\t1\tLymphoma; Humans\n2\tc\td\t0\t\n",
             name="set.tsv")
    ds = read_labelled(p)
    assert ds.docs[0].mesh == ("Lymphoma", "Humans")
    assert ds.included == {"1": 1, "2": 0}
    assert ds.line == {"1": 2, "2": 3}
