"""Plain data types shared by the core: what a bibliographic record holds.

Parsers yield ``Record``s; the database stores them with their provenance;
deduplication compares them. Nothing here touches the database or a UI.
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
