"""RIS (Embase, Ovid, Scopus, ProQuest, PubMed/Zotero, EndNote-made).

Every record runs from ``TY  -`` to ``ER  -``; a record without its ``ER``
is an error naming the record and line. Handles a UTF-8 BOM, CRLF, a blank
first line, multi-line values and Ovid's numbered banners between records.
"""

from __future__ import annotations

import re
from typing import Iterator

from review.models import Record
from review.sources.fieldnorm import clean_doi, issns_of, page_range, pmid_of, split_packed, unique, year_of
from review.sources.tagged import Syntax, TaggedRecord, tokenize
from review.sources.text import decode

RIS = Syntax(
    name="RIS",
    line=re.compile(r"^(?P<tag>[A-Z][A-Z0-9]) {1,2}-(?: (?P<value>.*))?$"),
    start=frozenset({"TY"}),
    end="ER",
)

_PUBMED_DB = ("pubmed", "medline", "nlm")


def parse_ris(data: bytes, where: str) -> Iterator[Record]:
    """Records of a RIS file (BadInput naming file, record and line on error)."""
    for rec in tokenize(decode(data, where), RIS, where):
        yield ris_record(rec, where)


def ris_record(rec: TaggedRecord, where: str) -> Record:
    """Map one tokenized RIS record to a Record."""
    database = rec.first("DB", "DP")
    journal = rec.first("JF", "T2", "JO", "JA", "J2")
    abbrev = rec.first("J2", "JA") or next((j for j in rec.all("JO") if j != journal), "")
    start = rec.first("SP")
    issns = issns_of(*rec.all("SN"))
    accession = rec.first("AN")
    pmid = pmid_of(accession) if any(k in database.lower() for k in _PUBMED_DB) else ""
    raw = {"type": rec.first("TY"), "database": database, "accession": accession, "id": rec.first("ID")}
    return Record(
        title=rec.first("TI", "T1", "CT", "BT"),
        abstract=rec.first("AB", "N2"),
        authors=unique(rec.all("AU", "A1")),
        year=year_of(*rec.all("PY", "Y1", "DA")),
        journal=journal,
        journal_abbrev=abbrev,
        volume=rec.first("VL", "VO"),
        issue=rec.first("IS", "CP"),
        pages=start if "-" in start else page_range(start, rec.first("EP")),
        doi=clean_doi(*rec.all("DO", "M3", "L2", "UR")),
        pmid=pmid,
        issn_print=issns[0] if issns else "",
        issn_electronic=issns[1] if len(issns) > 1 else "",
        keywords=split_packed(rec.all("KW")),
        language=rec.first("LA"),
        url=rec.first("UR", "L2"),
        source_ref=f"{where}#{rec.number}",
        raw=tuple((k, v) for k, v in raw.items() if v),
    )
