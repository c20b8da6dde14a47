"""Publication-date windows for PubMed searches (``YYYY/MM/DD``, inclusive).

E-utilities retrieves at most 9,999 ids per query, so a search with more hits
is split: ``bisect`` halves a window by days until each part is small enough.
A single day cannot be split further.
"""

from __future__ import annotations

import datetime as dt
import re

from review.errors import BadInput

EARLIEST = "1781/01/01"  # before the oldest PubMed publication date
_DATE = re.compile(r"^(\d{4})(?:/(\d{1,2})(?:/(\d{1,2}))?)?$")


def parse_date(text: str, *, end: bool = False, where: str = "date") -> dt.date:
    """``YYYY``, ``YYYY/MM`` or ``YYYY/MM/DD`` (also with ``-``); ``end`` picks the
    last day of a partial date."""
    m = _DATE.match(text.strip().replace("-", "/"))
    if not m:
        raise BadInput(f"{text!r} is not a date: use YYYY/MM/DD", where=where)
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if mo is None:
            return dt.date(y, 12, 31) if end else dt.date(y, 1, 1)
        if d is None:
            first = dt.date(y, int(mo), 1)
            if not end:
                return first
            nxt = dt.date(y + (first.month == 12), first.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(y, int(mo), int(d))
    except ValueError as exc:
        raise BadInput(f"{text!r} is not a valid date ({exc})", where=where) from None


def fmt(day: dt.date) -> str:
    """A date as E-utilities wants it: ``YYYY/MM/DD``."""
    return f"{day.year:04d}/{day.month:02d}/{day.day:02d}"


def normalise(text: str, *, end: bool = False, where: str = "date") -> str:
    return fmt(parse_date(text, end=end, where=where))


def is_single_day(mindate: str, maxdate: str) -> bool:
    return parse_date(mindate) >= parse_date(maxdate)


def bisect(mindate: str, maxdate: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """Split an inclusive window of at least two days into two halves."""
    a, b = parse_date(mindate), parse_date(maxdate)
    if a >= b:
        raise ValueError(f"cannot split the single day {mindate}")
    mid = a + dt.timedelta(days=(b - a).days // 2)
    return (fmt(a), fmt(mid)), (fmt(mid + dt.timedelta(days=1)), fmt(b))
