"""Scoring a grouping against labelled duplicate groups (shared/data/dedup/README.md).

sensitivity = sum over gold groups of (size - number of predicted groups it is
split into) / sum over gold groups of (size - 1); false merges = sum over
predicted groups of (number of distinct gold groups in it - 1), also given per
1,000 unique publications (the number of gold groups).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping


@dataclass(frozen=True)
class Score:
    sensitivity: float
    false_merges: int
    unique: int

    @property
    def false_per_1000(self) -> float:
        return 1000.0 * self.false_merges / max(1, self.unique)


def read_gold(path: str | Path) -> dict[str, str]:
    """record ID -> gold group id from a gold_groups.csv."""
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["ID"]: row["group_id"] for row in csv.DictReader(fh)}


def score(predicted: Mapping[str, object], gold: Mapping[str, str]) -> Score:
    """Sensitivity and false merges of ``predicted`` (record id -> group) against ``gold``."""
    gold_members: dict[str, list[str]] = {}
    for rid, g in gold.items():
        gold_members.setdefault(g, []).append(rid)
    num = den = 0
    for members in gold_members.values():
        if len(members) > 1:
            num += len(members) - len({predicted[r] for r in members})
            den += len(members) - 1
    pred_members: dict[object, set[str]] = {}
    for rid, g in predicted.items():
        pred_members.setdefault(g, set()).add(gold[rid])
    false = sum(len(gs) - 1 for gs in pred_members.values())
    return Score(num / den if den else 1.0, false, len(gold_members))
