"""The seed review's studies as event counts (shared by the pooling tests)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
SEED = DATA / "seed_studies.tsv"
OUTCOMES = ("orr", "crr", "dr")


def seed_counts(outcome: str) -> list[dict]:
    """Studies reporting ``outcome``: events = round(percent x n / 100), as R's round()."""
    rows = []
    with SEED.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            if r[outcome] == "NA":
                continue
            n = int(r["n"])
            rows.append({"study": r["study"], "events": round(float(r[outcome]) * n / 100), "n": n,
                         "cancer": r["cancer"], "country": r["country"]})
    return rows
