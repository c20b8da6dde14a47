"""What each rule finds on one unit, from what all its copies say.

A unit is a duplicate group; its copies may come from PubMed, Embase, CNKI
... Each check reads every copy and answers with an exclusion (``Finding``:
the rule, the record whose metadata triggered it, the value and where it came
from) or flags for a person, never guessing:

- publication type: a genre any copy states decides for the unit (a PubMed
  copy saying "Review" decides for its CNKI copy); a form (thesis, conference
  paper ...) excludes only when every copy that states a form says an
  excluded one (copies that disagree: a flag); a title that only suggests an
  excluded type ("A case report of ...", "...综述"): a flag;
- date window: every copy's year outside the window (copies on both sides: a
  flag; no year at all: a flag);
- language: no copy in a protocol language, and every stated language
  understood (words not understood: a flag); no language stated: nothing;
- humans only: MeSH ``Animals`` on some copy and ``Humans`` on none; neither:
  nothing;
- minimum impact factor: the journal metric (review.journals.match) below the
  minimum; no metric (no journal, unmatched, ambiguous, no value): a flag;
- study designs: explicit design types (PubMed's) none of which the
  protocol's designs take in: a flag (never an exclusion: the protocol's
  designs are free words, and a design type is an indexer's call).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Sequence

from review.protocol import Rules
from review.rules import DATE_WINDOW, HUMANS_ONLY, LANGUAGE, MIN_IMPACT_FACTOR, PUBLICATION_TYPE
from review.rules import languages as langs
from review.rules import types as T

# Flag reasons (an event's ``reason``; the keys of ``review rules --json``'s "flagged").
FLAG_NO_METRIC = "no journal metric: {}"
FLAG_METRIC_UNCERTAIN = "journal metric: below a bound"
FLAG_SUGGESTED = "suggested type: {}"
FLAG_TYPES_DISAGREE = "publication type: copies disagree"
FLAG_NO_YEAR = "date window: no year"
FLAG_YEARS_DISAGREE = "date window: copies disagree"
FLAG_LANGUAGE = "language: not recognised"
FLAG_DESIGN = "study design: not in the protocol"
FLAG_PERSON = "decided by a person: {}"


@dataclass(frozen=True)
class Config:
    """The protocol's [rules], compiled."""

    excluded_types: dict[str, str]                 # vocabulary name -> the protocol's words
    year_min: int | None
    year_max: int | None
    languages: frozenset[str]                      # codes
    humans_only: bool
    min_impact_factor: float | None
    kinds: tuple[str, ...]
    designs: frozenset[str] | None                 # design groups the protocol takes in; None: not checked
    prisma_other: frozenset[str]
    notes: tuple[str, ...] = ()

    @classmethod
    def from_rules(cls, r: Rules) -> "Config":
        from review.journals import KINDS

        notes = []
        designs: frozenset[str] | None = None
        if r.study_designs:
            groups = {d: T.design_groups(d) for d in r.study_designs}
            vague = [d for d, g in groups.items() if not g]
            if vague:
                notes.append(f"study design(s) {', '.join(map(repr, vague))} not understood: study designs are"
                             " not checked (see docs/rules.md for the words understood)")
            else:
                designs = frozenset(g for gs in groups.values() for g in gs)
        return cls(
            excluded_types={T.protocol_type(n): n for n in r.exclude_publication_types},
            year_min=r.year_min, year_max=r.year_max,
            languages=frozenset(langs.code(n) for n in r.languages),
            humans_only=r.humans_only, min_impact_factor=r.min_impact_factor,
            kinds=tuple(r.impact_factor_kinds) or KINDS, designs=designs,
            prisma_other=frozenset(r.prisma_other), notes=tuple(notes))

    @property
    def window(self) -> str:
        return f"{self.year_min or '...'}-{self.year_max or '...'}"


class Copy(NamedTuple):
    """What one record of a unit says, as the rules read it (a tuple: 100,000 are made)."""

    record_id: int
    source: str
    where: str
    title: str
    translated_title: str
    year: int | None
    language: str
    said: tuple[T.Said, ...]
    unknown_types: tuple[str, ...]
    mesh: str                      # MeSH headings as stored (a JSON list), read only by the humans check

    def origin(self, what: str) -> str:
        return f"{what} of record {self.record_id} ({self.source}{', ' + self.where if self.where else ''})"


