"""Web of Science plain text ("FN Clarivate ... VR 1.0", records PT ... ER, EF).

Continuation lines are indented three spaces; for author and address tags
each continuation line is a new value.
"""

from __future__ import annotations

import re
from typing import Iterator

from review.models import Record
from review.sources.fieldnorm import clean_doi, issns_of, page_range, pmid_of, split_packed, unique, year_of
from review.sources.tagged import Syntax, TaggedRecord, tokenize
from review.sources.text import decode

WOS = Syntax(
    name="Web of Science",
    line=re.compile(r"^(?P<tag>[A-Z][A-Z0-9])(?: (?P<value>.*))?$"),
    start=frozenset({"PT"}),
    end="ER",
    ignore=frozenset({"FN", "VR", "EF"}),
    repeat=frozenset({"AU", "AF", "BA", "BF", "CA", "ED", "BE", "CR", "C1", "C3", "GP"}),
)


def parse_wos(data: bytes, where: str) -> Iterator[Record]:
    """Records of a Web of Science tagged export."""
    for rec in tokenize(decode(data, where), WOS, where):
        yield wos_record(rec, where)


def wos_record(rec: TaggedRecord, where: str) -> Record:
    """Map one tokenized WoS record to a Record."""
    issn = issns_of(rec.first("SN"))
    eissn = issns_of(rec.first("EI"))
    accession = rec.first("UT")
    return Record(
        title=rec.first("TI"),
        abstract=rec.first("AB"),
        authors=unique(rec.all("AF") or rec.all("AU")),
        year=year_of(rec.first("PY"), rec.first("EA"), rec.first("PD")),
        journal=rec.first("SO"),
        journal_abbrev=rec.first("JI", "J9"),
        volume=rec.first("VL"),
        issue=rec.first("IS"),
        pages=page_range(rec.first("BP"), rec.first("EP")) or rec.first("AR"),
        doi=clean_doi(rec.first("DI")),
        pmid=pmid_of(rec.first("PM")),
        issn_print=issn[0] if issn else "",
        issn_electronic=eissn[0] if eissn else "",
        publication_types=unique(rec.all("DT")),
        keywords=split_packed(rec.all("DE")),
        language=rec.first("LA"),
        source_ref=f"{where}#{rec.number}",
        raw=tuple((k, v) for k, v in (("database", "Web of Science"), ("accession", accession),
                                      ("keywords_plus", rec.first("ID"))) if v),
    )
