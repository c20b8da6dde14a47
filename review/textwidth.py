"""Width of text on a terminal, and cutting it to a width with a visible mark.

Chinese, Japanese and Korean characters (East Asian Wide/Fullwidth) take two
terminal cells, combining marks none; ``len()`` counts neither right, so
columns sized by it wrap or misalign on CJK titles. Every cut is marked with
"…" so that a reader knows the text goes on. No dependencies (unicodedata).
"""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"


def char_width(ch: str) -> int:
    """Terminal cells one character takes: 2 for wide/fullwidth, 0 for combining
    marks and format characters, else 1."""
    if ch.isascii():
        return 1 if ch.isprintable() else 0
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Terminal cells the text takes on one line."""
    if text.isascii():
        return len(text)
    return sum(char_width(c) for c in text)


def cut(text: str, width: int) -> str:
    """The text cut to at most ``width`` cells, ending in "…" when anything was cut."""
    if display_width(text) <= width:
        return text
    if width <= 0:
        return ""
    out, used = [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def fit(text: str, width: int, align: str = "<") -> str:
    """The text cut (with "…") and padded with spaces to exactly ``width`` cells;
    ``align`` '<' pads on the right, '>' on the left."""
    text = cut(text, width)
    pad = " " * (width - display_width(text))
    return text + pad if align == "<" else pad + text
