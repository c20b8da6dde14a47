"""One reviewer's screening queue at one stage, for the screen and for
``review queue``: the units in order, this reviewer's own standings, progress,
filters and search, pages of what the screen shows.

Blind by construction: a ``QueueItem`` carries only this reviewer's own
decision, reason, note and report; of the other reviewers it says only
whether the unit is a conflict, and only once this reviewer has decided it
(then both have). Built once (one pass over the stage, under a second for
100,000 units); a decision refreshes its one unit (``apply``), never the whole.

Threads: ``record_*`` only write, on the connection they are given (a worker
thread's own); ``apply`` then updates the queue on the queue's own thread.
``decide``/``undo``/``note`` do both on the queue's connection.
"""

from __future__ import annotations

import random
import re
import sqlite3
from dataclasses import dataclass
from typing import Sequence

from review.db import screening as sdb
from review.db import transaction
from review.errors import BadInput
from review.models import Record
from review.protocol import Protocol
from review.screening import decisions
from review.screening.decisions import Recorded
from review.screening.state import Standing
from review.screening.tally import tally
from review.screening.view import stage_view

FILTERS = ("all", "undecided", "mine", "maybe", "second_look", "conflicts")
CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True)
class Progress:
    """This reviewer's progress at the stage."""

    total: int
    done: int                 # units with a decision of theirs in force (own or inherited)
    left: int                 # total - done
    maybe: int                # of done: 'maybe'
    conflicts: int            # decided by both (or all) reviewers, differently, and not resolved
    second_look: int          # decisions inherited through a split of a duplicate group
    disagreements: int        # their own decisions on merged copies differ: to decide again


@dataclass(frozen=True)
class Flag:
    """What an automatic rule said about the unit (``kind`` 'flag' or 'rule')."""

    rule: str
    kind: str
    detail: dict


@dataclass(frozen=True)
class QueueItem:
    """What the screen shows for one unit (all of it this reviewer's to see)."""

    unit_id: int
    record_id: int                       # accepted by decide/resolve (the unit's smallest record id)
    records: tuple[int, ...]             # every copy in the duplicate group
    title: str
    authors: tuple[str, ...]
    journal: str
    year: int | None
    publication_types: tuple[str, ...]
    abstract: str
    doi: str
    pmid: str
    flags: tuple[Flag, ...]
    decision: str | None                 # this reviewer's, in force (own or inherited)
    reason: str | None
    note: str | None                     # their latest note (with the decision or on its own)
    decided_at: str | None
    inherited: bool                      # the decision came from merged/split copies
    second_look: bool                    # inherited through a split: look again
    disagreement: tuple[str, ...]        # their decisions on merged copies that differ
    conflict: bool                       # decided by both, differently, unresolved (False until they decided)
    report: str | None                   # full text: where the report is (as they recorded it)


