"""Review protocols: TOML files in protocols/, validated into frozen dataclasses.

A protocol states the question, the sources (PubMed query and date window;
other databases imported from files), the automatic rules, the screening
stages and exclusion reasons, outcomes, extraction fields, the quality tool and
the analyses. The format is documented in docs/protocol.md. Every error names
the file, the key and what was expected, e.g.::

    protocols/x.toml: key 'rules.min_impact_factor': expected a number, got 'ten'
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review.errors import ProtocolError

FIELD_TYPES = ("int", "float", "percent", "text", "choice", "median_range", "bool")
QUALITY_TOOLS = ("MINORS",)
POOL_SMS = ("PLOGIT", "PFT", "PAS", "PRAW", "PLN")
POOL_METHODS = ("GLMM", "Inverse")
TAU_METHODS = ("DL", "REML", "PM", "ML", "HE", "SJ")
SOURCE_KINDS = ("database", "register")
DATE_RE = re.compile(r"^\d{4}(/\d{2}(/\d{2})?)?$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# --------------------------------------------------------------- dataclasses
@dataclass(frozen=True)
class People:
    reviewers: tuple[str, ...]
    adjudicators: tuple[str, ...]

    def role_of(self, name: str) -> str | None:
        if name in self.adjudicators:
            return "adjudicator"
        if name in self.reviewers:
            return "reviewer"
        return None


@dataclass(frozen=True)
class PubMedSearch:
    query: str
    mindate: str | None = None
    maxdate: str | None = None
    datetype: str = "pdat"


@dataclass(frozen=True)
class DatabaseSource:
    """A database searched by hand and imported from export files."""

    name: str
    format: str = "auto"
    query: str = ""
    searched: str = ""
    files: tuple[str, ...] = ()
    kind: str = "database"  # or "register" (a study registry): PRISMA 2020 counts it under registers


@dataclass(frozen=True)
class Sources:
    pubmed: PubMedSearch | None
    databases: tuple[DatabaseSource, ...]


@dataclass(frozen=True)
class Rules:
    """Automatic eligibility rules; each exclusion names its rule."""

    study_designs: tuple[str, ...] = ()
    exclude_publication_types: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    year_min: int | None = None
    year_max: int | None = None
    min_impact_factor: float | None = None
    impact_factors: str | None = None  # path to a journal metrics CSV, relative to the protocol
    impact_factor_kinds: tuple[str, ...] = ()  # metric kinds accepted, preferred first (empty: all)
    humans_only: bool = False                  # exclude records whose MeSH say Animals and not Humans
    prisma_other: tuple[str, ...] = ()         # rule ids PRISMA counts as "removed for other reasons"


@dataclass(frozen=True)
class Screening:
    stages: tuple[str, ...] = ("title_abstract", "full_text")
    exclusion_reasons: tuple[str, ...] = ()
    reviewers_per_record: int = 2
    random_order_for: tuple[str, ...] = ()   # reviewers who screen in a seeded random order
    include_terms: tuple[str, ...] = ()      # highlighted in the screening view
    exclude_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """A proportion outcome: events out of n, from extraction fields.

    ``events`` names an int field; or ``percent`` names a percent field and
    events = round(percent * n / 100).
    """

    name: str
    label: str
    n: str
    events: str | None = None
    percent: str | None = None
    kind: str = "efficacy"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str
    choices: tuple[str, ...] = ()
    required: bool = False
    unit: str = ""


@dataclass(frozen=True)
class Quality:
    tool: str = "MINORS"
    comparative: bool = False

    @property
    def n_items(self) -> int:
        return 12 if self.comparative else 8


@dataclass(frozen=True)
class Analysis:
    name: str
    outcomes: tuple[str, ...]
    sm: str = "PLOGIT"
    method: str | None = None
    method_tau: str | None = None
    subgroups: tuple[str, ...] = ()
    hakn: bool = False


@dataclass(frozen=True)
class Protocol:
    id: str
    title: str
    registration: str
    question: str
    people: People
    sources: Sources
    rules: Rules
    screening: Screening
    outcomes: tuple[Outcome, ...]
    fields: tuple[Field, ...]
    quality: Quality
    analyses: tuple[Analysis, ...]
    path: str = ""

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def outcome(self, name: str) -> Outcome:
        for o in self.outcomes:
            if o.name.lower() == name.lower():
                return o
        raise KeyError(name)


# ------------------------------------------------------------------ loading
def load_protocol(path: str | Path) -> Protocol:
    """Read and validate a protocol file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProtocolError("no such file", where=str(p)) from None
    except UnicodeDecodeError as exc:
        line = p.read_bytes().count(b"\n", 0, exc.start) + 1
        raise ProtocolError(f"line {line}: not UTF-8 text ({exc.reason} at byte {exc.start})",
                            where=f"{p}:{line}") from None
    except OSError as exc:
        raise ProtocolError(f"cannot read ({exc.strerror})", where=str(p)) from None
    try:
        return parse_protocol(text, str(p))
    except RecursionError:
        # tomllib recurses once per level of nested arrays/inline tables: name the
        # line where the nesting passes 100 levels (strings and comments skipped)
        depth, quote, line = 0, "", 1
        for i, c in enumerate(text):
            if c == "\n":
                line += 1
                if quote != '"""':
                    quote = "" if quote != "#" else ""
            elif quote == "#":
                continue
            elif quote:
                if c == quote[0] and text.startswith(quote, i) and (quote == "'" or text[i - 1] != "\\"):
                    quote = ""
            elif c == "#":
                quote = "#"
            elif c in "\"'":
                quote = c * 3 if text.startswith(c * 3, i) else c
            elif c in "[{":
                depth += 1
                if depth > 100:
                    break
            elif c in "]}":
                depth -= 1
        raise ProtocolError(f"line {line}: arrays or tables nested too deeply (more than 100 levels) to read",
                            where=f"{p}:{line}") from None


