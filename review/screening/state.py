"""Where each unit stands at a stage, computed from the events alone.

A person's *standing* on a unit is their latest event of the kind in question
(a reviewer's decision, an adjudicator's resolution, a rule's exclusion) that
no undo retracted; latest by time, then by event uid, so that events brought
in from packs (review merge) give the same standing whatever order the packs
are merged in. A unit made from earlier units (review/units.py) without a
standing of its own inherits from its parents:

- parents that agree give that standing, marked ``inherited``;
- parents that disagree give a *disagreement* (no decision; the differing
  decisions listed): never a silent winner;
- a standing inherited through a split is marked ``second_look``.

A person's own new event on the unit settles all of that. ``outcome`` turns
the reviewers' and the adjudicator's standings into the unit's state at the
stage: include, exclude, not_retrieved, conflict or pending.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable, Mapping, Sequence

from review.models import Event


@dataclass(frozen=True)
class Standing:
    """One person's standing on one unit at one stage."""

    actor: str
    decision: str | None
    reason: str | None = None
    note: str | None = None
    event_id: int | None = None
    ts: str = ""
    inherited: bool = False
    second_look: bool = False
    disagreement: tuple[str, ...] = ()
    uid: str = ""

    @property
    def decided(self) -> bool:
        return self.decision is not None


def by_actor(e: Event) -> str:
    return e.actor


def own_standings(events: Iterable[Event], undone: set[int],
                  key: Callable[[Event], str] = by_actor) -> dict[int, dict[str, Standing]]:
    """unit -> key (the actor, or for rules the rule) -> standing from the unit's
    own events (the latest not undone)."""
    out: dict[int, dict[str, Standing]] = {}
    for e in events:
        if e.id in undone or e.decision is None:
            continue
        mine = out.setdefault(e.unit_id, {})
        k = key(e)
        before = mine.get(k)
        if before is None or (e.ts, e.uid) >= (before.ts, before.uid):
            mine[k] = Standing(e.actor, e.decision, e.reason, e.note, e.id, e.ts, uid=e.uid)
    return out


def standings(events: Iterable[Event], undone: set[int], parents: Mapping[int, Sequence[tuple[int, str]]],
              units: Iterable[int], key: Callable[[Event], str] = by_actor) -> dict[int, dict[str, Standing]]:
    """unit -> key -> standing, for each of ``units`` that has one, inheritance applied."""
    own = own_standings(events, undone, key)
    memo: dict[int, dict[str, Standing]] = {}

    def of(u: int) -> dict[str, Standing]:
        if u in memo:
            return memo[u]
        mine = dict(own.get(u, {}))
        inherited: dict[str, list[tuple[Standing, bool]]] = {}
        for parent, kind in parents.get(u, ()):
            for actor, st in of(parent).items():
                inherited.setdefault(actor, []).append((st, kind == "split"))
        for actor, got in inherited.items():
            if actor not in mine:
                mine[actor] = _combine(actor, got)
        memo[u] = mine
        return mine

    found = {u: of(u) for u in units if u in own or u in parents}
    return {u: st for u, st in found.items() if st}


def _combine(actor: str, got: list[tuple[Standing, bool]]) -> Standing:
    """One standing from the parents' standings (each with: came through a split).
    ``actor`` is the key the standings were gathered under."""
    second = any(split or st.second_look for st, split in got)
    decisions = sorted({d for st, _ in got for d in ((st.decision,) if st.decided else st.disagreement)})
    if len(decisions) > 1 or any(st.disagreement for st, _ in got):
        return Standing(actor, None, inherited=True, second_look=second, disagreement=tuple(decisions))
    latest = max((st for st, _ in got), key=lambda s: (s.ts, s.uid))
    return replace(latest, inherited=True, second_look=second)


@dataclass(frozen=True)
class Outcome:
    """A unit's state at a stage: 'include', 'exclude', 'not_retrieved', 'conflict' or 'pending'."""

    state: str
    resolved_by: str | None = None
    why: str = ""


PENDING = Outcome("pending")


def outcome(reviewers: Mapping[str, Standing], resolution: Standing | None, required: int) -> Outcome:
    """The unit's state from its reviewers' standings and the adjudicator's resolution.

    A resolution settles the unit. Otherwise ``required`` reviewers must have
    decided; they agree (include, exclude or not retrieved) or it is a conflict
    (a 'maybe' is never an inclusion: include + maybe and maybe + maybe go to
    the adjudicator). A reviewer whose inherited standings disagree makes a
    conflict too, until they decide again.
    """
    if resolution is None and not reviewers:
        return PENDING
    if resolution is not None:
        if resolution.decided:
            return Outcome(resolution.decision, resolution.actor)
        return Outcome("conflict", why="resolutions of merged copies disagree")
    if any(st.disagreement for st in reviewers.values()):
        return Outcome("conflict", why="a reviewer's decisions on merged copies disagree")
    decided = [st for st in reviewers.values() if st.decided]
    if len(decided) < required:
        return PENDING
    values = {st.decision for st in decided}
    if len(values) == 1 and values <= {"include", "exclude", "not_retrieved"}:
        return Outcome(values.pop())
    return Outcome("conflict", why="reviewers differ" if len(values) > 1 else "both unsure (maybe)")
