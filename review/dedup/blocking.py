"""Candidate pairs from several blocking keys, so cost grows near-linearly.

Keys: DOI, PMID, the first and the last title words (CJK: first/last
characters), first author + year, year + volume + start page, first author +
start page. Pairs are formed inside each block; a block larger than
``MAX_BLOCK`` (a common surname in a common year, a generic title) is not
compared all-against-all: its members are sorted by title and each is paired
only with its ``WINDOW`` nearest neighbours (sorted neighbourhood).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Sequence

import numpy as np

from review.dedup.features import Features

MAX_BLOCK = 60
WINDOW = 8


def _title_keys(f: Features) -> list[str]:
    if f.cjk:
        t = f.tkey
        return [f"c<{t[:6]}", f"c>{t[-6:]}"] if len(t) >= 4 else []
    words = [w for w in f.title.split() if len(w) > 1 or w.isdigit()]
    if len(words) < 3:
        return [f"t={f.title}"] if f.title else []
    keys = [f"t<{' '.join(words[:4])}", f"t>{' '.join(words[-4:])}"]
    keys.append(f"tm{''.join(words[1:5])[:12]}")
    return keys


def block_keys(f: Features) -> list[str]:
    """All blocking keys of one record."""
    keys = _title_keys(f)
    if f.doi:
        keys.append(f"d{f.doi}")
    if f.pmid:
        keys.append(f"p{f.pmid}")
    fa = f.authors[0] if f.authors else ""
    if fa and f.year:
        keys.append(f"a{fa}|{f.year}")
    if f.spage and f.volume:
        keys.append(f"v{f.year}|{f.volume}|{f.spage}")
    if fa and f.spage:
        keys.append(f"s{fa}|{f.spage}")
    for alt in f.alt_titles[:2]:
        w = alt.split()
        if len(w) >= 3:
            keys.append(f"t<{' '.join(w[:4])}")
    return keys


def candidate_pairs(feats: Sequence[Features]) -> np.ndarray:
    """Unique candidate pairs (i < j) as an (n, 2) int64 array."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        for k in block_keys(f):
            blocks[k].append(i)
    n = len(feats)
    chunks: list[np.ndarray] = []
    for members in blocks.values():
        m = len(members)
        if m < 2:
            continue
        idx = np.asarray(members, dtype=np.int64)
        if m <= MAX_BLOCK:
            a, b = np.triu_indices(m, k=1)
        else:
            idx = idx[np.argsort([feats[i].tkey for i in members], kind="stable")]
            a = np.concatenate([np.arange(m - w) for w in range(1, WINDOW + 1)])
            b = np.concatenate([np.arange(w, m) for w in range(1, WINDOW + 1)])
        i, j = idx[a], idx[b]
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        chunks.append(lo * n + hi)
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(chunks))
    codes = codes[(codes // n) != (codes % n)]
    return np.stack([codes // n, codes % n], axis=1)
