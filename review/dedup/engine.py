"""Deduplication end to end on a list of Records: prepare, block, score,
decide, cluster. No database and no I/O here (see store.py and the CLI).

``find_duplicates(records, decisions)`` returns a ``DedupResult``: a group label
per record (the index of the group's first record), every pair that was
judged certain or possible with its comparison and verdict, and the pairs
whose merge the constraints refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from review.dedup.blocking import candidate_pairs
from review.dedup.cluster import build_groups
from review.dedup.features import Features, prepare
from review.dedup.tiers import CERTAIN, DISTINCT, POSSIBLE, Verdict, decide
from review.dedup.scoring import Comparison, compare, needs_compare, title_scores
from review.models import Record


@dataclass(slots=True)
class PairResult:
    """One judged pair of record indices (i < j)."""

    i: int
    j: int
    verdict: Verdict
    comparison: Comparison
    merged: bool = False
    refused: str = ""


@dataclass
class DedupResult:
    """Group labels, judged pairs, and counts for reporting."""

    labels: list[int]
    pairs: list[PairResult]
    candidates: int = 0
    compared: int = 0
    human: dict = field(default_factory=dict)
    dois: list[str] = field(default_factory=list)
    pmids: list[str] = field(default_factory=list)

    def possible(self) -> list[PairResult]:
        """Possible pairs still open: not in one group already and not decided by a person."""
        return [
            p for p in self.pairs
            if p.verdict.tier == POSSIBLE and self.labels[p.i] != self.labels[p.j]
            and (p.i, p.j) not in self.human
        ]

    def groups(self) -> dict[int, list[int]]:
        """Label -> member indices, for groups of two or more."""
        out: dict[int, list[int]] = {}
        for i, g in enumerate(self.labels):
            out.setdefault(g, []).append(i)
        return {g: m for g, m in out.items() if len(m) > 1}


def judge_pairs(feats: Sequence[Features]) -> tuple[list[PairResult], int, int]:
    """Block, score and decide; returns (certain+possible pairs, candidates, compared)."""
    pairs = candidate_pairs(feats)
    scores = title_scores(feats, pairs)
    out: list[PairResult] = []
    compared = 0
    for (i, j), base in zip(pairs.tolist(), scores.tolist()):
        a, b = feats[i], feats[j]
        if not needs_compare(a, b, base):
            continue
        compared += 1
        c = compare(a, b, base)
        v = decide(c)
        if v.tier != DISTINCT:
            out.append(PairResult(i, j, v, c))
    return out, len(pairs), compared


def find_duplicates(
    records: Sequence[Record], decisions: Mapping[tuple[int, int], str] | None = None
) -> DedupResult:
    """Group duplicate records.

    ``decisions`` maps index pairs (i < j) to a person's 'merge' or 'keep':
    merges are applied first (still under the DOI/PMID constraint), kept-apart
    pairs are never joined, directly or through others.
    """
    feats = [prepare(r) for r in records]
    judged, ncand, ncomp = judge_pairs(feats)
    res = DedupResult([], judged, ncand, ncomp, {}, [f.doi for f in feats], [f.pmid for f in feats])
    return cluster(res, decisions)


def cluster(res: DedupResult, decisions: Mapping[tuple[int, int], str] | None = None) -> DedupResult:
    """Group the already judged pairs of ``res`` under ``decisions`` (no rescoring).

    Cheap next to scoring, so a caller can re-apply decisions that were made
    while the scoring ran (see ``store.run``). Sets ``merged``/``refused`` on
    the pairs and returns ``res`` with new labels.
    """
    decisions = dict(decisions or {})
    certain = sorted((p for p in res.pairs if p.verdict.tier == CERTAIN),
                     key=lambda p: (-p.verdict.score, p.i, p.j))
    groups, outcome = build_groups(res.dois, res.pmids, [(p.i, p.j) for p in certain], decisions)
    for p in res.pairs:
        p.refused = outcome.get((p.i, p.j), "")
        p.merged = (p.i, p.j) in outcome and not p.refused
    res.labels = groups.labels()
    res.human = decisions
    return res
