"""EndNote/Refer tagged text (``%0 Journal Article``, ``%A``, ``%T`` ...), as CNKI
and Wanfang write it: records separated by blank lines, authors one per ``%A``
line or packed with ``;``, keywords packed with ``;;``, ``%W CNKI``."""

from __future__ import annotations

import re

from review.models import Record
from review.sources.fieldnorm import clean_doi, issns_of, split_packed, year_of
from review.sources.tagged import Syntax, TaggedRecord
from review.sources.text import has_cjk

SYNTAX = Syntax(
    name="EndNote/Refer",
    line=re.compile(r"^%(?P<tag>[0-9A-Z@+?!#$&()*<>^~|\]\[=-])(?: ?(?P<value>.*))?$"),
    start=frozenset({"0"}),
)


def to_record(rec: TaggedRecord, where: str) -> Record:
    """Map one Refer record to a Record."""
    title = rec.first("T")
    issns = issns_of(rec.first("@"))
    raw = {
        "type": rec.first("0"),
        "database": rec.first("W"),
        "affiliation": rec.first("+"),
        "thesis_type": rec.first("9"),
        "secondary_title": rec.first("B"),
    }
    return Record(
        title=title,
        abstract=rec.first("X"),
        authors=split_packed(rec.all("A")),
        year=year_of(rec.first("D")),
        journal=rec.first("J", "B"),
        volume=rec.first("V"),
        issue=rec.first("N"),
        pages=rec.first("P"),
        doi=clean_doi(rec.first("R"), rec.first("U") if "doi" in rec.first("U") else ""),
        issn_print=issns[0] if issns else "",
        keywords=split_packed(rec.all("K")),
        language=rec.first("G") or ("chi" if has_cjk(title) else ""),
        url=rec.first("U"),
        source_ref=f"{where}#{rec.number}",
        raw=tuple((k, v) for k, v in raw.items() if v),
    )
