"""From a table of studies (one row per study, one column per extraction
field) to the events/n of one protocol outcome, ready for ``metaprop``.

The protocol says how each outcome is made (review.protocol.Outcome): from an
events field, or from a percent field as events = round(percent x n / 100),
as the seed review reported its outcomes. Studies that do not report the
outcome are left out and listed, never silently dropped. Used by the worked
example on its curated table and by project pooling on reconciled data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from review.errors import BadInput
from review.pooling.data import MAX_COUNT, read_table
from review.protocol import Outcome, Protocol

MISSING = {"", "na", "n/a", "nr", "-", "—", "none", "null"}


@dataclass(frozen=True)
class OutcomeData:
    """Per-study counts of one outcome; ``left_out`` holds (study, why)."""

    outcome: Outcome
    studies: tuple[str, ...]
    events: tuple[int, ...]
    n: tuple[int, ...]
    groups: tuple[str, ...] | None
    left_out: tuple[tuple[str, str], ...]


def find_outcome(protocol: Protocol, name: str) -> Outcome:
    """The protocol's outcome called ``name`` (case-insensitive)."""
    for o in protocol.outcomes:
        if o.name.lower() == name.lower():
            return o
    known = ", ".join(o.name for o in protocol.outcomes) or "none"
    raise BadInput(f"the protocol has no outcome {name!r} (it has: {known})")


def _number(value: object, what: str, where: str) -> float | None:
    text = "" if value is None else str(value).strip()
    if text.lower() in MISSING:
        return None
    try:
        x = float(text.rstrip("%"))
    except ValueError:
        raise BadInput(f"{what} is not a number: {text[:40]!r}", where=where) from None
    if not math.isfinite(x):
        raise BadInput(f"{what} is not a finite number: {text[:40]!r}", where=where)
    if abs(x) > MAX_COUNT:
        raise BadInput(f"{what} {text[:40]!r} is larger than {MAX_COUNT:,} (the limit for a count)", where=where)
    return x


def outcome_data(
    outcome: Outcome,
    rows: Iterable[Mapping[str, object]],
    *,
    by: str | None = None,
    study_key: str = "study",
    where: str = "data",
) -> OutcomeData:
    """Events and n of ``outcome`` for each row that reports it."""
    studies, events, ns, groups, left = [], [], [], [], []
    for i, row in enumerate(rows, start=1):
        study = str(row.get(study_key) or f"row {i}")
        at = f"{where} (study {study!r})"
        n = _number(row.get(outcome.n), f"n ({outcome.n})", at)
        if outcome.events:
            x = _number(row.get(outcome.events), f"events ({outcome.events})", at)
        else:
            pct = _number(row.get(outcome.percent), f"percent ({outcome.percent})", at)
            x = None if pct is None or n is None else round(pct * n / 100)
        if n is None or x is None:
            left.append((study, "not reported"))
            continue
        if n != int(n) or n < 1:
            raise BadInput(f"n must be a positive whole number, got {n:g}", where=at)
        studies.append(study)
        events.append(int(x))
        ns.append(int(n))
        if by:
            g = str(row.get(by) or "").strip()
            if not g:
                raise BadInput(f"no value for subgroup field {by!r}", where=at)
            groups.append(g)
    return OutcomeData(outcome, tuple(studies), tuple(events), tuple(ns),
                       tuple(groups) if by else None, tuple(left))


def read_study_table(path: str | Path) -> list[dict[str, str]]:
    """Rows of a CSV or TSV file of studies, as dicts keyed by the header."""
    rows = read_table(path)
    if not rows:
        return []
    header = [h.strip() for h in rows[0]]
    return [dict(zip(header, row)) for row in rows[1:] if any(c.strip() for c in row)]
