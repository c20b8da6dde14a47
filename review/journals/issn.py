"""ISSNs as the files and records write them, reduced to ``NNNN-NNNC``.

Metric files are checked strictly (a malformed ISSN there is an error that
names the line); record fields are searched leniently, since exports write
``1756-8722 (Electronic)`` or several ISSNs in one field.
"""

from __future__ import annotations

import re

_ONE = re.compile(r"^(\d{4})-?(\d{3}[\dX])$")
_ANY = re.compile(r"(?<![\dX])(\d{4})[-\s]?(\d{3}[\dX])(?![\dX])")
MISSING = {"", "-", "N/A", "NA", "NONE", "NULL", "NOT AVAILABLE", "****-****"}


def parse_issn(text: str) -> str | None:
    """One ISSN cell of a metric file -> ``NNNN-NNNC``; None when it says none.

    Raises ValueError for text that is neither an ISSN nor a 'none' marker.
    """
    t = (text or "").strip().upper().replace(" ", "")
    if t in MISSING:
        return None
    m = _ONE.match(t)
    if not m:
        raise ValueError(f"{text.strip()!r} is not an ISSN (NNNN-NNNN)")
    return f"{m.group(1)}-{m.group(2)}"


_PLAIN = re.compile(r"^\d{4}-\d{3}[\dX]$")


def find_issns(text: str) -> list[str]:
    """Every ISSN written in a record field, in order, without repeats."""
    if not text:
        return []
    if len(text) == 9 and _PLAIN.match(text):
        return [text]
    out: list[str] = []
    for a, b in _ANY.findall(text.upper()):
        v = f"{a}-{b}"
        if v not in out:
            out.append(v)
    return out
