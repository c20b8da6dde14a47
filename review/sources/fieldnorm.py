"""Small normalisers shared by the parsers: lists packed into one value,
author names packed into one cell, years, DOIs, ISSNs, page ranges."""

from __future__ import annotations

import re
from typing import Iterable

from review.sources.text import has_cjk

_SEMI = re.compile(r"[;；]+")
_COMMA = re.compile(r"[,，]+")
# a year standing alone, or opening a compact date YYYYMMDD ('Start date: 20170812')
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?:(?!\d)|(?=(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)))")
_DOI = re.compile(r"10\.\d{4,9}/\S+")
# Cochrane CENTRAL's record ids look like DOIs (10.1002/central/CN-00677540/full) but name
# the CENTRAL record, not the article: an accession number, never the article's DOI.
_CENTRAL = re.compile(r"10\.1002/central/(CN-\d+)", re.I)
_PMID_LABEL = re.compile(r"\bPMID\s*[:=]?\s*(\d{1,9})\b", re.I)
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
    """The first DOI found (URL prefixes, 'doi:' and ' [doi]' dropped).

    Cochrane CENTRAL ids written as DOIs (``10.1002/central/CN-...``) are
    skipped: see central_id."""
    for text in texts:
        for m in _DOI.finditer(text or ""):
            if not _CENTRAL.match(m.group(0)):
                return m.group(0).rstrip(".,;")
    return ""


def central_id(*texts: str) -> str:
    """The Cochrane CENTRAL accession (``CN-00677540``) in a DOI-like id or URL, else ''."""
    for text in texts:
        if text and ("/central/" in text or "/CENTRAL/" in text):
            m = _CENTRAL.search(text)
            if m:
                return m.group(1).upper()
    return ""


def issns_of(*texts: str) -> tuple[str, ...]:
    """ISSNs in the texts, as NNNN-NNNC (ERIC writes 'ISSN-1234-4567')."""
    found = []
    for text in texts:
        for a, b in _ISSN.findall((text or "").replace("ISSN-", "ISSN ")):
            found.append(f"{a}-{b.upper()}")
    return unique(found)


def print_and_electronic(*texts: str) -> tuple[str, str]:
    """(print ISSN, electronic ISSN) from values that may label them
    ('1999-7777(Electronic),0222-6666(Print)', as PsycINFO writes); unlabelled
    ones fill the print slot first, then the electronic one."""
    if not any("(" in t or "lectronic" in t for t in texts):  # the common case: no labels
        found = issns_of(*texts)
        return (found[0] if found else "", found[1] if len(found) > 1 else "")
    printed = electronic = ""
    rest: list[str] = []
    for text in texts:
        for part in re.split(r"[,;]", text or ""):
            found = issns_of(part)
            if not found:
                continue
            low = part.lower()
            if "electronic" in low or "online" in low:
                electronic = electronic or found[0]
            elif "print" in low:
                printed = printed or found[0]
            else:
                rest.extend(found)
    rest = [i for i in unique(rest) if i not in (printed, electronic)]
    if not printed and rest:
        printed = rest.pop(0)
    if not electronic and rest:
        electronic = rest.pop(0)
    return printed, electronic


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


def pmid_in(*texts: str, pubmed: bool = False) -> str:
    """A PMID named as one (``PMID: 123``, ``PMID 123``) in any of the texts, or,
    when the record comes from PubMed/MEDLINE (``pubmed``), a value of digits
    alone. Bare numbers from other databases are their own accession numbers
    (Embase, CINAHL), never taken for PMIDs."""
    for text in texts:
        if text and not text.isdigit():
            m = _PMID_LABEL.search(text)
            if m:
                return str(int(m.group(1)))
    if pubmed:
        for text in texts:
            if pmid_of(text):
                return str(int(text.strip()))
    return ""


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
