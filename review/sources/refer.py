"""EndNote/Refer tagged text (``%0 Journal Article``, ``%A``, ``%T`` ...): as CNKI
and Wanfang write it (records separated by blank lines, authors one per ``%A``
line or packed with ``;``, keywords packed with ``;;``, ``%W CNKI``), and as
EndNote and many databases export it (``BLOCKS``: a blank line ends a record).
A PMID is read from ``%M`` (accession number) or ``%#`` (Custom 5) when it is
labelled ``PMID`` or the record comes from PubMed/MEDLINE."""

from __future__ import annotations

import re
from dataclasses import replace

from review.models import Record
from review.sources.fieldnorm import central_id, clean_doi, issns_of, pmid_in, split_packed, year_of
from review.sources.tagged import Syntax, TaggedRecord
from review.sources.text import has_cjk

SYNTAX = Syntax(
    name="EndNote/Refer",
    line=re.compile(r"^%(?P<tag>[0-9A-Z@+?!#$&()*<>^~|\]\[=-])(?: ?(?P<value>.*))?$"),
    start=frozenset({"0"}),
    fragment=re.compile(r"^%\S?$"),
)
# EndNote's tagged export (.enl/.txt, "Refer/BibIX"): records separated by blank lines,
# '%0' not always first (AIS eLibrary writes '%T' first) or missing.
BLOCKS = replace(SYNTAX, name="EndNote tagged", blank_separates=True)
PUBMED_DB = ("pubmed", "medline", "nlm")


def to_record(rec: TaggedRecord, where: str) -> Record:
    """Map one Refer record to a Record."""
    title = rec.first("T")
    issns = issns_of(rec.first("@"))
    database = rec.first("~", "W")  # EndNote: %~ name of database, %W database provider
    accession = rec.first("M")
    pubmed = any(k in f"{rec.first('~')} {rec.first('W')}".lower() for k in PUBMED_DB)
    links = (rec.first("R"), rec.first("U"))
    raw = {
        "type": rec.first("0"),
        "database": database,
        "accession": accession or central_id(*links),
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
        pmid=pmid_in(accession, rec.first("#"), pubmed=pubmed),  # %# is EndNote's Custom 5
        issn_print=issns[0] if issns else "",
        keywords=split_packed(rec.all("K")),
        language=rec.first("G") or ("chi" if has_cjk(title) else ""),
        url=rec.first("U"),
        source_ref=f"{where}#{rec.number}",
        raw=tuple((k, v) for k, v in raw.items() if v),
    )
