"""CNKI E-Study (知网研学) custom export: ``DataType: 1`` starts a record, then
``Title-题名: ...``, ``Author-作者: a;b;``, ``Summary-摘要: ...``; the tag is the
English word before the hyphen."""

from __future__ import annotations

import re

from review.models import Record
from review.sources.fieldnorm import clean_doi, issns_of, split_packed, year_of
from review.sources.tagged import Syntax, TaggedRecord

SYNTAX = Syntax(
    name="CNKI E-Study",
    line=re.compile(
        r"^(?P<tag>DataType(?=\s*[:：])|[A-Za-z]+(?=-[^:：\s]*[\u3400-\u9fff]))"
        r"(?:-[^:：\s]*)?\s*[:：] ?(?P<value>.*)$"
    ),
    start=frozenset({"DataType"}),
    fragment=re.compile(r"^(?:DataType|[A-Z][A-Za-z]*(?:-[^:：\s]*)?)$"),
)


def to_record(rec: TaggedRecord, where: str) -> Record:
    """Map one E-Study record to a Record."""
    issns = issns_of(rec.first("ISSN"))
    raw = {
        "type": rec.first("DataType"),
        "database": "CNKI",
        "cnki_database": rec.first("SrcDatabase"),
        "affiliation": rec.first("Organ"),
        "published": rec.first("PubTime"),
    }
    return Record(
        title=rec.first("Title"),
        abstract=rec.first("Summary"),
        authors=split_packed(rec.all("Author")),
        year=year_of(rec.first("Year"), rec.first("PubTime")),
        journal=rec.first("Source"),
        volume=rec.first("Roll"),
        issue=rec.first("Period"),
        pages=rec.first("Page"),
        doi=clean_doi(rec.first("DOI")),
        issn_print=issns[0] if issns else "",
        keywords=split_packed(rec.all("Keyword")),
        language="chi",
        url=rec.first("Link"),
        source_ref=f"{where}#{rec.number}",
        raw=tuple((k, v) for k, v in raw.items() if v),
    )