def copy_of(row: Sequence) -> Copy:
    """A ``Copy`` from a row of review.db.rules.unit_facts."""
    (_, rid, source, where, title, translated, year, language, ptypes, mesh, ref_type, thesis, cnki,
     entry) = row
    said, unknown = _types(ptypes, ref_type, thesis, cnki, entry)
    return Copy(rid, source, where, title, translated, year, language, said, unknown, mesh)


@lru_cache(maxsize=1 << 16)
def _types(ptypes: str, ref_type: str, thesis: str, cnki: str, entry: str) -> tuple[tuple, tuple]:
    """``types_said`` once per distinct combination (a project has few)."""
    said, unknown = T.types_said(json.loads(ptypes) if ptypes != "[]" else (), ref_type, thesis, cnki, entry)
    return tuple(said), tuple(unknown)


class Finding(NamedTuple):
    """A rule's call on a unit: an exclusion (``key``: the rule) or a flag
    (``key``: why), with the record it rests on and what it found (the event's
    payload)."""

    key: str
    record_id: int
    payload: dict


class Verdict:
    """Every rule that would exclude the unit (in rule order) and every flag."""

    __slots__ = ("exclusions", "flags")

    def __init__(self) -> None:
        self.exclusions: dict[str, Finding] = {}
        self.flags: dict[str, Finding] = {}

    def flag(self, reason: str, record_id: int, payload: dict) -> None:
        if reason not in self.flags:
            self.flags[reason] = Finding(reason, record_id, payload)


