"""Small normalisers shared by the parsers: lists packed into one value,
author names packed into one cell, years, DOIs, ISSNs, page ranges."""

from __future__ import annotations

import re
from typing import Iterable

from review.sources.text import has_cjk

_SEMI = re.compile(r"[;；]+")
_COMMA = re.compile(r"[,，]+")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_ISSN = re.compile(r"(?<![\d-])(\d{4})-?(\d{3}[\dXx])(?![\d-])")
_PMID = re.compile(r"^\d{1,9}$")


def unique(items: Iterable[str]) -> tuple[str, ...]:
    """Items in first-seen order without repeats or blanks."""
    seen: dict[str, None] = {}
    for it in items:
        it = it.strip()
        if it and it not in seen:
            seen[it] = None
    return tuple(seen)


def split_packed(values: Iterable[str]) -> tuple[str, ...]:
    """Split values packed with ';' or '；' (and with ',' '，' in Chinese text).

    English names keep their comma ("Li, W."); a Chinese list packed with
    commas ("颜宏,石德成") is split on them.
    """
    out: list[str] = []
    for value in values:
        for part in _SEMI.split(value):
            if "，" in part or ("," in part and has_cjk(part)):
                out.extend(_COMMA.split(part))
            else:
                out.append(part)
    return unique(p.strip().strip("；;,，") for p in out)


def year_of(*texts: str) -> int | None:
    """The first plausible publication year in the texts."""
    for text in texts:
        m = _YEAR.search(text or "")
        if m:
            return int(m.group(1))
    return None


def clean_doi(*texts: str) -> str:
    """The first DOI found (URL prefixes, 'doi:' and ' [doi]' dropped)."""
    for text in texts:
        m = _DOI.search(text or "")
        if m:
            return m.group(0).rstrip(".,;")
    return ""


def issns_of(*texts: str) -> tuple[str, ...]:
    """ISSNs in the texts, as NNNN-NNNC."""
    found = []
    for text in texts:
        for a, b in _ISSN.findall(text or ""):
            found.append(f"{a}-{b.upper()}")
    return unique(found)


def page_range(start: str, end: str = "") -> str:
    """'152-160' from start and end pages (end alone is ignored)."""
    start, end = start.strip(), end.strip()
    if start and end and end != start:
        return f"{start}-{end}"
    return start


def pmid_of(text: str) -> str:
    """A PMID if the text is one (digits only), else ''."""
    text = (text or "").strip()
    return text if _PMID.match(text) else ""


# -- authors packed into one cell (CSV exports) ------------------------------------------

_AND = re.compile(r"\s+(?:and|AND|&)\s+")
_LIST_SEP = re.compile(r"[;；]+")
_CJK_COMMA = re.compile(r"[,，、]+")
_DOT_JOIN = re.compile(r"(?<=\.)(?=[^\W\d_][^\W\d_])")  # 'Adeli K.Lewis G. F.' -> 'Adeli K.' 'Lewis G. F.'
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.?[\s-]*)+$")
_NULL_PART = re.compile(r"\s*,\s*null\s*$|^\s*null\s*,\s*", re.I)
_SUFFIX = re.compile(r"^(?:Jr|Sr|II|III|IV|2nd|3rd)\.?$", re.I)
_HONORIFIC = re.compile(r"^(?:(?:Prof|Dr|Professor|Mr|Mrs|Ms)\.?\s+)+")
NO_AUTHOR = frozenset({"", "null", "na", "n/a", "none", "nan", "-", "[no author name available]"})


def _ends_in_initials(part: str) -> bool:
    """'Lee K', 'Phillips J.C.', 'Siu K.-C.': a surname followed by initials."""
    words = part.split()
    return len(words) > 1 and bool(_INITIALS.match(words[-1])) and not _SUFFIX.match(words[-1])


def _join_suffixes(parts: list[str]) -> list[str]:
    """'Pellerito, Joseph M., Jr.': a 'Jr.' part stays with the name before it."""
    out: list[str] = []
    for p in parts:
        if out and _SUFFIX.match(p):
            out[-1] = f"{out[-1]}, {p}"
        else:
            out.append(p)
    return out


def _comma_pairs(parts: list[str]) -> bool:
    """True when comma-separated parts are 'Surname, Given' halves ('Lee, K.',
    'Perez Cachon, Ana Lucia', 'Lee, K., Wang, L.'): an even number of parts
    that are not all 'Surname Initials' names ('Lee K, Wang L', as PubMed writes)."""
    return len(parts) % 2 == 0 and not all(_ends_in_initials(p) for p in parts)


def _split_joined(text: str) -> list[str]:
    """Names written one after the other with no separator (Springer CSV):
    'Araz R. AlievNigar T. Ismayilova' -> two names. A piece with no space
    ('Donald' of 'McDonald') goes back onto the name before it."""
    pieces: list[str] = []
    start = 0
    for i in range(1, len(text)):
        if text[i].isupper() and text[i - 1].islower():
            pieces.append(text[start:i])
            start = i
    pieces.append(text[start:])
    names: list[str] = []
    for p in pieces:
        if names and " " not in p.strip():
            names[-1] += p
        else:
            names.append(p)
    return [_HONORIFIC.sub("", n.strip()) for n in names]


def split_authors(text: str, style: str = "auto") -> tuple[str, ...]:
    """The author names packed in one table cell, in order.

    Names are separated by ';' (or '；'), else by ' and ', else by line
    breaks; Chinese names by commas ('颜宏,石德成'). A comma list is read as
    'Surname, Given' halves when it pairs up that way ('Lee, K., Wang, L.'),
    else as one name a part ('Lee K, Wang L', as PubMed writes); with
    ``style="comma"`` always as one name a part (exporters known to write
    that way). With no separator, names joined at an initial's full stop
    are split there ('Adeli K.Lewis G. F.'); ``style="joined"`` splits names
    run together with no separator at all (Springer's 'Araz R. AlievNigar T.
    Ismayilova'). Placeholders ('null', '[No author name available]') are
    dropped, also as a missing given name ('Juan-Wu, null').
    """
    t = (text or "").strip()
    if t.lower() in NO_AUTHOR:
        return ()
    if style == "joined" and not _LIST_SEP.search(t):
        parts = _split_joined(t)
    elif _LIST_SEP.search(t):
        parts = _LIST_SEP.split(t)
    elif _AND.search(t):
        parts = _AND.split(t)
    elif "\n" in t:
        parts = t.split("\n")
    elif not t.isascii() and has_cjk(t) and _CJK_COMMA.search(t):
        parts = _CJK_COMMA.split(t)
    elif "," in t or "，" in t:
        parts = _join_suffixes([p.strip() for p in _COMMA.split(t)])
        if style != "comma" and _comma_pairs(parts):
            parts = [f"{a}, {b}" for a, b in zip(parts[::2], parts[1::2])]
    else:
        parts = _DOT_JOIN.split(t)
    out: list[str] = []
    for part in parts:
        if not part.isascii() and has_cjk(part) and _CJK_COMMA.search(part):
            out.extend(_CJK_COMMA.split(part))
        else:
            out.append(part)
    names = []
    for p in out:
        if "null" in p.lower():
            p = _NULL_PART.sub("", p)
        p = p.strip().strip(",;，；").strip()
        if p and p.lower() not in NO_AUTHOR:
            names.append(p)
    return tuple(names)
