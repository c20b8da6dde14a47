"""MEDLINE-tagged text: PubMed (.nbib, "Save > PubMed format", efetch
rettype=medline) and other databases writing the same tags (ERIC's
``OWN - ERIC`` files, with no PMID).

PubMed's records start with ``PMID-``; a file whose first field is ``OWN``
(the owner: ERIC, with no PMID) is read as records separated by blank lines. Continuation lines are
indented six spaces. A file cut off inside its last record is refused (see
review.sources.tagged.check_complete).
"""

from __future__ import annotations

import re
from typing import Iterator

from review.models import Record
from review.sources.fieldnorm import clean_doi, issns_of, pmid_of, split_packed, unique, year_of
from review.sources.tagged import Syntax, TaggedRecord, tokenize
from review.sources.text import decode

_LINE = re.compile(r"^(?P<tag>[A-Z][A-Z0-9]{1,3}) *-(?: (?P<value>.*))?$")
_FRAGMENT = re.compile(r"^[A-Z][A-Z0-9]{0,3}\s*-?$")
MEDLINE = Syntax(name="MEDLINE", line=_LINE, start=frozenset({"PMID"}), fragment=_FRAGMENT)
# ERIC and other non-PubMed MEDLINE-tagged files: records separated by blank lines
MEDLINE_BLOCKS = Syntax(name="MEDLINE", line=_LINE, start=frozenset({"PMID", "OWN"}),
                        blank_separates=True, fragment=_FRAGMENT)


def parse_medline(data: bytes, where: str) -> Iterator[Record]:
    """Records of a MEDLINE/.nbib file."""
    text = decode(data, where)
    first = next((m for m in map(_LINE.match, text.split("\n", 200)[:200]) if m), None)
    syntax = MEDLINE_BLOCKS if first is not None and first.group("tag") == "OWN" else MEDLINE
    for rec in tokenize(text, syntax, where):
        yield medline_record(rec, where)


# owners of PubMed citations (NLM and its partners); anything else names its database (ERIC)
_PUBMED_OWNERS = frozenset({"NLM", "PIP", "KIE", "NASA", "HMD", "HSR", "PubMed-not-MEDLINE"})


def _issn(rec: TaggedRecord, kind: str) -> str:
    for value in rec.all("IS"):
        if f"({kind})" in value:
            found = issns_of(value)
            if found:
                return found[0]
    return ""


def medline_record(rec: TaggedRecord, where: str) -> Record:
    """Map one tokenized MEDLINE record to a Record."""
    doi = next((clean_doi(v) for v in rec.all("LID", "AID") if v.endswith("[doi]")), "") \
        or clean_doi(*(v for v in rec.all("AID", "LID") if "doi" in v.lower()))  # ERIC: AID - http://dx.doi.org/...
    pmid = pmid_of(rec.first("PMID"))
    owner = rec.first("OWN")
    database = "PubMed" if pmid or not owner or owner in _PUBMED_OWNERS else owner
    print_issn = _issn(rec, "Print")
    electronic = _issn(rec, "Electronic")
    if not print_issn and not electronic:
        plain = issns_of(*rec.all("IS", "ISSN"))
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
        pmid=pmid,
        issn_print=print_issn,
        issn_electronic=electronic,
        issn_linking=_issn(rec, "Linking"),
        nlm_id=rec.first("JID"),
        publication_types=unique(rec.all("PT")),
        mesh=unique(rec.all("MH")),
        keywords=split_packed(rec.all("OT")),
        language=rec.first("LA"),
        source_ref=f"{where}#{rec.number}",
        url=next((v for v in rec.all("LID") if v.startswith("http")), ""),
        raw=tuple((k, v) for k, v in (("database", database), ("accession", rec.first("OID"))) if v),
    )
