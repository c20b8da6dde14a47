"""Fixtures for the ranking tests: a small synthetic corpus and a real subset.

The synthetic corpus: relevant records are about CAR-T cell therapy in
lymphoma, irrelevant ones about other topics, with shared filler words.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from review.ranking import Doc

DATA = Path(__file__).resolve().parents[1] / "data" / "ranking"
SUBSET = DATA / "nagtegaal_2019_subset.csv.gz"

RELEVANT_WORDS = "car-t chimeric antigen receptor lymphoma cd19 remission infusion cytokine".split()
OTHER_TOPICS = [
    "knee arthroplasty rehabilitation physiotherapy gait".split(),
    "diabetes insulin glucose metformin glycaemic".split(),
    "asthma inhaler corticosteroid airway wheeze".split(),
    "depression antidepressant sertraline mood anxiety".split(),
]
FILLER = "patients study results trial outcome group treatment analysis clinical data cohort follow".split()


def make_docs(n: int = 120, share: float = 0.15, seed: int = 0) -> tuple[list[Doc], dict]:
    rng = np.random.default_rng(seed)
    docs, labels = [], {}
    for i in range(n):
        rel = rng.random() < share
        words = list(rng.choice(RELEVANT_WORDS if rel else OTHER_TOPICS[i % 4], 6))
        words += list(rng.choice(FILLER, 25))
        if rng.random() < 0.2:  # some topic noise
            words += list(rng.choice(RELEVANT_WORDS if not rel else OTHER_TOPICS[0], 2))
        rng.shuffle(words)
        rid = f"r{i:03d}"
        docs.append(Doc(id=rid, title=" ".join(words[:8]), abstract=" ".join(words[8:])))
        labels[rid] = int(rel)
    return docs, labels


@pytest.fixture(scope="session")
def synthetic():
    return make_docs()


def write_labelled(path: Path, docs, labels) -> Path:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["record_id", "title", "abstract", "included"])
        for d in docs:
            w.writerow([d.id, d.title, d.abstract, labels[d.id]])
    return path