class Checker:
    """Runs the checks on units (see the module doc)."""

    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.cues = T.CueFinder(cfg.excluded_types)
        self._seen: dict[tuple, tuple] = {}
        cfg = self.cfg
        wanted = ((cfg.excluded_types, self.publication_type),
                  (cfg.year_min is not None or cfg.year_max is not None, self.date_window),
                  (cfg.languages, self.language), (cfg.humans_only, self.humans),
                  (cfg.min_impact_factor is not None, self.impact_factor), (cfg.designs is not None, self.design))
        self.steps = [step for on, step in wanted if on]

    def verdict(self, copies: Sequence[Copy], metric) -> Verdict:
        v = Verdict()
        for step in self.steps:
            step(copies, metric, v)
        return v

    # -- publication type
    def _types(self, said: tuple[T.Said, ...]) -> tuple:
        """(the excluded genre and its protocol entry, or None; whether a form is
        stated; the excluded form and its entry, or None; the types that name a
        design), once per distinct ``said``."""
        got = self._seen.get(said)
        if got is None:
            excluded = self.cfg.excluded_types
            genre = next(((s, e) for s in said if not s.form
                          and (e := T.excluded_by(s.type, excluded)) is not None), None)
            form = next(((s, e) for s in said if s.form and (e := T.excluded_by(s.type, excluded)) is not None),
                        None)
            designs = tuple(s.type for s in said if T.design_of(s.type))
            got = self._seen[said] = (genre, any(s.form for s in said), form, designs)
        return got

    def publication_type(self, copies: Sequence[Copy], _metric, v: Verdict) -> None:
        if len(copies) == 1:                      # the common case, quickly
            c = copies[0]
            if c.said:
                genre, _, form, _ = self._types(c.said)
                if genre or form:
                    v.exclusions[PUBLICATION_TYPE] = Finding(PUBLICATION_TYPE, c.record_id,
                                                             _type_payload(c, *(genre or form)))
                    return
            self._cues(c, v)
            return
        states = [(c, self._types(c.said)) for c in copies]
        for c, (genre, _, _, _) in states:
            if genre is not None:
                v.exclusions[PUBLICATION_TYPE] = Finding(PUBLICATION_TYPE, c.record_id, _type_payload(c, *genre))
                return
        hits = [(c, form) for c, (_, stated, form, _) in states if stated]
        if hits and all(form for _, form in hits):
            c, form = hits[0]
            v.exclusions[PUBLICATION_TYPE] = Finding(PUBLICATION_TYPE, c.record_id, _type_payload(c, *form))
            return
        if any(form for _, form in hits):
            c = next(c for c, form in hits if form)
            v.flag(FLAG_TYPES_DISAGREE, c.record_id, {
                "copies": [{"record": cc.record_id, "database": cc.source,
                            "types": [s.raw for s in cc.said if s.form], "excluded_as": form[1] if form else None}
                           for cc, form in hits]})
        for c in copies:
            self._cues(c, v)

    def _cues(self, c: Copy, v: Verdict) -> None:
        for title in (c.title, c.translated_title):
            for name, entry, words in self.cues.find(title):
                v.flag(FLAG_SUGGESTED.format(name), c.record_id,
                       {"value": words, "title": title, "excluded_as": entry, "source": c.origin("title")})

    # -- date window
    def date_window(self, copies: Sequence[Copy], _metric, v: Verdict) -> None:
        lo, hi = self.cfg.year_min, self.cfg.year_max
        dated = [c for c in copies if c.year]
        outside = [c for c in dated if (lo is not None and c.year < lo) or (hi is not None and c.year > hi)]
        if not dated:
            v.flag(FLAG_NO_YEAR, copies[0].record_id, {"window": self.cfg.window})
        elif len(outside) == len(dated):
            c = outside[0]
            v.exclusions[DATE_WINDOW] = Finding(DATE_WINDOW, c.record_id, {
                "value": c.year, "window": self.cfg.window, "source": c.origin("year")})
        elif outside:
            v.flag(FLAG_YEARS_DISAGREE, outside[0].record_id, {
                "window": self.cfg.window, "years": {str(c.record_id): c.year for c in dated}})

    # -- language
    def language(self, copies: Sequence[Copy], _metric, v: Verdict) -> None:
        allowed = self.cfg.languages
        found: list[tuple[Copy, tuple[str, ...]]] = []
        unknown: list[tuple[Copy, str]] = []
        for c in copies:
            if c.language:
                codes, words = _language(c.language)
                if not allowed.isdisjoint(codes):
                    return
                if codes:
                    found.append((c, codes))
                if words:
                    unknown += [(c, w) for w in words]
        if unknown:
            c, _ = unknown[0]
            v.flag(FLAG_LANGUAGE, c.record_id, {"value": [w for _, w in unknown], "source": c.origin("language")})
        elif found:
            c, codes = found[0]
            v.exclusions[LANGUAGE] = Finding(LANGUAGE, c.record_id, {
                "value": c.language, "languages": list(codes), "allowed": sorted(allowed),
                "source": c.origin("language")})

    # -- humans only
    def humans(self, copies: Sequence[Copy], _metric, v: Verdict) -> None:
        animals = None
        for c in copies:
            if '"Humans"' in c.mesh:       # a check tag is a heading of its own, never qualified
                return
            if animals is None and '"Animals"' in c.mesh:
                animals = c
        if animals is not None:
            v.exclusions[HUMANS_ONLY] = Finding(HUMANS_ONLY, animals.record_id, {
                "value": "Animals", "source": animals.origin("MeSH"),
                "why": "MeSH check tag Animals, and Humans on no copy"})

    # -- minimum impact factor
    def impact_factor(self, copies: Sequence[Copy], m, v: Verdict) -> None:
        lowest = self.cfg.min_impact_factor
        rid = copies[0].record_id
        if m is None or not m.found:
            reason = (m.reason if m is not None else None) or "unmatched"
            v.flag(FLAG_NO_METRIC.format(reason), rid, {"reason": reason, "detail": m.detail if m else ""})
            return
        if m.qualifier == "<" and m.value > lowest:
            v.flag(FLAG_METRIC_UNCERTAIN, rid, _metric_payload(m, lowest))
        elif m.value < lowest:
            v.exclusions[MIN_IMPACT_FACTOR] = Finding(MIN_IMPACT_FACTOR, rid, _metric_payload(m, lowest))

    # -- study designs
    def design(self, copies: Sequence[Copy], _metric, v: Verdict) -> None:
        named = [(c, t) for c in copies if c.said for t in self._types(c.said)[3]]
        if named and not any(T.design_of(t) in self.cfg.designs for _, t in named):
            c, _ = named[0]
            v.flag(FLAG_DESIGN, c.record_id, {"value": sorted({t for _, t in named}),
                                              "source": c.origin("publication type")})


@lru_cache(maxsize=1 << 12)
def _language(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    codes, words = langs.parse(text)
    return tuple(codes), tuple(words)


def _type_payload(c: Copy, s: T.Said, entry: str) -> dict:
    return {"value": s.raw, "type": s.type, "excluded_as": entry, "source": c.origin(s.field)}


def _metric_payload(m, lowest: float) -> dict:
    return {"value": m.value, "qualifier": m.qualifier, "minimum": lowest, "kind": m.kind, "year": m.year,
            "source": m.source, "line": m.line, "journal": m.journal, "matched_by": m.matched_by, "key": m.key}
