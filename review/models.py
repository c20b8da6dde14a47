"""Plain data types shared by the core: what a bibliographic record holds,
and the vocabulary of the events people and rules add to a review.

Parsers yield ``Record``s; the database stores them with their provenance;
deduplication compares them. What is screened is a *unit* (a duplicate group
with a stable id, review/db/units.py); what is extracted is a *study* (one or
more reports, each a unit). Every decision is an append-only ``Event``;
extraction values and quality scores are append-only ``Value``/``Score`` rows.
The CHECK constraints of migration 0005 hold the same vocabulary. Nothing here
touches the database or a UI.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from enum import Enum


@dataclass(frozen=True, slots=True)
class Record:
    """One bibliographic record as one source gave it.

    ``source_ref`` locates it in that source (``pmid:123`` or ``file.ris#7``);
    ``raw`` keeps source-specific fields that have no column of their own.
    """

    title: str = ""
    abstract: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    journal: str = ""
    journal_abbrev: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    issn_print: str = ""
    issn_electronic: str = ""
    issn_linking: str = ""
    nlm_id: str = ""
    publication_types: tuple[str, ...] = ()
    mesh: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    language: str = ""
    url: str = ""
    source_ref: str = ""
    raw: tuple[tuple[str, str], ...] = ()

    @property
    def issns(self) -> tuple[str, ...]:
        return tuple(i for i in (self.issn_print, self.issn_electronic, self.issn_linking) if i)

    def fingerprint(self) -> str:
        """Stable identity of this record within one source, for idempotent imports.

        A PMID identifies a PubMed record; otherwise a hash of the bibliographic
        content (not of ``source_ref``, so the same export imported twice, or
        re-exported in another order, is stored once).
        """
        if self.pmid:
            return f"pmid:{self.pmid}"
        content = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("source_ref", "raw")
        }
        blob = json.dumps(content, sort_keys=True, ensure_ascii=False)
        return "sha1:" + hashlib.sha1(blob.encode("utf-8")).hexdigest()

    def to_row(self) -> dict:
        """Columns of the ``records`` table (lists stored as JSON)."""
        d = asdict(self)
        for key in ("authors", "publication_types", "mesh", "keywords"):
            d[key] = json.dumps(list(d[key]), ensure_ascii=False)
        d["raw"] = json.dumps(dict(self.raw), ensure_ascii=False)
        return d

    @classmethod
    def from_row(cls, row: dict) -> "Record":
        kw = {}
        for f in fields(cls):
            if f.name not in row:
                continue
            v = row[f.name]
            if f.name in ("authors", "publication_types", "mesh", "keywords"):
                v = tuple(json.loads(v or "[]"))
            elif f.name == "raw":
                v = tuple(sorted(json.loads(v or "{}").items()))
            elif v is None and f.name != "year":
                v = ""
            kw[f.name] = v
        return cls(**kw)


class Role(str, Enum):
    REVIEWER = "reviewer"
    ADJUDICATOR = "adjudicator"
    LEAD = "lead"


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What one import or search did, for the log and the user."""

    source: str
    found: int
    added: int
    already_present: int
    coverage: dict = field(default_factory=dict)
    search_id: int | None = None


# ------------------------------------------------------------ the vocabulary
class Stage(str, Enum):
    """Where in the review an event belongs."""

    AUTOMATION = "automation"          # automatic rules, before any person reads
    TITLE_ABSTRACT = "title_abstract"
    FULL_TEXT = "full_text"


SCREENING_STAGES = (Stage.TITLE_ABSTRACT.value, Stage.FULL_TEXT.value)


class EventKind(str, Enum):
    """What an event records.

    decision    a reviewer's include/exclude/maybe (or not_retrieved at full text)
    resolution  an adjudicator's include/exclude settling a conflict
    rule        an automatic exclusion (reason = the rule's id; payload: value, source)
    flag        a rule's call for a person (reason = why; never an exclusion)
    report      where the full-text report is (payload: report = path or URL)
    note        a note on a unit, on its own
    undo        retracts the event named by ``supersedes``
    """

    DECISION = "decision"
    RESOLUTION = "resolution"
    RULE = "rule"
    FLAG = "flag"
    REPORT = "report"
    NOTE = "note"
    UNDO = "undo"


class Decision(str, Enum):
    INCLUDE = "include"
    EXCLUDE = "exclude"
    MAYBE = "maybe"
    NOT_RETRIEVED = "not_retrieved"   # full text only: the report could not be had


REVIEWER_DECISIONS = {
    Stage.TITLE_ABSTRACT.value: ("include", "exclude", "maybe"),
    Stage.FULL_TEXT.value: ("include", "exclude", "maybe", "not_retrieved"),
}
RESOLUTIONS = ("include", "exclude")


class ValueKind(str, Enum):
    """What an extraction value or quality score row is.

    entry       a reviewer's value (the latest entry per reviewer counts)
    submit      a reviewer declares a study's form done (field '*'): from then
                on the other reviewer's values may be compared with theirs
    reconciled  the adjudicator's chosen value; ``settled`` marks it
    undo        retracts the row named by ``supersedes``
    """

    ENTRY = "entry"
    SUBMIT = "submit"
    RECONCILED = "reconciled"
    UNDO = "undo"


class LineageKind(str, Enum):
    """How a unit came from earlier ones when duplicate groups changed."""

    MERGE = "merge"   # the whole earlier unit is part of this one
    SPLIT = "split"   # only part of the earlier unit is in this one


@dataclass(frozen=True, slots=True)
class Event:
    """One decision-log row (review/db/events.py writes them, nothing else)."""

    id: int
    uid: str
    ts: str
    actor: str
    stage: str
    unit_id: int
    record_id: int | None
    kind: str
    decision: str | None = None
    reason: str | None = None
    note: str | None = None
    payload: dict = field(default_factory=dict)
    supersedes: int | None = None
    origin: str = "local"


@dataclass(frozen=True, slots=True)
class Value:
    """One extraction row: a reviewer's entry, a submission or a reconciled value.

    ``arm`` is '' for the whole study, else the arm's label (studies with
    several groups); ``value`` is the typed value as JSON text, None for NA
    (not reported); ``derived`` says how it was obtained (e.g. 'entered',
    'percent_of_n').
    """

    id: int
    uid: str
    ts: str
    actor: str
    study_id: int
    arm: str
    field: str
    kind: str
    value: str | None
    derived: str = "entered"
    settled: bool = False
    note: str | None = None
    supersedes: int | None = None


@dataclass(frozen=True, slots=True)
class Score:
    """One quality-tool row (MINORS): item 1..12, score 0/1/2 or None (not applicable)."""

    id: int
    uid: str
    ts: str
    actor: str
    study_id: int
    tool: str
    item: int
    kind: str
    score: int | None
    settled: bool = False
    note: str | None = None
    supersedes: int | None = None
