"""Studies: what is extracted. A study gathers one or more included reports
(a trial and its follow-up); by default each report included at full text is
a study of its own, labelled "Surname Initials Year" from its first author
(unique: a second "Pan J 2023" becomes "Pan J 2023b").

Links are append-only rows (review/db/events.py ``link_report``), audited; a
report whose duplicate group changed (deduplication merged or split it)
keeps the study of the group it came from. Labels can be changed
(``rename``); values and scores refer to the study, not to its label.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from dataclasses import dataclass

from review.db import events as ev
from review.db import extraction as xdb
from review.db import units as udb
from review.db.records import get_record
from review.errors import BadInput
from review.protocol import Protocol

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Report:
    """An included report (a screening unit) as its representative record shows it."""

    unit_id: int
    record_id: int
    title: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    journal: str = ""
    doi: str = ""
    pmid: str = ""
    abstract: str = ""

    @property
    def citation(self) -> str:
        who = self.authors[0] + (" et al." if len(self.authors) > 1 else "") if self.authors else "Anonymous"
        bits = [f"{who} ({self.year or 'n.d.'}). {self.title.rstrip('.')}."]
        if self.journal:
            bits.append(f"{self.journal}.")
        if self.doi:
            bits.append(f"doi:{self.doi}")
        if self.pmid:
            bits.append(f"PMID {self.pmid}")
        return " ".join(bits)


@dataclass(frozen=True)
class Study:
    id: int
    label: str
    reports: tuple[Report, ...]         # included reports linked to it, the first one first
    other_units: tuple[int, ...] = ()   # linked reports no longer included

    @property
    def included(self) -> bool:
        return bool(self.reports)

    def to_json(self) -> dict:
        return {"id": self.id, "study": self.label, "included": self.included,
                "reports": [{"record_id": r.record_id, "unit": r.unit_id, "title": r.title, "year": r.year,
                             "doi": r.doi or None, "pmid": r.pmid or None} for r in self.reports],
                "no_longer_included": list(self.other_units)}


# ------------------------------------------------------------------ labels
def author_label(author: str) -> str:
    """'Zhao, Wan-Hong' -> 'Zhao WH'; 'Mailankody S' stays; '王晓明' stays."""
    a = " ".join(author.split())
    if "," in a:
        surname, given = (s.strip() for s in a.split(",", 1))
    else:
        parts = a.split(" ")
        if len(parts) > 1 and parts[-1].isupper() and len(parts[-1]) <= 3:
            surname, given = " ".join(parts[:-1]), parts[-1]
        else:
            surname, given = a, ""
    initials = "".join(t if t.isupper() and len(t) <= 3 else t[0].upper() for t in _WORD.findall(given))
    return f"{surname} {initials}".strip()


def default_label(report: Report) -> str:
    who = author_label(report.authors[0]) if report.authors else f"Record {report.record_id}"
    return f"{who} {report.year}" if report.year else who


def unique_labels(bases: list[str], taken: set[str]) -> list[str]:
    """A label for each base, none in ``taken`` nor repeated: the first of a
    kind keeps the base, later ones get b, c, ..."""
    out, used = [], set(taken)
    for base in bases:
        if base not in used:
            label = base
        else:
            label = next(base + s for s in _suffixes() if base + s not in used)
        used.add(label)
        out.append(label)
    return out


def _suffixes():
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters[1:]
    for a in letters:
        for b in letters:
            yield a + b


# ------------------------------------------------------------------ reading
def included_units(conn: sqlite3.Connection, protocol: Protocol) -> dict[int, int]:
    """Units included at the protocol's last screening stage -> representative record."""
    from review.screening.view import stage_view

    stage = protocol.screening.stages[-1] if protocol.screening.stages else "full_text"
    view = stage_view(conn, protocol, stage)
    return {u: view.units[u] for u in sorted(view.with_state("include")) if u in view.units}


def _report(conn: sqlite3.Connection, unit_id: int, record_id: int) -> Report:
    r = get_record(conn, record_id) or {}
    return Report(unit_id, record_id, r.get("title") or "", tuple(r.get("authors") or ()), r.get("year"),
                  r.get("journal") or "", r.get("doi") or "", r.get("pmid") or "", r.get("abstract") or "")


def effective_links(conn: sqlite3.Connection, unit_ids) -> dict[int, int | None]:
    """unit -> the study it belongs to: its own latest link, else (a unit made
    by deduplication from earlier ones) the link of the first earlier unit that has one."""
    links = ev.study_links(conn)
    parents = udb.parents(conn)

    def find(u: int, seen: frozenset) -> int | None:
        if u in links:
            return links[u]
        for p, _kind in parents.get(u, []):
            if p not in seen:
                s = find(p, seen | {p})
                if s is not None:
                    return s
        return None

    return {u: find(u, frozenset({u})) for u in unit_ids}


