"""Small normalisers shared by the parsers: lists packed into one value,
years, DOIs, ISSNs, page ranges."""

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