class Queue:
    """A reviewer's units at a stage, in order (see the module docstring).

    ``order``: unit ids in the order to screen (e.g. from a ranking model);
    units not in it follow by id. ``random_order``: a seeded shuffle fixed
    per protocol, stage and reviewer (the default for the reviewers listed
    in the protocol's ``screening.random_order_for``).
    """

    def __init__(self, conn: sqlite3.Connection, protocol: Protocol, reviewer: str, stage: str, *,
                 order: Sequence[int] | None = None, random_order: bool | None = None):
        decisions.require_role(protocol, reviewer, "reviewer")
        decisions.require_stage(protocol, stage)
        self.conn, self.protocol, self.reviewer, self.stage = conn, protocol, reviewer, stage
        if random_order is None:
            random_order = reviewer in protocol.screening.random_order_for
        self._order_given, self._random = (list(order) if order is not None else None), random_order
        self.show, self.search = "all", ""
        self.stale = False
        self._build()

    # ------------------------------------------------------------ building
    def _build(self) -> None:
        t = tally(self.conn, self.protocol, self.stage)
        self.rep: dict[int, int] = t.units
        self.units: list[int] = self._ordered(list(t.units))
        me, required = self.reviewer, self.protocol.screening.reviewers_per_record
        self.own: dict[int, str] = {u: ds[me] for u, ds in t.decisions.items() if me in ds}
        self.marks: dict[int, Standing] = {u: st[me] for u, st in t.inherited.items()
                                           if me in st and (st[me].inherited or st[me].disagreement)}
        self.conflicts: set[int] = {u for u, state in t.states.items()
                                    if state == "conflict" and self._may_know(t.screened_by(u), required)}
        self.selection: list[int] = self.units
        self._done = len(self.own)
        self._maybe = sum(1 for d in self.own.values() if d == "maybe")
        self._second = sum(1 for st in self.marks.values() if st.second_look and st.inherited)
        self._disagree = sum(1 for st in self.marks.values() if st.disagreement)
        if self.show != "all" or self.search:
            self.filter(self.show, self.search)

    def _may_know(self, screened: set[str], required: int) -> bool:
        """A conflict is shown to a reviewer once they and enough others screened the unit."""
        return self.reviewer in screened and len(screened) >= required

    def _ordered(self, ids: list[int]) -> list[int]:
        ids.sort()
        if self._random:
            random.Random(f"{self.protocol.id}/{self.stage}/{self.reviewer}").shuffle(ids)
        if self._order_given is not None:
            present = set(ids)
            first = list(dict.fromkeys(u for u in self._order_given if u in present))
            placed = set(first)
            ids = first + [u for u in ids if u not in placed]
        return ids

    def progress(self) -> Progress:
        total = len(self.units)
        return Progress(total, self._done, total - self._done, self._maybe, len(self.conflicts),
                        self._second, self._disagree)

    # ------------------------------------------------------------ filter and search
    def filter(self, show: str = "all", search: str | None = None) -> int:
        """Show only some units (FILTERS) whose title or abstract contain every
        word of ``search``; returns how many are shown. ``page`` pages over them."""
        if show not in FILTERS:
            raise BadInput(f"unknown filter {show!r} (one of {', '.join(FILTERS)})")
        search = (search or "").strip()
        hits = self._search(search) if search else None
        self.show, self.search = show, search
        own, marks, conflicts = self.own, self.marks, self.conflicts
        keep = {
            "all": None,
            "undecided": lambda u: u not in own,
            "mine": lambda u: u in own,
            "maybe": lambda u: own.get(u) == "maybe",
            "second_look": lambda u: u in marks and (marks[u].second_look or bool(marks[u].disagreement)),
            "conflicts": lambda u: u in conflicts,
        }[show]
        if keep is None and hits is None:
            self.selection = self.units
        else:
            self.selection = [u for u in self.units if (hits is None or u in hits) and (keep is None or keep(u))]
        return len(self.selection)

    def _search(self, text: str) -> set[int]:
        words = re.findall(r"\w+", text)
        if not words:
            return set(self.units)
        if CJK.search(text) or not sdb.fts_available(self.conn):
            found = sdb.text_units(self.conn, words)
        else:
            index_for_search(self.conn)
            found = sdb.fts_units(self.conn, " AND ".join(f'"{w}"*' for w in words))
        return found & self.rep.keys()

    def __len__(self) -> int:
        return len(self.selection)

    def index(self, unit_id: int) -> int | None:
        """Where the unit is among those shown (None if filtered out)."""
        try:
            return self.selection.index(unit_id)
        except ValueError:
            return None

    def next_undecided(self, after: int = -1) -> int | None:
        """Position of the first undecided unit shown after position ``after`` (wrapping round)."""
        n = len(self.selection)
        for k in range(1, n + 1):
            i = (after + k) % n
            if self.selection[i] not in self.own:
                return i
        return None

    # ------------------------------------------------------------ what the screen shows
    def page(self, offset: int, limit: int) -> list[QueueItem]:
        """Items ``offset`` .. ``offset + limit - 1`` of those shown (reads those units only)."""
        return self._items(self.selection[max(offset, 0):max(offset, 0) + max(limit, 0)])

    def item(self, unit_id: int) -> QueueItem:
        if unit_id not in self.rep:
            raise BadInput(f"unit {unit_id} is not screened by {self.reviewer} at {self.stage}")
        return self._items([unit_id])[0]

    def _items(self, ids: list[int]) -> list[QueueItem]:
        if not ids:
            return []
        from review.dedup.representative import merged_record

        view = stage_view(self.conn, self.protocol, self.stage, only=ids)
        recs = sdb.unit_records(self.conn, ids)
        parents = sdb.lineage_above(self.conn, ids)
        around = sdb.with_ancestors(ids, parents)
        done = sdb.undone(self.conn)
        flags = _flags(self.conn, around, done)
        mine = [e for e in sdb.stage_events(self.conn, self.stage, ("note", "report"), unit_ids=around,
                                            actor=self.reviewer, payload=True) if e.id not in done]
        out = []
        for u in ids:
            rows = recs.get(u, [])
            records = [Record.from_row(r) for r in rows]
            rec = merged_record(records)[0] if len(records) > 1 else (records[0] if records else Record())
            line = _line(u, parents)
            st = view.reviewers.get(u, {}).get(self.reviewer)
            note = st.note if st else None
            note_ts = st.ts if st else ""
            report = None
            for e in mine:
                if e.unit_id in line and e.kind == "note" and e.ts >= note_ts:
                    note, note_ts = e.note, e.ts
                if e.unit_id in line and e.kind == "report":
                    report = e.payload.get("report")
            out.append(QueueItem(
                unit_id=u, record_id=rows[0]["id"] if rows else self.rep[u], records=tuple(r["id"] for r in rows),
                title=rec.title, authors=rec.authors, journal=rec.journal, year=rec.year,
                publication_types=rec.publication_types, abstract=rec.abstract, doi=rec.doi, pmid=rec.pmid,
                flags=tuple(f for v in sorted(line) for f in flags.get(v, ())),
                decision=st.decision if st else None, reason=st.reason if st else None, note=note,
                decided_at=st.ts if st and st.decided else None, inherited=bool(st and st.inherited),
                second_look=bool(st and st.second_look), disagreement=st.disagreement if st else (),
                conflict=u in self.conflicts, report=report))
        return out

    # ------------------------------------------------------------ writing
    def record_decision(self, conn: sqlite3.Connection, unit_id: int, decision: str, *, reason: str | None = None,
                        note: str | None = None, report: str | None = None) -> Recorded:
        """Write a decision on ``conn`` (safe in a worker thread); then call ``apply``."""
        return decisions.decide(conn, self.protocol, self._record(unit_id), decision, reviewer=self.reviewer,
                                stage=self.stage, reason=reason, note=note, report=report)

    def record_undo(self, conn: sqlite3.Connection, unit_id: int | None = None) -> Recorded:
        """Retract this reviewer's latest decision (on ``unit_id`` if given)."""
        return decisions.undo(conn, self.protocol, self.reviewer, self.stage,
                              self._record(unit_id) if unit_id is not None else None, role="reviewer")

    def record_note(self, conn: sqlite3.Connection, unit_id: int, text: str) -> Recorded:
        return decisions.note(conn, self.protocol, self._record(unit_id), text, actor=self.reviewer,
                              stage=self.stage)

    def apply(self, recorded: Recorded) -> int | None:
        """Bring the queue up to date after a write, reading that one unit only;
        returns the unit, or None if it is no longer in this queue (then
        ``stale`` is set: deduplication changed the units; ``refresh``)."""
        u = recorded.unit_id
        view = stage_view(self.conn, self.protocol, self.stage, only=[u])
        if u not in self.rep or u not in view.units:
            self.stale = True
            return None
        self._forget(u)
        st = view.reviewers.get(u, {}).get(self.reviewer)
        if st is not None and st.decided:
            self.own[u] = st.decision
        if st is not None and (st.inherited or st.disagreement):
            self.marks[u] = st
        if view.outcomes[u].state == "conflict" and self._may_know(view.decided_by(u),
                                                                     self.protocol.screening.reviewers_per_record):
            self.conflicts.add(u)
        self._counts(u, +1)
        return u

    def _forget(self, u: int) -> None:
        self._counts(u, -1)
        self.own.pop(u, None)
        self.marks.pop(u, None)
        self.conflicts.discard(u)

    def _counts(self, u: int, sign: int) -> None:
        """Add (or take away) one unit's share of the progress counts."""
        d, st = self.own.get(u), self.marks.get(u)
        self._done += sign * (d is not None)
        self._maybe += sign * (d == "maybe")
        self._second += sign * bool(st and st.second_look and st.inherited)
        self._disagree += sign * bool(st and st.disagreement)

    def decide(self, unit_id: int, decision: str, **kw) -> QueueItem | None:
        """Record and apply a decision on the queue's connection; the unit's item after it."""
        return self._item_after(self.record_decision(self.conn, unit_id, decision, **kw))

    def undo(self, unit_id: int | None = None) -> QueueItem | None:
        return self._item_after(self.record_undo(self.conn, unit_id))

    def note(self, unit_id: int, text: str) -> QueueItem | None:
        return self._item_after(self.record_note(self.conn, unit_id, text))

    def _item_after(self, recorded: Recorded) -> QueueItem | None:
        u = self.apply(recorded)
        return None if u is None else self.item(u)

    def refresh(self) -> None:
        """Rebuild from the database (after deduplication, or to see the other
        reviewer's progress in the conflict count), keeping filter and search."""
        self.stale = False
        self._build()

    def _record(self, unit_id: int) -> int:
        try:
            return self.rep[unit_id]
        except KeyError:
            raise BadInput(f"unit {unit_id} is not screened by {self.reviewer} at {self.stage}") from None


