"""NoteExpress tagged text (``{Reference Type}: Journal Article``), as CNKI and
Wanfang write it: one tag per author/keyword (Wanfang) or values packed with
``;``/``;;`` (CNKI); ``{Translated Title}`` holds the English title; the
separator may be a full-width colon (``{Abstract}：``)."""

from __future__ import annotations

import re

from review.models import Record
from review.sources.fieldnorm import clean_doi, issns_of, split_packed, year_of
from review.sources.tagged import Syntax, TaggedRecord
from review.sources.text import has_cjk

SYNTAX = Syntax(
    name="NoteExpress",
    line=re.compile(r"^\{(?P<tag>[A-Za-z][A-Za-z /]*)\}\s*[:：]\s*(?P<value>.*)$"),
    start=frozenset({"Reference Type"}),
    fragment=re.compile(r"^\{[^}]*\}?\s*$"),
)


def to_record(rec: TaggedRecord, where: str) -> Record:
    """Map one NoteExpress record to a Record."""
    title = rec.first("Title")
    issns = issns_of(rec.first("ISBN/ISSN", "ISSN"))
    raw = {
        "type": rec.first("Reference Type"),
        "database": rec.first("Database Provider"),
        "translated_title": rec.first("Translated Title"),
        "translated_journal": rec.first("Translated Journal"),
        "translated_authors": "; ".join(split_packed(rec.all("Translated Author"))),
        "affiliation": "; ".join(split_packed(rec.all("Author Address"))),
    }
    return Record(
        title=title,
        abstract=rec.first("Abstract"),
        authors=split_packed(rec.all("Author")),
        year=year_of(rec.first("Year"), rec.first("Date")),
        journal=rec.first("Journal", "Secondary Title"),
        volume=rec.first("Volume"),
        issue=rec.first("Issue"),
        pages=rec.first("Pages"),
        doi=clean_doi(rec.first("DOI")),
        issn_print=issns[0] if issns else "",
        keywords=split_packed(rec.all("Keywords")),
        language=rec.first("Language") or ("chi" if has_cjk(title) else ""),
        url=rec.first("URL"),
        source_ref=f"{where}#{rec.number}",
        raw=tuple((k, v) for k, v in raw.items() if v),
    )
