"""PubMed MEDLINE text (.nbib, "Save > PubMed format", efetch rettype=medline).

Records start with ``PMID-``; continuation lines are indented six spaces.
"""

from __future__ import annotations

import re
from typing import Iterator

from review.models import Record
from review.sources.fieldnorm import clean_doi, issns_of, pmid_of, split_packed, unique, year_of
from review.sources.tagged import Syntax, TaggedRecord, tokenize
from review.sources.text import decode

MEDLINE = Syntax(
    name="MEDLINE",
    line=re.compile(r"^(?P<tag>[A-Z][A-Z0-9]{1,3}) *-(?: (?P<value>.*))?$"),
    start=frozenset({"PMID"}),
)


def parse_medline(data: bytes, where: str) -> Iterator[Record]:
    """Records of a MEDLINE/.nbib file."""
    for rec in tokenize(decode(data, where), MEDLINE, where):
        yield medline_record(rec, where)


def _issn(rec: TaggedRecord, kind: str) -> str:
    for value in rec.all("IS"):
        if f"({kind})" in value:
            found = issns_of(value)
            if found:
                return found[0]
    return ""


def medline_record(rec: TaggedRecord, where: str) -> Record:
    """Map one tokenized MEDLINE record to a Record."""
    doi = next((clean_doi(v) for v in rec.all("LID", "AID") if v.endswith("[doi]")), "")
    print_issn = _issn(rec, "Print")
    electronic = _issn(rec, "Electronic")
    if not print_issn and not electronic:
        plain = issns_of(*rec.all("IS"))
        print_issn = plain[0] if plain else ""
    return Record(
        title=rec.first("TI", "BTI"),
        abstract=rec.first("AB"),
        authors=unique(rec.all("FAU") or rec.all("AU")),
        year=year_of(rec.first("DP")),
        journal=rec.first("JT"),
        journal_abbrev=rec.first("TA"),
        volume=rec.first("VI"),
        issue=rec.first("IP"),
        pages=rec.first("PG"),
        doi=doi,
        pmid=pmid_of(rec.first("PMID")),
        issn_print=print_issn,
        issn_electronic=electronic,
        issn_linking=_issn(rec, "Linking"),
        nlm_id=rec.first("JID"),
        publication_types=unique(rec.all("PT")),
        mesh=unique(rec.all("MH")),
        keywords=split_packed(rec.all("OT")),
        language=rec.first("LA"),
        source_ref=f"{where}#{rec.number}",
        raw=(("database", "PubMed"),),
    )