def list_studies(conn: sqlite3.Connection, protocol: Protocol, *, included_only: bool = True) -> list[Study]:
    """The studies in the order they were made (the included reports' order):
    each with its included reports, the earliest first."""
    units = included_units(conn, protocol)
    links = effective_links(conn, units)
    by_study: dict[int, list[int]] = {}
    for u in units:
        if links[u] is not None:
            by_study.setdefault(links[u], []).append(u)
    own = ev.study_links(conn)
    out = []
    for row in xdb.study_rows(conn):
        sid = row["id"]
        reports = tuple(_report(conn, u, units[u]) for u in sorted(by_study.get(sid, [])))
        gone = tuple(sorted(u for u, s in own.items() if s == sid and u not in units))
        if reports or not included_only:
            out.append(Study(sid, row["label"], reports, gone))
    return out


def ensure_studies(conn: sqlite3.Connection, protocol: Protocol, actor: str) -> list[Study]:
    """Make a study of every included report that has none (call inside a
    transaction); returns every study with included reports."""
    units = included_units(conn, protocol)
    links = effective_links(conn, units)
    missing = [u for u in units if links[u] is None]
    if missing:
        reports = [_report(conn, u, units[u]) for u in missing]
        taken = {r["label"] for r in xdb.study_rows(conn)}
        for rep, label in zip(reports, unique_labels([default_label(r) for r in reports], taken)):
            sid = ev.create_study(conn, label, actor)
            ev.link_report(conn, rep.unit_id, sid, actor)
    return list_studies(conn, protocol)


def find_study(studies: list[Study], label: str) -> Study:
    """The study labelled ``label`` (exactly, else ignoring case); BadInput naming near labels."""
    for s in studies:
        if s.label == label:
            return s
    folded = [s for s in studies if s.label.casefold() == label.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    labels = [s.label for s in studies]
    near = difflib.get_close_matches(label, labels, n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else \
        " (see 'review studies')" if labels else " (no study yet: studies are the reports included at full text)"
    raise BadInput(f"no study labelled {label!r}{hint}")


def study_of_record(conn: sqlite3.Connection, studies: list[Study], record_id: int) -> Study | None:
    """The study an included record belongs to (any member of its duplicate group), or None."""
    unit = udb.unit_of(conn, record_id)
    for s in studies:
        if any(r.unit_id == unit for r in s.reports):
            return s
    return None


# ------------------------------------------------------------------ changes
def link(conn: sqlite3.Connection, protocol: Protocol, record_id: int, label: str, actor: str, *,
         new: bool = False, force: bool = False) -> tuple[Study | None, Study]:
    """Make the report ``record_id`` part of the study ``label`` (``new``: a new
    study of that label). Returns (the study it left, the study it joined).
    Call inside a transaction."""
    studies = ensure_studies(conn, protocol, actor)
    unit = udb.unit_of(conn, record_id)
    here = study_of_record(conn, studies, record_id)
    if here is None:
        raise BadInput(f"record {record_id} is not an included report: only reports included at "
                       f"{protocol.screening.stages[-1] if protocol.screening.stages else 'full_text'} "
                       "belong to studies")
    if new:
        if label.strip() in {r["label"] for r in xdb.study_rows(conn)}:
            raise BadInput(f"there is already a study labelled {label!r} (leave out --new to join it)")
        target_id = ev.create_study(conn, label, actor)
    else:
        try:
            target_id = find_study(studies, label).id
        except BadInput as exc:
            raise BadInput(f"{exc}; to make record {record_id} a study of its own, add --new") from None
    if target_id == here.id:
        return here, here
    alone = len(here.reports) == 1
    if alone and not force and (ev.values(conn, [here.id]) or ev.scores(conn, [here.id])):
        raise BadInput(f"study {here.label!r} has extraction values or quality scores and no other report: "
                       "they would no longer count once its report moves (add --force to move it anyway)")
    ev.link_report(conn, unit, target_id, actor)
    after = {s.id: s for s in list_studies(conn, protocol, included_only=False)}
    return after.get(here.id), after[target_id]


def rename(conn: sqlite3.Connection, protocol: Protocol, label: str, new_label: str, actor: str) -> Study:
    """Change a study's label (call inside a transaction)."""
    studies = ensure_studies(conn, protocol, actor)
    s = find_study(studies, label)
    xdb.rename_study(conn, s.id, new_label, actor)
    return next(x for x in list_studies(conn, protocol) if x.id == s.id)
