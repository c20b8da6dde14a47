"""Dual, blind entry with a submit and an adjudicator, for any keyed values:
extraction values (key: arm and field) and quality scores (key: item).

From one study's append-only rows (kinds entry / submit / reconciled / undo,
review.models.ValueKind) this works out:

- each reviewer's latest entry per key (undone rows do not count);
- who has *submitted*: a submit row in force and no entry of theirs after it
  (an entry after one's submit reopens the form until it is submitted again);
- the settled value per key: the latest reconciled row in force.

A study is *complete* once as many reviewers as the protocol asks for
(``reviewers_per_record``, 2 by default) have submitted; only then may the
reviewers' values be compared, and a reviewer never sees another's values
before. At that moment the keys on which every submitter agrees are settled
(``agreed``); the others wait for the adjudicator (``differing``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Iterable, Iterator

Key = Hashable


@dataclass(frozen=True)
class Row:
    """One entry, submission or reconciled value, in a common shape."""

    id: int
    actor: str
    key: Key
    kind: str
    value: Any
    derived: str = "entered"
    note: str | None = None
    ts: str = ""


@dataclass
class DualState:
    entries: dict[str, dict[Key, Row]] = field(default_factory=dict)
    submits: dict[str, Row] = field(default_factory=dict)
    reconciled: dict[Key, Row] = field(default_factory=dict)
    last_entry: dict[str, int] = field(default_factory=dict)

    @property
    def submitted(self) -> list[str]:
        """Reviewers whose submission is in force, in the order they submitted."""
        done = [(r.id, a) for a, r in self.submits.items() if r.id > self.last_entry.get(a, 0)]
        return [a for _, a in sorted(done)]

    def is_submitted(self, reviewer: str) -> bool:
        return reviewer in self.submitted

    def complete(self, needed: int) -> bool:
        return len(self.submitted) >= needed

    def started(self) -> list[str]:
        return sorted(set(self.entries) | set(self.submits))


def build(rows: Iterable[Row]) -> DualState:
    """The state of one study from its rows in the order written."""
    rows = list(rows)
    undone = {r.value for r in rows if r.kind == "undo"}  # an undo row's value: the id it retracts
    st = DualState()
    for r in rows:
        if r.id in undone or r.kind == "undo":
            continue
        if r.kind == "entry":
            st.entries.setdefault(r.actor, {})[r.key] = r
            st.last_entry[r.actor] = r.id
        elif r.kind == "submit":
            st.submits[r.actor] = r
        elif r.kind == "reconciled":
            st.reconciled[r.key] = r
    return st


def compare(st: DualState, keys: Iterable[Key], same: Callable[[Key, Any, Any], bool],
            value_of: Callable[[DualState, str, Key], Row | None]) -> tuple[dict[Key, list[Row | None]],
                                                                          dict[Key, dict[str, Row | None]]]:
    """Split ``keys`` between those every submitter agrees on and those that
    differ (both without a reconciled value). Returns (agreed: key -> the
    submitters' rows, differing: key -> {reviewer: row}); a missing row is NA."""
    who = st.submitted
    agreed, differing = {}, {}
    for key in keys:
        if key in st.reconciled:
            continue
        rows = {a: value_of(st, a, key) for a in who}
        vals = [None if r is None else r.value for r in rows.values()]
        if all(same(key, vals[0], v) for v in vals[1:]):
            agreed[key] = list(rows.values())
        else:
            differing[key] = rows
    return agreed, differing


def own_value(st: DualState, reviewer: str, key: Key) -> Row | None:
    return st.entries.get(reviewer, {}).get(key)


def differing_by_study(studies: Iterable, sts: dict[int, DualState], needed: int,
                       compare_one: Callable[[DualState], tuple[dict, dict]]) -> Iterator[tuple[Any, dict]]:
    """(study, its differing keys) for each study every needed reviewer has submitted."""
    for s in studies:
        st = sts.get(s.id)
        if st is None or not st.complete(needed):
            continue
        yield s, compare_one(st)[1]


@dataclass(frozen=True)
class Submitted:
    """What a submission did: whether it completed the study, and then how many
    keys were agreed (settled at once) and how many differ."""

    study: Any
    reviewer: str
    complete: bool
    agreed: int = 0
    differing: int = 0
    already: bool = False
