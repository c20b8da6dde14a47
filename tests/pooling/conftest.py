"""Shared fixtures: the seed review's studies written as a counts file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pooling_seed import seed_counts


@pytest.fixture
def seed_file(tmp_path):
    """Write one outcome's counts to a TSV (or CSV) and return its path."""

    def make(outcome: str, suffix: str = ".tsv") -> Path:
        path = tmp_path / f"{outcome}{suffix}"
        delim = "\t" if suffix == ".tsv" else ","
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=["study", "events", "n", "cancer", "country"], delimiter=delim)
            w.writeheader()
            w.writerows(seed_counts(outcome))
        return path

    return make