def index_for_search(conn: sqlite3.Connection) -> int:
    """Bring the search index up to date (the first time in a big project this
    takes seconds: the screen may call it in a worker at start-up, on the
    worker's own connection). Returns how many records were indexed."""
    if not sdb.fts_available(conn) or not sdb.fts_pending(conn):
        return 0
    with transaction(conn):
        return sdb.fts_catch_up(conn)


def _line(u: int, parents: dict[int, list[tuple[int, str]]]) -> set[int]:
    """The unit and every unit it was made from."""
    out, todo = {u}, [u]
    while todo:
        for p, _ in parents.get(todo.pop(), ()):
            if p not in out:
                out.add(p)
                todo.append(p)
    return out


def _flags(conn: sqlite3.Connection, unit_ids: set[int], done: set[int]) -> dict[int, list[Flag]]:
    out: dict[int, list[Flag]] = {}
    seen = set()
    for e in sdb.stage_events(conn, "automation", ("flag", "rule"), unit_ids=unit_ids, payload=True):
        if e.id in done or (e.unit_id, e.kind, e.reason) in seen:
            continue
        seen.add((e.unit_id, e.kind, e.reason))
        out.setdefault(e.unit_id, []).append(Flag(e.reason or "", e.kind, e.payload))
    return out


def queue_rows(q: Queue, unit_ids: Sequence[int] | None = None) -> list[dict]:
    """``review queue --json``: every unit of the queue (or ``unit_ids``), in order."""
    ids = q.units if unit_ids is None else list(unit_ids)
    rows = []
    step = 500
    for off in range(0, len(ids), step):
        for it in q._items(ids[off:off + step]):
            rows.append({
                "id": it.record_id, "unit": it.unit_id, "records": list(it.records), "title": it.title,
                "year": it.year, "journal": it.journal, "decision": it.decision, "reason": it.reason,
                "note": it.note, "decided_at": it.decided_at, "inherited": it.inherited,
                "second_look": it.second_look, "disagreement": list(it.disagreement) or None,
                "conflict": it.conflict, "report": it.report,
                "flags": [f.rule for f in it.flags],
            })
    return rows