def parse_protocol(text: str, where: str = "<protocol>") -> Protocol:
    """Validate protocol TOML text; ``where`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(f"not valid TOML: {exc}", where=where) from None
    return _Validator(where).protocol(data)


class _Validator:
    def __init__(self, where: str):
        self.where = where

    # -- primitives
    def fail(self, key: str, msg: str) -> None:
        raise ProtocolError(f"key '{key}': {msg}", where=self.where)

    def table(self, data: Any, key: str, allowed: tuple[str, ...]) -> dict:
        if not isinstance(data, dict):
            self.fail(key, f"expected a table, got {_show(data)}")
        for k in data:
            if k not in allowed:
                near = difflib.get_close_matches(k, allowed, n=1)
                hint = f" (did you mean '{near[0]}'?)" if near else f" (allowed: {', '.join(allowed)})"
                self.fail(_join(key, k), f"unknown key{hint}")
        return data

    def get(self, data: dict, key: str, prefix: str, kind: str, *, required: bool = False, default: Any = None) -> Any:
        full = _join(prefix, key)
        if key not in data:
            if required:
                self.fail(full, f"missing (expected {_KIND_TEXT[kind]})")
            return default
        v = data[key]
        ok = {
            "str": lambda x: isinstance(x, str),
            "nonempty": lambda x: isinstance(x, str) and x.strip() != "",
            "int": lambda x: isinstance(x, int) and not isinstance(x, bool),
            "number": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
            "bool": lambda x: isinstance(x, bool),
            "strlist": lambda x: isinstance(x, list) and all(isinstance(i, str) and i.strip() for i in x),
        }[kind](v)
        if not ok:
            self.fail(full, f"expected {_KIND_TEXT[kind]}, got {_show(v)}")
        return tuple(v) if kind == "strlist" else v

    def choice(self, v: Any, key: str, options: tuple[str, ...]) -> Any:
        if v is not None and v not in options:
            self.fail(key, f"expected one of {', '.join(options)}, got {_show(v)}")
        return v

    def date(self, v: str | None, key: str) -> str | None:
        if v is not None:
            v = v.replace("-", "/")
            if not DATE_RE.match(v):
                self.fail(key, f"expected a date YYYY/MM/DD (or YYYY-MM-DD), got {_show(v)}")
        return v

    # -- sections
    def protocol(self, d: dict) -> Protocol:
        top = ("id", "title", "registration", "question", "people", "sources", "rules",
               "screening", "outcomes", "fields", "quality", "analyses")
        self.table(d, "", top)
        pid = self.get(d, "id", "", "nonempty", required=True)
        if not ID_RE.match(pid):
            self.fail("id", f"expected lower-case letters, digits, '-', '_' or '.', got {_show(pid)}")
        fields_ = self.fields(d.get("fields", []))
        names = {f.name for f in fields_}
        outcomes = self.outcomes(d.get("outcomes", []), names)
        people = self.people(d.get("people", {}))
        screening = self.screening(d.get("screening", {}))
        for name in screening.random_order_for:
            if name not in people.reviewers:
                self.fail("screening.random_order_for",
                          f"{name!r} is not one of the reviewers in [people] ({', '.join(people.reviewers) or 'none'})")
        return Protocol(
            id=pid,
            title=self.get(d, "title", "", "nonempty", required=True),
            registration=self.get(d, "registration", "", "str", default=""),
            question=self.get(d, "question", "", "str", default=""),
            people=people,
            sources=self.sources(d.get("sources", {})),
            rules=self.rules(d.get("rules", {})),
            screening=screening,
            outcomes=outcomes,
            fields=fields_,
            quality=self.quality(d.get("quality", {})),
            analyses=self.analyses(d.get("analyses", []), {o.name for o in outcomes}, names),
            path=self.where,
        )

    def people(self, d: Any) -> People:
        self.table(d, "people", ("reviewers", "adjudicators"))
        reviewers = self.get(d, "reviewers", "people", "strlist", default=())
        adjudicators = self.get(d, "adjudicators", "people", "strlist", default=())
        both = set(reviewers) & set(adjudicators)
        if both:
            self.fail("people", f"{', '.join(sorted(both))} cannot be both reviewer and adjudicator")
        return People(reviewers, adjudicators)

    def sources(self, d: Any) -> Sources:
        self.table(d, "sources", ("pubmed", "databases"))
        pubmed = None
        if "pubmed" in d:
            p = self.table(d["pubmed"], "sources.pubmed", ("query", "mindate", "maxdate", "datetype"))
            pubmed = PubMedSearch(
                query=self.get(p, "query", "sources.pubmed", "nonempty", required=True),
                mindate=self.date(self.get(p, "mindate", "sources.pubmed", "str"), "sources.pubmed.mindate"),
                maxdate=self.date(self.get(p, "maxdate", "sources.pubmed", "str"), "sources.pubmed.maxdate"),
                datetype=self.choice(self.get(p, "datetype", "sources.pubmed", "str", default="pdat"),
                                     "sources.pubmed.datetype", ("pdat", "edat", "mdat")),
            )
        dbs = []
        raw = d.get("databases", [])
        if not isinstance(raw, list):
            self.fail("sources.databases", f"expected an array of tables ([[sources.databases]]), got {_show(raw)}")
        from review.formats import FORMAT_NAMES  # the import formats known to review

        for i, item in enumerate(raw):
            key = f"sources.databases[{i}]"
            self.table(item, key, ("name", "format", "query", "searched", "files", "kind"))
            dbs.append(DatabaseSource(
                name=self.get(item, "name", key, "nonempty", required=True),
                format=self.choice(self.get(item, "format", key, "str", default="auto"), f"{key}.format",
                                   FORMAT_NAMES),
                query=self.get(item, "query", key, "str", default=""),
                searched=self.get(item, "searched", key, "str", default=""),
                files=self.get(item, "files", key, "strlist", default=()),
                kind=self.choice(self.get(item, "kind", key, "str", default="database"), f"{key}.kind",
                                 SOURCE_KINDS),
            ))
        return Sources(pubmed, tuple(dbs))

    def rules(self, d: Any) -> Rules:
        allowed = ("study_designs", "exclude_publication_types", "languages", "year_min",
                   "year_max", "min_impact_factor", "impact_factors", "impact_factor_kinds", "humans_only",
                   "prisma_other")
        self.table(d, "rules", allowed)
        mif = self.get(d, "min_impact_factor", "rules", "number")
        if mif is not None and mif < 0:
            self.fail("rules.min_impact_factor", f"expected a number >= 0, got {mif}")
        r = Rules(
            study_designs=self.get(d, "study_designs", "rules", "strlist", default=()),
            exclude_publication_types=self.get(d, "exclude_publication_types", "rules", "strlist", default=()),
            languages=self.get(d, "languages", "rules", "strlist", default=()),
            year_min=self.get(d, "year_min", "rules", "int"),
            year_max=self.get(d, "year_max", "rules", "int"),
            min_impact_factor=mif,
            impact_factors=self.get(d, "impact_factors", "rules", "str"),
            impact_factor_kinds=self.get(d, "impact_factor_kinds", "rules", "strlist", default=()),
            humans_only=self.get(d, "humans_only", "rules", "bool", default=False),
            prisma_other=self.get(d, "prisma_other", "rules", "strlist", default=()),
        )
        if r.year_min and r.year_max and r.year_min > r.year_max:
            self.fail("rules.year_min", f"expected a year <= rules.year_max ({r.year_max}), got {r.year_min}")
        self.rule_words(r)
        return r

    def rule_words(self, r: Rules) -> None:
        """Publication types, languages, metric kinds and rule ids must be known ones."""
        from review.journals import KINDS
        from review.rules import RULE_IDS, languages, types

        for name in r.exclude_publication_types:
            if types.protocol_type(name) is None:
                near = types.suggestions(name)
                self.fail("rules.exclude_publication_types",
                          f"unknown publication type {name!r}"
                          + (f" (did you mean {' or '.join(map(repr, near))}?)" if near else
                             " (PubMed's names, e.g. 'Review', 'Case Reports', 'Letter'; see docs/rules.md)"))
        for name in r.languages:
            if languages.code(name) is None:
                near = languages.suggestions(name)
                self.fail("rules.languages", f"unknown language {name!r}"
                          + (f" (did you mean {' or '.join(map(repr, near))}?)" if near else
                             " (a name such as 'English' or a code such as 'eng' or 'en')"))
        for kind in r.impact_factor_kinds:
            self.choice(kind, "rules.impact_factor_kinds", KINDS)
        for rule in r.prisma_other:
            self.choice(rule, "rules.prisma_other", RULE_IDS)

    def screening(self, d: Any) -> Screening:
        self.table(d, "screening", ("stages", "exclusion_reasons", "reviewers_per_record", "random_order_for",
                                    "include_terms", "exclude_terms"))
        stages = self.get(d, "stages", "screening", "strlist", default=("title_abstract", "full_text"))
        for s in stages:
            self.choice(s, "screening.stages", ("title_abstract", "full_text"))
        per = self.get(d, "reviewers_per_record", "screening", "int", default=2)
        if per not in (1, 2):
            self.fail("screening.reviewers_per_record", f"expected 1 or 2, got {per}")
        return Screening(stages, self.get(d, "exclusion_reasons", "screening", "strlist", default=()), per,
                         self.get(d, "random_order_for", "screening", "strlist", default=()),
                         self.get(d, "include_terms", "screening", "strlist", default=()),
                         self.get(d, "exclude_terms", "screening", "strlist", default=()))

    def fields(self, raw: Any) -> tuple[Field, ...]:
        if not isinstance(raw, list):
            self.fail("fields", f"expected an array of tables ([[fields]]), got {_show(raw)}")
        out, seen = [], set()
        for i, item in enumerate(raw):
            key = f"fields[{i}]"
            self.table(item, key, ("name", "label", "type", "choices", "required", "unit"))
            name = self.get(item, "name", key, "nonempty", required=True)
            if not NAME_RE.match(name):
                self.fail(f"{key}.name", f"expected an identifier (letters, digits, _), got {_show(name)}")
            if name in seen:
                self.fail(f"{key}.name", f"duplicate field name {_show(name)}")
            seen.add(name)
            ftype = self.choice(self.get(item, "type", key, "str", required=True), f"{key}.type", FIELD_TYPES)
            choices = self.get(item, "choices", key, "strlist", default=())
            if ftype == "choice" and not choices:
                self.fail(f"{key}.choices", "expected a non-empty list of strings for a choice field")
            if choices and ftype != "choice":
                self.fail(f"{key}.choices", f"only a field of type 'choice' takes choices (type is {ftype!r})")
            out.append(Field(name, self.get(item, "label", key, "str", default=name), ftype, choices,
                             self.get(item, "required", key, "bool", default=False),
                             self.get(item, "unit", key, "str", default="")))
        return tuple(out)

    def outcomes(self, raw: Any, field_names: set[str]) -> tuple[Outcome, ...]:
        if not isinstance(raw, list):
            self.fail("outcomes", f"expected an array of tables ([[outcomes]]), got {_show(raw)}")
        out, seen = [], set()
        for i, item in enumerate(raw):
            key = f"outcomes[{i}]"
            self.table(item, key, ("name", "label", "events", "percent", "n", "kind"))
            name = self.get(item, "name", key, "nonempty", required=True)
            if name.lower() in seen:
                self.fail(f"{key}.name", f"duplicate outcome name {_show(name)}")
            seen.add(name.lower())
            events = self.get(item, "events", key, "str")
            percent = self.get(item, "percent", key, "str")
            if (events is None) == (percent is None):
                self.fail(key, "expected exactly one of 'events' (a count field) or 'percent' (a percent field)")
            n = self.get(item, "n", key, "nonempty", required=True)
            for k, v in (("events", events), ("percent", percent), ("n", n)):
                if v is not None and v not in field_names:
                    self.fail(f"{key}.{k}", f"expected the name of a field in [[fields]], got {_show(v)}")
            out.append(Outcome(name, self.get(item, "label", key, "str", default=name), n, events, percent,
                               self.choice(self.get(item, "kind", key, "str", default="efficacy"),
                                           f"{key}.kind", ("efficacy", "safety"))))
        return tuple(out)

    def quality(self, d: Any) -> Quality:
        self.table(d, "quality", ("tool", "comparative"))
        return Quality(
            tool=self.choice(self.get(d, "tool", "quality", "str", default="MINORS"), "quality.tool", QUALITY_TOOLS),
            comparative=self.get(d, "comparative", "quality", "bool", default=False),
        )

    def analyses(self, raw: Any, outcome_names: set[str], field_names: set[str]) -> tuple[Analysis, ...]:
        if not isinstance(raw, list):
            self.fail("analyses", f"expected an array of tables ([[analyses]]), got {_show(raw)}")
        out = []
        for i, item in enumerate(raw):
            key = f"analyses[{i}]"
            self.table(item, key, ("name", "outcomes", "sm", "method", "method_tau", "subgroups", "hakn"))
            outs = self.get(item, "outcomes", key, "strlist", required=True)
            for o in outs:
                if o not in outcome_names:
                    self.fail(f"{key}.outcomes", f"expected names from [[outcomes]], got {_show(o)}")
            subs = self.get(item, "subgroups", key, "strlist", default=())
            for s in subs:
                if s not in field_names:
                    self.fail(f"{key}.subgroups", f"expected names of fields in [[fields]], got {_show(s)}")
            out.append(Analysis(
                name=self.get(item, "name", key, "str", default=f"analysis{i + 1}"),
                outcomes=outs,
                sm=self.choice(self.get(item, "sm", key, "str", default="PLOGIT"), f"{key}.sm", POOL_SMS),
                method=self.choice(self.get(item, "method", key, "str"), f"{key}.method", POOL_METHODS),
                method_tau=self.choice(self.get(item, "method_tau", key, "str"), f"{key}.method_tau", TAU_METHODS),
                subgroups=subs,
                hakn=self.get(item, "hakn", key, "bool", default=False),
            ))
        return tuple(out)


_KIND_TEXT = {
    "str": "a string",
    "nonempty": "a non-empty string",
    "int": "a whole number",
    "number": "a number",
    "bool": "true or false",
    "strlist": "a list of non-empty strings",
}


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _show(v: Any) -> str:
    if isinstance(v, dict):
        return "a table"
    if isinstance(v, list):
        return "a list"
    return repr(v)
