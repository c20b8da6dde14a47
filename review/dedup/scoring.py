"""Field-by-field comparison of candidate pairs.

Title similarity is computed for all candidate pairs at once with
``rapidfuzz.process.cpdist`` (vectorised, multi-threaded); the remaining
fields are compared only for pairs whose titles are close enough to matter
(or that share an identifier). Each comparison is a ``Comparison`` holding the
scores and the per-field verdicts ('same', 'near', 'conflict', 'na') that the
rules in review.dedup.tiers read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Sequence

import re

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from review.dedup.features import Features, latin_title

TITLE_FLOOR = 0.70  # below this (and with no shared identifier) a pair is not looked at further


@dataclass(slots=True)
class Comparison:
    """Scores and verdicts for one pair of records."""

    title: float
    title_how: str       # 'full', 'prefix' (one title truncated), 'cjk', 'translated'
    doi: str
    pmid: str
    year: str
    authors: str
    author_score: float
    journal: str
    volume: str
    pages: str
    abstract: str
    abstract_score: float
    kinds: str           # 'same' or e.g. 'erratum/' when they differ
    conference: str      # 'same' or 'differs'
    both_conference: bool
    generic: bool

    def as_dict(self) -> dict:
        d = asdict(self)
        d["title"] = round(d["title"], 3)
        d["author_score"] = round(d["author_score"], 3)
        d["abstract_score"] = round(d["abstract_score"], 3)
        return d


def title_scores(feats: Sequence[Features], pairs: np.ndarray) -> np.ndarray:
    """fuzz.ratio / 100 of the title keys of every pair (vectorised)."""
    if len(pairs) == 0:
        return np.empty(0)
    keys = [f.tkey for f in feats]
    left = [keys[i] for i in pairs[:, 0]]
    right = [keys[j] for j in pairs[:, 1]]
    return cpdist(left, right, scorer=fuzz.ratio, workers=-1, dtype=np.float32) / 100.0


def _equal_or(a: str, b: str) -> str:
    if not a or not b:
        return "na"
    return "same" if a == b else "conflict"


def _title(a: Features, b: Features, base: float) -> tuple[float, str]:
    how = "cjk" if a.cjk and b.cjk else "full"
    best = base
    sa, sb = (a.tkey, b.tkey) if len(a.tkey) <= len(b.tkey) else (b.tkey, a.tkey)
    if len(sa) >= 30 and best < 0.97 and len(sa) < len(sb):
        part = fuzz.ratio(sa, sb[: len(sa)]) / 100.0
        if part >= 0.97 and part > best:
            best, how = part, "prefix"
    if a.cjk != b.cjk or a.alt_titles or b.alt_titles:
        ta = {latin_title(a), *a.alt_titles} - {""}
        tb = {latin_title(b), *b.alt_titles} - {""}
        for x in ta:
            for y in tb:
                s = fuzz.ratio(x, y) / 100.0
                if s > best:
                    best, how = s, "translated"
    return best, how


def _year(a: Features, b: Features) -> str:
    if a.year is None or b.year is None:
        return "na"
    d = abs(a.year - b.year)
    return "same" if d == 0 else "near" if d == 1 else "conflict"


def _same_name(x: str, y: str) -> bool:
    if x == y:
        return True
    if len(x) >= 4 and len(y) >= 4:
        return fuzz.ratio(x, y) >= 80 or x.startswith(y) or y.startswith(x) or x.endswith(y) or y.endswith(x)
    return False


def _authors(a: Features, b: Features) -> tuple[str, float]:
    if not a.authors or not b.authors:
        return "na", 0.0
    if any(len(x) > 1 and not x.isascii() for x in a.authors[:1] + b.authors[:1]) and (
        a.authors[0].isascii() != b.authors[0].isascii()
    ):
        return "na", 0.0  # Chinese characters against a romanised name: no evidence
    first = _same_name(a.authors[0], b.authors[0])
    sa, sb = set(a.authors[:30]), set(b.authors[:30])
    small, big = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    hit = sum(1 for x in small if x in big or any(_same_name(x, y) for y in big))
    overlap = hit / max(1, len(small))
    if first and overlap >= 0.5:
        return "same", overlap
    if first or overlap >= 0.5:
        return "near", overlap
    wa, wb = a.author_words, b.author_words
    if wa and wb and len(wa & wb) / min(len(wa), len(wb)) >= 0.6:
        return "near", overlap  # names in another order ('Ching-yi, Wu' / 'Wu, Ching-yi')
    return "conflict", overlap


def _abbrev_match(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    if len(x) != len(y) or not x:
        return False
    return all(p.startswith(q) or q.startswith(p) for p, q in zip(x, y))


def _journal(a: Features, b: Features) -> str:
    if a.issn and b.issn and a.issn == b.issn:
        return "same"
    if not a.journal or not b.journal:
        return "na"
    if a.journal == b.journal or _abbrev_match(a.journal, b.journal):
        return "same"
    ja, jb = " ".join(a.journal), " ".join(b.journal)
    if fuzz.ratio(ja, jb) >= 90 or fuzz.token_set_ratio(ja, jb) >= 95:
        return "same"
    # initials of one against the other ('J Clin Oncol' / 'JCO' is rare; keep simple)
    return "conflict"


def _volume(fa: Features, fb: Features) -> str:
    a, b = fa.volume, fb.volume
    if not a or not b:
        return "na"
    if a == b:
        return "same"
    if a.endswith(b) or b.endswith(a):
        return "near"
    # a supplement number in the volume field of one copy ('1' against '62', 'Suppl. 1')
    if a in re.findall(r"\d+", fb.issue) or b in re.findall(r"\d+", fa.issue):
        return "near"
    return "conflict"


_PAGE = re.compile(r"^[a-z]{0,3}\d+$")


def _pages(a: Features, b: Features) -> str:
    """'same' start page; 'near' when the ranges fit together; 'conflict' only for clean numbers."""
    if not a.spage or not b.spage:
        return "na"
    if a.spage == b.spage:
        return "same"
    if not _PAGE.match(a.spage) or not _PAGE.match(b.spage):
        return "na"  # 'suppl', 't' ...: a garbled field
    sa, sb = a.spage.lstrip("es"), b.spage.lstrip("es")
    if sa == sb or a.spage in (b.epage,) or b.spage in (a.epage,):
        return "near"
    if a.epage and b.epage and (a.epage.endswith(b.epage) or b.epage.endswith(a.epage)):
        return "near"
    if a.spage.isdigit() != b.spage.isdigit() or (a.spage[0].isalpha() and a.spage[0] != b.spage[0]):
        return "na"  # an article number against a page range
    if not a.epage and b.epage or a.epage and not b.epage:
        one, other = (a, b) if not a.epage else (b, a)
        if other.epage.endswith(one.spage) or one.spage.endswith(other.epage):
            return "near"
    return "conflict"


def _abstract(a: Features, b: Features) -> tuple[str, float]:
    if len(a.abstract) < 100 or len(b.abstract) < 100:
        return "na", 0.0
    n = min(len(a.abstract), len(b.abstract), 600)
    s = fuzz.ratio(a.abstract[:n], b.abstract[:n]) / 100.0
    return ("same" if s >= 0.9 else "near" if s >= 0.6 else "conflict"), s


def compare(a: Features, b: Features, base_title: float) -> Comparison:
    """Compare two records field by field (``base_title``: the vectorised title score)."""
    title, how = _title(a, b, base_title)
    authors, ascore = _authors(a, b)
    abstract, abscore = _abstract(a, b)
    return Comparison(
        title=title,
        title_how=how,
        doi=_equal_or(a.doi, b.doi),
        pmid=_equal_or(a.pmid, b.pmid),
        year=_year(a, b),
        authors=authors,
        author_score=ascore,
        journal=_journal(a, b),
        volume=_volume(a, b),
        pages=_pages(a, b),
        abstract=abstract,
        abstract_score=abscore,
        kinds="same" if a.kind == b.kind else f"{a.kind or 'article'}/{b.kind or 'article'}",
        conference="same" if a.conference == b.conference else "differs",
        both_conference=a.conference and b.conference,
        generic=a.generic or b.generic,
    )


def needs_compare(a: Features, b: Features, base_title: float) -> bool:
    """Whether a pair is worth a full comparison."""
    if base_title >= TITLE_FLOOR:
        return True
    if (a.doi and a.doi == b.doi) or (a.pmid and a.pmid == b.pmid):
        return True
    if a.cjk != b.cjk or a.alt_titles or b.alt_titles:
        return True
    sa, sb = (a.tkey, b.tkey) if len(a.tkey) <= len(b.tkey) else (b.tkey, a.tkey)
    return len(sa) >= 30 and sb.startswith(sa[:30])
