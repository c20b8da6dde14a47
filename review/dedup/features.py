"""Per-record matching features, computed once per record before blocking.

``prepare(record)`` turns a Record into a compact ``Features`` object: the
normalised title (and its CJK-only / Latin-only parts), identifiers, surnames,
journal words, volume/pages, and the kind of publication (erratum, comment or
reply, retraction, conference abstract) and whether the title is generic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from review.dedup.normalise import (
    cjk_part, first_year, has_cjk, journal_tokens, latin_part, nfkc, norm_doi, norm_id,
    norm_pages, norm_text, norm_title, norm_volume, surname_key,
)
from review.models import Record

GENERIC_TITLES = {
    "editorial", "editorials", "introduction", "preface", "foreword", "letter", "letters",
    "letter to the editor", "letters to the editor", "reply", "response", "author reply",
    "authors reply", "erratum", "errata", "correction", "corrections", "corrigendum",
    "in this issue", "news", "abstracts", "abstract", "book review", "book reviews",
    "commentary", "comment", "index", "contents", "announcement", "announcements",
    "obituary", "untitled", "highlights", "editor s note", "editors note", "retraction",
    "conclusion", "conclusions", "summary", "discussion", "poster session", "oral presentations",
}
_ERRATUM = re.compile(r"^(erratum|errata|correction|corrigendum|correcting|notice of correction)\b|\berratum\b")
_RETRACT = re.compile(r"^(retraction|retracted|withdrawn|notice of retraction)\b")
_COMMENT = re.compile(
    r"^(comment on|comments on|commentary on|reply|in reply|response to|author s reply|authors reply|"
    r"re |letter to the editor|reply to)\b|\b(author reply|authors reply)$"
)
_CONFERENCE = re.compile(
    r"\b(conference|proceedings|congress|symposium|meeting|annual|abstracts?|workshop|amcis|icis|hicss)\b"
)
_VENUE_NOTE = re.compile(r"\.\s*(?:conference|meeting|congress|symposium)\s*:", re.I)
CONFERENCE_TYPES = {"inproceedings", "conference", "proceedings", "conference paper", "conference abstract"}


@dataclass(slots=True)
class Features:
    """What the matcher compares for one record (all strings normalised)."""

    title: str
    tkey: str          # comparison key: CJK characters only when the title has them
    alt_titles: tuple[str, ...]
    cjk: bool
    doi: str
    pmid: str
    year: int | None
    authors: tuple[str, ...]
    author_words: frozenset[str]
    journal: tuple[str, ...]
    issn: str
    volume: str
    issue: str
    spage: str
    epage: str
    abstract: str
    kind: str          # '', 'erratum', 'retraction', 'comment'
    conference: bool
    generic: bool


def _author_key(author: str) -> str:
    a = nfkc(author).strip()
    if has_cjk(a):
        return cjk_part(a)
    return surname_key(a)


def _alt_titles(rec: Record) -> tuple[str, ...]:
    out = []
    for k, v in rec.raw:
        lk = k.lower()
        if "title" in lk and "book" not in lk and "journal" not in lk and v:
            out.append(norm_title(v))
    return tuple(t for t in out if t)


def _kind(title: str, pubtypes: tuple[str, ...]) -> str:
    pt = " ".join(p.lower() for p in pubtypes)
    if _RETRACT.search(title) or "retraction of publication" in pt:
        return "retraction"
    if _ERRATUM.search(title) or "erratum" in pt:
        return "erratum"
    if _COMMENT.search(title) or " comment" in f" {pt}":
        return "comment"
    return ""


def prepare(rec: Record) -> Features:
    """Matching features of one record."""
    title = norm_title(rec.title)
    cjk = has_cjk(title)
    tkey = cjk_part(rec.title) if cjk else title
    raw = {k.lower(): v for k, v in rec.raw}
    entrytype = raw.get("entrytype", "").lower()
    venue = norm_text(" ".join((rec.journal, raw.get("booktitle", ""))))
    spage, epage = norm_pages(rec.pages)
    issue = norm_text(rec.issue)
    conference = (
        entrytype in CONFERENCE_TYPES
        or bool(_CONFERENCE.search(venue))
        or "conference" in " ".join(rec.publication_types).lower()
    )
    issn = re.sub(r"[^0-9x]", "", (rec.issn_print or rec.issn_electronic or rec.issn_linking).lower())[:8]
    return Features(
        title=title,
        tkey=tkey,
        alt_titles=_alt_titles(rec),
        cjk=cjk,
        doi=norm_doi(rec.doi),
        pmid=norm_id(rec.pmid),
        year=first_year(rec.year),
        authors=tuple(k for k in (_author_key(a) for a in rec.authors) if k),
        author_words=frozenset(w for a in rec.authors[:10] for w in norm_text(a).split() if len(w) >= 3),
        journal=journal_tokens(_VENUE_NOTE.split(rec.journal or rec.journal_abbrev, 1)[0]),
        issn=issn if len(issn) == 8 else "",
        volume=norm_volume(rec.volume),
        issue=issue,
        spage=spage,
        epage=epage,
        abstract=norm_text(rec.abstract[:1500]) if rec.abstract else "",
        kind=_kind(title, rec.publication_types),
        conference=conference,
        generic=title in GENERIC_TITLES or len(title.split()) <= 2 and not cjk,
    )


def latin_title(f: Features) -> str:
    """The non-CJK words of a title (an English translation carried alongside)."""
    return latin_part(f.title) if f.cjk else f.title
