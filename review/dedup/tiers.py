"""The rules that turn a Comparison into a tier: certain, possible or distinct.

Identifiers are evidence, not proof: a shared DOI still needs a matching title
(conference supplements share one DOI across many abstracts), while different
DOIs or PMIDs veto a merge. Conflicting pages or volumes, a conference
abstract against an article, an erratum/comment/reply against its article,
and short generic titles keep a pair out of the certain tier. Every verdict
carries the name of the rule that produced it and the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.dedup.scoring import Comparison

CERTAIN, POSSIBLE, DISTINCT = "certain", "possible", "distinct"


# doubts that a shared DOI/PMID with the same title outweighs (names garbled or abbreviated)
IDENT_OVERRIDES = {"different authors", "different journals", "different volumes", "different start pages"}


@dataclass(frozen=True, slots=True)
class Verdict:
    """A tier, the rule that chose it, a 0-1 score and human-readable reasons."""

    tier: str
    rule: str
    score: float
    reasons: tuple[str, ...]


def support(c: Comparison) -> float:
    """How many independent fields corroborate the title match."""
    s = 0.0
    s += 2.0 if c.doi == "same" else 0.0
    s += 2.0 if c.pmid == "same" else 0.0
    s += {"same": 1.0, "near": 0.5}.get(c.year, 0.0)
    s += {"same": 1.0, "near": 0.5}.get(c.authors, 0.0)
    s += 1.0 if c.journal == "same" else 0.0
    s += 1.0 if c.volume == "same" else 0.0
    s += {"same": 1.0, "near": 0.5}.get(c.pages, 0.0)
    s += 1.0 if c.abstract == "same" else 0.0
    return s


def _vetoes(c: Comparison) -> list[str]:
    """Reasons that make a pair distinct whatever else agrees."""
    out = []
    if c.doi == "conflict":
        out.append("different DOIs")
    if c.pmid == "conflict":
        out.append("different PMIDs")
    if c.kinds != "same":
        out.append(f"different kinds of publication ({c.kinds})")
    if c.year == "conflict" and c.doi != "same" and c.pmid != "same":
        out.append("years more than one apart")
    if c.title < 0.5 and c.doi == "same" and c.authors != "same":
        out.append("shared DOI but different titles and authors (supplement DOI?)")
    return out


def _doubts(c: Comparison) -> list[str]:
    """Reasons that keep a pair out of the certain tier (a person should look)."""
    out = []
    if c.pages == "conflict":
        out.append("different start pages")
    if c.volume == "conflict":
        out.append("different volumes")
    same_issue = c.volume == "same" or c.pages in ("same", "near")
    same_venue = c.journal == "same" and c.year == "same" and "conflict" not in (c.volume, c.pages)
    if c.conference == "differs" and not same_issue and not same_venue:
        out.append("conference abstract versus article")
    if c.authors == "conflict":
        out.append("different authors")
    if c.journal == "conflict" and not c.both_conference and c.volume != "same" and c.pages != "same" and c.doi != "same" and c.pmid != "same":
        out.append("different journals")
    if c.year == "conflict":
        out.append("years more than one apart")
    if c.abstract == "conflict" and c.doi != "same" and c.pmid != "same":
        out.append("different abstracts")
    if c.generic:
        out.append("generic title")
    return out


def decide(c: Comparison) -> Verdict:
    """The tier of one compared pair."""
    sup = support(c)
    score = round(min(1.0, 0.6 * c.title + 0.4 * min(sup, 5.0) / 5.0), 4)
    vetoes = _vetoes(c)
    if vetoes:
        return Verdict(DISTINCT, "veto", score, tuple(vetoes))
    doubts = _doubts(c)
    ident = c.doi == "same" or c.pmid == "same"
    facts = [f"title {c.title:.2f} ({c.title_how})", f"support {sup:g}"]
    if ident:
        facts.append("same " + " and ".join(k for k in ("doi", "pmid") if getattr(c, k) == "same").upper())
    if not doubts:
        if c.title >= 0.97 and c.title_how != "prefix" and sup >= 2.0:
            return Verdict(CERTAIN, "title-exact+corroborated", score, tuple(facts))
        if c.title >= 0.90 and sup >= 3.0 and c.authors in ("same", "near", "na"):
            return Verdict(CERTAIN, "title-close+corroborated", score, tuple(facts))
        if c.title_how == "prefix" and sup >= 3.0 and c.authors == "same":
            return Verdict(CERTAIN, "title-truncated+corroborated", score, tuple(facts))
        if ident and c.title >= 0.85:
            return Verdict(CERTAIN, "identifier+title", score, tuple(facts))
        if c.title_how in ("cjk", "translated") and c.title >= 0.9 and sup >= 2.0:
            return Verdict(CERTAIN, "cjk-title+corroborated", score, tuple(facts))
    elif ident and c.title >= 0.95 and c.year in ("same", "na") and set(doubts) <= IDENT_OVERRIDES:
        return Verdict(CERTAIN, "identifier+title", score, tuple(facts + doubts))
    elif c.generic and not [d for d in doubts if d != "generic title"]:
        if c.title >= 0.97 and (ident or (c.pages == "same" and c.volume == "same" and c.year == "same"
                                          and c.authors in ("same", "na"))):
            return Verdict(CERTAIN, "generic-title+bibliographic-match", score, tuple(facts))
    if c.title >= 0.80 or (ident and c.title >= 0.5) or (c.title >= 0.7 and sup >= 3.0):
        return Verdict(POSSIBLE, "needs-review", score, tuple(facts + doubts))
    return Verdict(DISTINCT, "dissimilar", score, tuple(facts + doubts))
