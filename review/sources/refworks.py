"""RefWorks tagged text as CNKI writes it (``RT Journal Article``, ``SR 1``,
``A1 a;b;c``, ``DS CNKI``): no ``ER``; records start at ``RT``; a tag may be
glued to its value (``A1林行众``); lower-case ``vo`` for the volume."""

from __future__ import annotations

import re

from review.models import Record
from review.sources.fieldnorm import clean_doi, issns_of, split_packed, year_of
from review.sources.tagged import Syntax, TaggedRecord
from review.sources.text import has_cjk

TAGS = frozenset(
    "RT SR A1 A2 A3 A4 A5 AD T1 T2 T3 JF JO YR FD VO vo IS SP OP K1 AB NO SN PB PP ED CL DS"
    " LK DO UL LA WT WP AN CN ID OL U1 U2 U3 U4 U5 ST RD".split()
)

SYNTAX = Syntax(
    name="RefWorks",
    line=re.compile(r"^(?P<tag>[A-Za-z][A-Za-z0-9])(?: ?(?P<value>.*))?$"),
    start=frozenset({"RT"}),
    known=TAGS,
    fragment=re.compile(r"^[A-Za-z][A-Za-z0-9]?$"),
)


def to_record(rec: TaggedRecord, where: str) -> Record:
    """Map one RefWorks record to a Record."""
    title = rec.first("T1")
    issns = issns_of(rec.first("SN"))
    raw = {
        "type": rec.first("RT"),
        "database": rec.first("DS"),
        "affiliation": rec.first("AD"),
        "publisher": rec.first("PB"),
        "thesis_type": rec.first("CL"),
    }
    return Record(
        title=title,
        abstract=rec.first("AB"),
        authors=split_packed(rec.all("A1")),
        year=year_of(rec.first("YR"), rec.first("FD")),
        journal=rec.first("JF", "JO", "T2", "PB"),
        volume=rec.first("VO", "vo"),
        issue=rec.first("IS"),
        pages=rec.first("OP", "SP"),
        doi=clean_doi(rec.first("DO"), rec.first("LK") if "/doi/" in rec.first("LK") else ""),
        issn_print=issns[0] if issns else "",
        keywords=split_packed(rec.all("K1")),
        language=rec.first("LA") or ("chi" if has_cjk(title) else ""),
        url=rec.first("LK", "UL"),
        source_ref=f"{where}#{rec.number}",
        raw=tuple((k, v) for k, v in raw.items() if v),
    )
