"""Screening units: what people screen, with an identity that survives
re-runs of deduplication.

A unit is a duplicate group (one record or several copies of one report).
Deduplication recomputes groups on every run and on every person's decision;
``plan`` maps the new groups onto the existing units so that decisions never
sit on the wrong unit or vanish from view:

- a group made of exactly one earlier unit (plus, maybe, newly imported
  records) keeps that unit's id;
- groups that join earlier units which carry history (decisions, rule events,
  study links, or history inherited themselves) become a new unit with a
  ``merge`` link to each: it keeps every decision of its parts, and where the
  parts disagree the disagreement is a conflict to resolve, never a silent
  winner (review/screening/state.py);
- a unit with history that is split hands its decisions to each part through a
  ``split`` link: each part inherits them, flagged for a second look;
- units without history are reshaped freely (no links: nothing to carry).

The database side (loading memberships, applying a plan) is review/db/units.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping


@dataclass(frozen=True)
class NewUnit:
    """A unit to create for the group ``label``; ``parents`` are (unit, 'merge'|'split')."""

    label: int
    origin: str
    parents: tuple[tuple[int, str], ...] = ()


@dataclass
class UnitPlan:
    """How the units change: which group keeps which unit, which units are new,
    which retire, and each record's unit afterwards (``unit_of_label``)."""

    keep: dict[int, int] = field(default_factory=dict)          # group label -> existing unit
    new: list[NewUnit] = field(default_factory=list)
    retire: set[int] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.new or self.retire)

    def summary(self) -> dict:
        return {
            "new": sum(1 for n in self.new if n.origin == "record"),
            "merged": sum(1 for n in self.new if n.origin == "merge"),
            "split": sum(1 for n in self.new if n.origin == "split"),
            "retired": len(self.retire),
            "carried": sum(1 for n in self.new if n.parents),
        }


def plan(groups: Mapping[int, Iterable[int]], current: Mapping[int, int], historied: set[int]) -> UnitPlan:
    """Map duplicate groups (label -> member record ids, covering every record)
    onto units, given each record's current unit (``current``; new records are
    absent) and the units that carry history."""
    members = {label: sorted(ms) for label, ms in groups.items()}
    label_of = {r: label for label, ms in members.items() for r in ms}
    spans: dict[int, set[int]] = {}      # unit -> labels its records now lie in
    for r, u in current.items():
        if r in label_of:
            spans.setdefault(u, set()).add(label_of[r])
    out = UnitPlan()
    claimed: set[int] = set()
    for label in sorted(members, key=lambda lab: members[lab][0]):
        parents = sorted({current[r] for r in members[label] if r in current})
        hist = [u for u in parents if u in historied]
        whole = [u for u in parents if spans[u] == {label}]
        if not hist:
            free = [u for u in whole if u not in claimed] + [u for u in parents if u not in claimed and u not in whole]
            if free:
                out.keep[label] = free[0]
                claimed.add(free[0])
            else:
                out.new.append(NewUnit(label, "split" if parents else "record"))
        elif len(hist) == 1 and hist[0] in whole:
            out.keep[label] = hist[0]
            claimed.add(hist[0])
        else:
            links = tuple((u, "merge" if u in whole else "split") for u in hist)
            origin = "merge" if all(kind == "merge" for _, kind in links) else "split"
            out.new.append(NewUnit(label, origin, links))
    out.retire = set(spans) - claimed
    return out


def heirs(lineage: Iterable[tuple[int, int, str]], active: set[int]) -> dict[int, list[tuple[int, bool]]]:
    """For each unit that has descendants, the active units descended from it,
    each with True when the way down passes a split (a second look is due).

    ``lineage`` rows are (unit, parent, kind)."""
    children: dict[int, list[tuple[int, str]]] = {}
    for unit, parent, kind in lineage:
        children.setdefault(parent, []).append((unit, kind))
    out: dict[int, list[tuple[int, bool]]] = {}

    def walk(u: int) -> list[tuple[int, bool]]:
        if u in out:
            return out[u]
        found: dict[int, bool] = {}
        for child, kind in children.get(u, ()):
            if child in active:
                found[child] = found.get(child, False) or kind == "split"
            for heir, split in walk(child):
                found[heir] = found.get(heir, False) or split or kind == "split"
        out[u] = sorted(found.items())
        return out[u]

    for parent in list(children):
        walk(parent)
    return out
