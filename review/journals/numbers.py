"""Metric values as the files write them, parsed without guessing.

Each format has one number style: JCR writes ``1,234.5`` (thousands
separators) and ``<0.1``; SCImago writes decimal commas (``126,34``); a plain
CSV writes ``12.3`` (or ``12,3`` when its delimiter is a semicolon). ``N/A``
and blanks mean "listed without a value". Anything else is an error, so a
column of text or a re-saved file is refused instead of read wrongly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NO_VALUE = {"", "N/A", "NA", "NOT AVAILABLE", "-", "—", "NULL"}

_PATTERNS = {
    "jcr": re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$"),
    "scimago": re.compile(r"^\d+(?:,\d+)?$"),
    "plain": re.compile(r"^(?:\d+(?:\.\d+)?|\.\d+)$"),
    "plain_comma": re.compile(r"^\d+(?:[.,]\d+)?$"),
}
_EXAMPLES = {"jcr": "12.3, 1,234.5 or <0.1", "scimago": "12,34 (decimal comma)",
             "plain": "12.3", "plain_comma": "12,3 or 12.3"}


@dataclass(frozen=True, slots=True)
class Number:
    """A parsed value: None when the file lists no value; ``qualifier`` is '<'
    for JCR's ``<0.1`` (the true value is below ``value``)."""

    value: float | None
    qualifier: str = ""
    raw: str = ""


def parse_number(text: str, style: str) -> Number:
    """Parse one metric cell in the file's style; ValueError explains a refusal."""
    raw = (text or "").strip()
    if raw.upper() in NO_VALUE:
        return Number(None, "", raw)
    body, qualifier = raw, ""
    if body.startswith("<"):
        body, qualifier = body[1:].strip(), "<"
    if not _PATTERNS[style].match(body):
        raise ValueError(f"{raw!r} is not a number (expected e.g. {_EXAMPLES[style]}, or N/A)")
    if style == "jcr":
        body = body.replace(",", "")
    elif style in ("scimago", "plain_comma"):
        body = body.replace(",", ".")
    return Number(float(body), qualifier, raw)
