"""Which metric applies to a record, and how it was found.

A record is matched to metric-file journals by its identifiers first, in this
order: ISSN (print), eISSN, ISSN-L, NLM id (given by a metric file, or learnt
from other records of the project that share the NLM id and matched by
ISSN); then by name: the record's journal title against the files' titles,
then against their abbreviations (JCR's ``J HEMATOL ONCOL``), then as an
ISO 4 / NLM abbreviation of a full title (``names.abbreviation_match``); the
record's abbreviation field likewise. A title match is refused when the
record and the journal both have ISSNs and none agree.

Of the metrics of the journals found, the lookup takes the preferred kind
(``KINDS`` order unless told), then the latest year, then the latest import.
Journals found through the same record's identifiers are one journal; if
their chosen values differ the match is *ambiguous*. Journals found by name
are grouped by shared ISSNs; several groups whose chosen values differ make
the match ambiguous too. Ambiguous matches are reported, never guessed.

Everything is loaded in a few queries and resolved with dictionaries, once
per distinct (identifiers, names) signature, so a project of 100,000 records
against 20,000 journals takes about a second (``bench/bench_journals.py``).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Collection, Iterable, NamedTuple, Sequence

from review.errors import BadInput
from review.journals import KINDS
from review.journals.issn import find_issns
from review.journals.names import (abbreviation_match, abbreviation_readings, initials, is_cjk,
                                   significant_words, title_key)

LABELS = ("issn", "eissn", "issnl", "nlm", "title", "abbrev")
NO_JOURNAL, UNMATCHED, NO_VALUE, AMBIGUOUS = "no_journal", "unmatched", "no_value", "ambiguous"


class Metric(NamedTuple):
    """One stored value with where it came from (a tuple: tens of thousands are loaded)."""

    journal_id: int
    kind: str
    year: int
    value: float | None
    qualifier: str
    import_id: int
    source: str
    line: int | None
    raw: str

    def rank(self, prio: dict[str, int]) -> tuple[int, int, int]:
        """Smaller is preferred: kind order, then latest year, then latest import."""
        return (prio[self.kind], -self.year, -self.import_id)


@dataclass(frozen=True, slots=True)
class Match:
    """The metric that applies to a record (or why none does).

    ``value`` None means no metric: ``reason`` says why (``no_journal``: the
    record names no journal and has no ISSN; ``unmatched``: nothing in the
    metric files fits; ``no_value``: the journal is listed without a value,
    e.g. JCR's N/A; ``ambiguous``: several journals fit with different values,
    listed in ``candidates``). ``qualifier`` '<' means the true value is below
    ``value`` (JCR's ``<0.1``).
    """

    value: float | None = None
    qualifier: str = ""
    kind: str | None = None
    year: int | None = None
    source: str | None = None
    line: int | None = None
    matched_by: str | None = None
    key: str = ""
    journal_id: int | None = None
    journal: str = ""
    reason: str | None = None
    detail: str = ""
    candidates: tuple[dict, ...] = ()

    @property
    def found(self) -> bool:
        return self.value is not None

    def to_json(self) -> dict:
        d = asdict(self)
        d["candidates"] = list(self.candidates)
        return d


# A unit's signature: its identifiers ((label, key), ...) in LABELS order and
# its names ((field, name), ...), field 'journal' or 'abbrev'.
Signature = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]


class JournalIndex:
    """The project's journals and metrics, held in dictionaries for lookups."""

    def __init__(self, journals: Sequence[tuple], issns: Sequence[tuple], metrics: Sequence[tuple],
                 kinds: Sequence[str] = KINDS):
        unknown = [k for k in kinds if k not in KINDS]
        if unknown or not kinds:
            raise BadInput(f"unknown metric kind(s) {unknown} (known: {', '.join(KINDS)})")
        self.prio = {k: i for i, k in enumerate(kinds)}
        self.title: dict[int, str] = {}
        self.by_title: dict[str, list[int]] = defaultdict(list)
        self.by_abbrev: dict[str, list[int]] = defaultdict(list)
        self.by_nlm: dict[str, list[int]] = defaultdict(list)
        self.by_initials: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
        self.tkey: dict[int, str] = {}
        for jid, title, tkey, abbrev, nlm in journals:
            self.title[jid] = title
            self.tkey[jid] = tkey
            if tkey:
                self.by_title[tkey].append(jid)
                words = significant_words(tkey)
                if words and not is_cjk(tkey):
                    self.by_initials[initials(words)].append((jid, words))
            akey = title_key(abbrev)
            if akey and akey != tkey:
                self.by_abbrev[akey].append(jid)
            if nlm:
                self.by_nlm[nlm.strip()].append(jid)
        self.issns: dict[int, set[str]] = defaultdict(set)
        self.by_issn: dict[str, list[int]] = defaultdict(list)
        for jid, issn in issns:
            self.issns[jid].add(issn)
            self.by_issn[issn].append(jid)
        self.metrics: dict[int, list[Metric]] = defaultdict(list)
        for row in metrics:
            self.metrics[row[0]].append(Metric._make(row))
        # Each journal's preferred usable values (all rows sharing its best rank),
        # and whether they agree.
        self.top: dict[int, list[Metric]] = {}
        self.agrees: dict[int, bool] = {}
        for jid, ms in self.metrics.items():
            usable = [m for m in ms if m.value is not None and m.kind in self.prio]
            if usable:
                best = min(m.rank(self.prio) for m in usable)
                top = self.top[jid] = [m for m in usable if m.rank(self.prio) == best]
                self.agrees[jid] = len({(m.value, m.qualifier) for m in top}) == 1
        self._iso_cache: dict[str, list[int]] = {}

    @classmethod
    def load(cls, conn: sqlite3.Connection, kinds: Sequence[str] = KINDS) -> "JournalIndex":
        from review.db import journals as jdb

        return cls(jdb.journal_rows(conn), jdb.issn_rows(conn), jdb.metric_rows(conn), kinds)

    # -- choosing among journals ----------------------------------------------------------

    def _choose(self, jids: Collection[int]) -> tuple[Metric | None, list[Metric]]:
        """The preferred value among journals taken as one journal; the second
        item lists the rows that tie on rank but disagree (ambiguity)."""
        if len(jids) == 1:  # the common case, precomputed
            j = next(iter(jids))
            top = self.top.get(j)
            if not top:
                return None, []
            return (top[0], []) if self.agrees[j] else (None, list(top))
        best, rows = None, []
        for j in jids:
            top = self.top.get(j)
            if not top:
                continue
            r = top[0].rank(self.prio)
            if best is None or r < best:
                best, rows = r, list(top)
            elif r == best:
                rows.extend(top)
        if not rows:
            return None, []
        if len({(m.value, m.qualifier) for m in rows}) > 1:
            return None, rows
        return rows[0], []

    def _candidate(self, m: Metric) -> dict:
        return {"journal_id": m.journal_id, "journal": self.title.get(m.journal_id, ""),
                "issns": sorted(self.issns.get(m.journal_id, ())), "value": m.value,
                "qualifier": m.qualifier, "kind": m.kind, "year": m.year, "source": m.source,
                "line": m.line}

    def _found(self, m: Metric, label: str, key: str) -> Match:
        return Match(m.value, m.qualifier, m.kind, m.year, m.source, m.line, label, key,
                     m.journal_id, self.title.get(m.journal_id, ""))

    def _ambiguous(self, rows: list[Metric], label: str, key: str, why: str) -> Match:
        cands = tuple(sorted((self._candidate(m) for m in rows), key=lambda c: c["journal_id"]))
        shown = "; ".join(f"{c['journal']} {c['qualifier']}{c['value']:g} ({c['kind']} {c['year']}, "
                          f"{c['source']})" for c in cands)
        return Match(matched_by=label, key=key, reason=AMBIGUOUS, candidates=cands,
                     detail=f"{why}, with different values: {shown}")

    def _no_value(self, jids: list[int], label: str, key: str) -> Match:
        j = jids[0]
        rows = [m for jj in jids for m in self.metrics.get(jj, ())]
        other = sorted({m.kind for m in rows if m.value is not None})
        if other:
            why = f"has no value of the kinds asked for ({', '.join(self.prio)}), only {', '.join(other)}"
        else:
            listed = sorted({f"{m.source} ({m.year})" for m in rows})
            why = f"is listed without a value in {', '.join(listed) or 'the metric files'}"
        return Match(matched_by=label, key=key, journal_id=j, journal=self.title.get(j, ""),
                     reason=NO_VALUE, detail=f"{self.title.get(j, '')!r} {why}")

    # -- by identifiers ----------------------------------------------------------------

    def by_identifiers(self, idents: Sequence[tuple[str, str]],
                       nlm_learnt: dict[str, set[int]] | None = None) -> Match | None:
        """Journals reached by the record's ISSNs and NLM id; None when none is."""
        hits: dict[int, tuple[str, str]] = {}
        for label, key in idents:
            if label == "nlm":
                js = self.by_nlm.get(key, ())
                if nlm_learnt and key in nlm_learnt:
                    js = [*js, *sorted(nlm_learnt[key])]
            else:
                js = self.by_issn.get(key, ())
            for j in js:
                hits.setdefault(j, (label, key))
        if not hits:
            return None
        m, tied = self._choose(hits)
        first_label, first_key = next(iter(hits.values()))
        if tied:
            return self._ambiguous(tied, first_label, first_key,
                                   "the record's identifiers lead to more than one journal")
        if m is None:
            return self._no_value(list(hits), first_label, first_key)
        return self._found(m, *hits[m.journal_id])

    # -- by names ----------------------------------------------------------------------

    def iso_candidates(self, key: str) -> list[int]:
        """Journals whose full title ``key`` abbreviates (best tier only)."""
        got = self._iso_cache.get(key)
        if got is None:
            got, best = [], 0
            if not is_cjk(key) and len(key.split()) > 1:  # a one-word name is never an abbreviation here
                for reading in abbreviation_readings(key):
                    for jid, words in self.by_initials.get(initials(reading), ()):
                        tier = abbreviation_match(reading, words)
                        if tier > best:
                            got, best = [jid], tier
                        elif tier and tier == best and jid not in got:
                            got.append(jid)
            self._iso_cache[key] = got
        return got

    def _clusters(self, jids: list[int]) -> list[list[int]]:
        """Journals that share an ISSN are one journal; a journal listed without
        ISSNs (JCR's classic export) joins the one journal with ISSNs that has
        its exact title, when there is exactly one."""
        parent = {j: j for j in jids}

        def root(j: int) -> int:
            while parent[j] != j:
                parent[j] = parent[parent[j]]
                j = parent[j]
            return j

        owner: dict[str, int] = {}
        for j in jids:
            for issn in self.issns.get(j, ()):
                if issn in owner:
                    parent[root(j)] = root(owner[issn])
                else:
                    owner[issn] = j
        with_issns: dict[str, set[int]] = defaultdict(set)
        for j in jids:
            if self.issns.get(j):
                with_issns[self.tkey.get(j, "")].add(root(j))
        for j in jids:
            if not self.issns.get(j):
                roots = with_issns.get(self.tkey.get(j, ""), set())
                if len(roots) == 1:
                    parent[j] = next(iter(roots))
        groups: dict[int, list[int]] = defaultdict(list)
        for j in jids:
            groups[root(j)].append(j)
        return list(groups.values())

    def _by_name_step(self, jids: list[int], label: str, key: str) -> Match:
        picks: list[Metric] = []
        for cluster in self._clusters(jids):
            m, tied = self._choose(cluster)
            if tied:
                return self._ambiguous(tied, label, key, f"{key!r} names more than one journal")
            if m is not None:
                picks.append(m)
        if not picks:
            return self._no_value(jids, label, key)
        kind = min(picks, key=lambda m: self.prio[m.kind]).kind
        picks = [m for m in picks if m.kind == kind]
        if len({(m.value, m.qualifier) for m in picks}) > 1:
            return self._ambiguous(picks, label, key, f"{key!r} names more than one journal")
        return self._found(picks[0], label, key)

    def by_names(self, names: Sequence[tuple[str, str]], record_issns: set[str]) -> tuple[Match | None, str]:
        """Journals found by name; the second item explains refused candidates.

        A step that finds several journals with different values is ambiguous
        unless a later, stricter step (an abbreviation of the full title, the
        record's other name field) picks one of those same journals."""
        refused, no_value, ambiguous = "", None, None
        for field, name in names:
            key = title_key(name)
            if not key:
                continue
            steps = ((self.by_title.get(key, ()), "title" if field == "journal" else "abbrev"),
                     (self.by_abbrev.get(key, ()), "abbrev"),
                     (None, "abbrev"))
            for jids, label in steps:
                if jids is None:
                    jids = self.iso_candidates(key)
                if not jids:
                    continue
                ok = [j for j in jids if not (record_issns and self.issns.get(j)
                                              and not (record_issns & self.issns[j]))]
                if not ok:
                    j = jids[0]
                    refused = refused or (f"{name!r} fits {self.title.get(j, '')!r}, but its ISSNs "
                                          f"({', '.join(sorted(self.issns[j]))}) differ from the record's")
                    continue
                m = self._by_name_step(ok, label, name)
                if m.found:
                    if ambiguous is None or m.journal_id in {c["journal_id"] for c in ambiguous.candidates}:
                        return m, refused
                elif m.reason == AMBIGUOUS:
                    ambiguous = ambiguous or m
                else:
                    no_value = no_value or m
        return ambiguous or no_value, refused


def signature(rows: Iterable[Sequence]) -> Signature:
    """Identifiers and names of records (rows as ``review.db.journals.record_rows``),
    pooled: a duplicate group is matched on what all its copies say."""
    rows = list(rows)
    if len(rows) == 1:
        return _signature_one(rows[0])
    idents: list[tuple[str, str]] = []
    seen: set[str] = set()
    for label, col in (("issn", 2), ("eissn", 3), ("issnl", 4)):
        for r in rows:
            for issn in find_issns(r[col] or ""):
                if issn not in seen:
                    seen.add(issn)
                    idents.append((label, issn))
    for r in rows:
        nlm = (r[5] or "").strip()
        if nlm and ("nlm", nlm) not in idents:
            idents.append(("nlm", nlm))
    names: list[tuple[str, str]] = []
    keys: set[tuple[str, str]] = set()
    for field, col in (("journal", 6), ("abbrev", 7)):
        for r in rows:
            name = (r[col] or "").strip()
            if name and (field, title_key(name)) not in keys:
                keys.add((field, title_key(name)))
                names.append((field, name))
    return tuple(idents), tuple(names)


def _signature_one(r: Sequence) -> Signature:
    """``signature`` of a lone record (the common case, kept quick)."""
    idents: list[tuple[str, str]] = []
    for label, value in (("issn", r[2]), ("eissn", r[3]), ("issnl", r[4])):
        if value:
            for issn in find_issns(value):
                if not any(issn == k for _, k in idents):
                    idents.append((label, issn))
    nlm = (r[5] or "").strip()
    if nlm:
        idents.append(("nlm", nlm))
    journal, abbrev = (r[6] or "").strip(), (r[7] or "").strip()
    names = (("journal", journal),) * bool(journal) + (("abbrev", abbrev),) * bool(abbrev)
    return tuple(idents), names


def resolve(index: JournalIndex, sigs: Sequence[Signature]) -> list[Match]:
    """Match distinct signatures (the result is in their order): identifiers
    first; then NLM ids learnt from records that matched by ISSN; then names."""
    out = [index.by_identifiers(sig[0]) or UNMATCHED_PLACEHOLDER for sig in sigs]
    learnt: dict[str, set[int]] = defaultdict(set)
    for sig, m in zip(sigs, out):
        if m.found and m.matched_by in ("issn", "eissn", "issnl"):
            for label, key in sig[0]:
                if label == "nlm":
                    learnt[key].add(m.journal_id)
    for i, (sig, m) in enumerate(zip(sigs, out)):
        if m.found or m.reason == AMBIGUOUS:
            continue
        idents, names = sig
        nlms = [(lbl, k) for lbl, k in idents if lbl == "nlm" and k in learnt]
        if nlms:
            m2 = index.by_identifiers(nlms, learnt)
            if m2 is not None and (m2.found or m2.reason == AMBIGUOUS):
                out[i] = m2
                continue
        issns = {k for lbl, k in idents if lbl != "nlm"}
        by_name, refused = index.by_names(names, issns)
        if by_name is not None and (by_name.found or by_name.reason == AMBIGUOUS):
            out[i] = by_name
        elif m.reason == NO_VALUE:
            continue  # the identifiers found the journal: it has no value
        elif by_name is not None:
            out[i] = by_name  # found by name, listed without a value
        elif not idents and not names:
            out[i] = Match(reason=NO_JOURNAL, detail="the record names no journal and has no ISSN")
        else:
            out[i] = Match(reason=UNMATCHED, detail=_unmatched_detail(idents, names, refused))
    return out


UNMATCHED_PLACEHOLDER = Match(reason=UNMATCHED)


def _unmatched_detail(idents, names, refused: str) -> str:
    issns = [k for lbl, k in idents if lbl != "nlm"]
    nlms = [k for lbl, k in idents if lbl == "nlm"]
    parts = [f"ISSN {', '.join(issns)} in no metric file" if issns else "no ISSN"]
    if nlms:
        parts.append(f"NLM id {', '.join(nlms)} not known from any file or matched record")
    parts.append(f"no title match for {names[0][1]!r}" if names else "no journal name")
    return "; ".join(parts) + (f" ({refused})" if refused else "")


# -- the API for the rules engine ---------------------------------------------------------


def units(conn: sqlite3.Connection, ids: Iterable[int] | None = None) -> dict[int, list[tuple]]:
    """Unit id -> its records' rows. Without ``ids``: every active screening
    unit (a duplicate group, review/db/units.py). With ``ids`` (record ids):
    record id -> the rows of its whole unit."""
    from review.db import journals as jdb

    rows = jdb.record_rows(conn)
    groups: dict[int, list[tuple]] = defaultdict(list)
    group_of: dict[int, int] = {}
    for r in rows:
        groups[r[1]].append(r)
        group_of[r[0]] = r[1]
    if ids is None:
        return dict(groups)
    out = {}
    for i in ids:
        g = group_of.get(int(i))
        if g is None:
            raise BadInput(f"no record {i} in the project", where=f"record {i}")
        out[int(i)] = groups[g]
    return out


def match_units(index: JournalIndex, unit_rows: dict[int, list[tuple]]) -> dict[int, Match]:
    """Match units given as their records' rows (``units``), once per distinct
    signature."""
    slot_of_fields: dict[tuple, int] = {}  # a lone record's journal fields -> its signature's slot
    slot_of_sig: dict[Signature, int] = {}
    sigs: list[Signature] = []
    slots: dict[int, int] = {}

    def slot(sig: Signature) -> int:
        k = slot_of_sig.get(sig)
        if k is None:
            k = slot_of_sig[sig] = len(sigs)
            sigs.append(sig)
        return k

    for u, rows in unit_rows.items():
        if len(rows) == 1:
            fields = rows[0][2:8]
            k = slot_of_fields.get(fields)
            if k is None:
                k = slot_of_fields[fields] = slot(_signature_one(rows[0]))
        else:
            k = slot(signature(rows))
        slots[u] = k
    matches = resolve(index, sigs)
    return {u: matches[k] for u, k in slots.items()}


def metrics_for_units(conn: sqlite3.Connection, ids: Iterable[int] | None = None, *,
                      kinds: Sequence[str] = KINDS, index: JournalIndex | None = None) -> dict[int, Match]:
    """The metric of every screening unit (duplicate group) of the project:
    unit id -> Match; or of the given record ids (each standing for its
    unit): record id -> Match.

    ``kinds`` restricts and orders the kinds of metric accepted (default: JIF,
    user figures, SCImago cites per document, OpenAlex).
    """
    index = index or JournalIndex.load(conn, kinds)
    return match_units(index, units(conn, ids))


def metrics_for_records(conn: sqlite3.Connection, ids: Iterable[int] | None = None, *,
                        kinds: Sequence[str] = KINDS, index: JournalIndex | None = None) -> dict[int, Match]:
    """Like ``metrics_for_units`` but each record on its own fields alone."""
    from review.db import journals as jdb

    index = index or JournalIndex.load(conn, kinds)
    by_id = {r[0]: [r] for r in jdb.record_rows(conn)}
    if ids is not None:
        missing = [i for i in ids if int(i) not in by_id]
        if missing:
            raise BadInput(f"no record {missing[0]} in the project", where=f"record {missing[0]}")
        by_id = {int(i): by_id[int(i)] for i in ids}
    return match_units(index, by_id)


def summary(matches: dict[int, Match]) -> dict:
    """How many units matched by each key, and why the others did not."""
    by_key = {label: 0 for label in LABELS}
    reasons = {r: 0 for r in (NO_VALUE, AMBIGUOUS, UNMATCHED, NO_JOURNAL)}
    kinds: dict[str, int] = defaultdict(int)
    for m in matches.values():
        if m.found:
            by_key[m.matched_by] += 1
            kinds[m.kind] += 1
        else:
            reasons[m.reason] += 1
    return {"units": len(matches), "with_metric": sum(by_key.values()), "matched_by": by_key,
            "kinds": dict(kinds), "without_metric": reasons}
