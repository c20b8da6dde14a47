"""RIS (Embase, Ovid, Scopus, ProQuest, PsycINFO, PubMed/Zotero, EndNote-made).

Every record runs from ``TY  -`` to ``ER  -``; a record without its ``ER``
is an error naming the record and line. Handles a UTF-8 BOM, CRLF, a blank
first line, multi-line values, Ovid's numbered banners and link text between
records (also as an ``NL`` field after ``ER``), and APA PsycINFO's header
(``Database: PsycINFO``) and four-letter ``PMID`` tag.

The database a record comes from is its ``DB``/``DP`` field, else the file's
header, else the Ovid database code in Ovid's links (``D=medl``); see
review.importer.default_source for the source names made from it.
"""

from __future__ import annotations

import re
from typing import Iterator

from review.models import Record
from review.sources.fieldnorm import (central_id, clean_doi, page_range, pmid_in, print_and_electronic,
                                     split_packed, unique, year_of)
from review.sources.tagged import Syntax, TaggedRecord, tokenize
from review.sources.text import decode

RIS = Syntax(
    name="RIS",
    line=re.compile(r"^(?P<tag>[A-Z][A-Z0-9]|PMID) {1,2}-(?: (?P<value>.*))?$"),
    start=frozenset({"TY"}),
    end="ER",
    ignore=frozenset({"NL"}),  # Ovid: 'NL  - Link to the Ovid Full Text ...' after ER
)

_PUBMED_DB = ("pubmed", "medline", "nlm")
_HEADER_DB = re.compile(r"^Database:\s*(.+)$", re.M)  # APA PsycINFO's export header
# Ovid's database codes in its links ('ovidweb.cgi?...&D=medl&AN=...')
_OVID_LINK = re.compile(r"ovid\.com/ovidweb\.cgi\?[^\s]*?\bD=([a-z]+)", re.I)
OVID_CODES = (("medl", "Ovid MEDLINE"), ("mesz", "Ovid MEDLINE"), ("prem", "Ovid MEDLINE"),
              ("emed", "Embase (Ovid)"), ("emez", "Embase (Ovid)"), ("emex", "Embase (Ovid)"),
              ("oemez", "Embase (Ovid)"), ("psyc", "APA PsycInfo (Ovid)"), ("psyh", "APA PsycInfo (Ovid)"),
              ("cctr", "Cochrane CENTRAL (Ovid)"), ("coch", "Cochrane (Ovid)"), ("caba", "CAB Abstracts (Ovid)"),
              ("amed", "AMED (Ovid)"), ("cin", "CINAHL (Ovid)"))


def file_database(text: str) -> str:
    """The database a RIS file names outside its records: PsycINFO's header
    ('Database: PsycINFO'), else the Ovid database of its links ('Ovid' when
    the code is not one listed in OVID_CODES)."""
    head = text[: text.find("TY  -")] if "TY  -" in text else ""
    m = _HEADER_DB.search(head)
    if m:
        return m.group(1).strip()
    m = _OVID_LINK.search(text) if "ovidweb.cgi" in text else None
    if m:
        code = m.group(1).lower()
        return next((name for prefix, name in OVID_CODES if code.startswith(prefix)), "Ovid")
    return ""


def platform_of(links: tuple[str, ...]) -> str:
    """The platform a record was exported from, told by its links (ProQuest's docview URLs)."""
    for link in links:
        if ".com" in link:
            low = link.lower()
            for host, name in (("proquest.com", "ProQuest"), ("ovid.com", "Ovid"), ("ebscohost.com", "EBSCOhost")):
                if host in low:
                    return name
    return ""


def parse_ris(data: bytes, where: str) -> Iterator[Record]:
    """Records of a RIS file (BadInput naming file, record and line on error)."""
    text = decode(data, where)
    default_db = file_database(text)
    pmid_tags = "PMID  -" in text or "C5  -" in text
    platform = "Ovid" if "ovidweb.cgi" in text else ""  # Ovid's links, also for records naming their DB
    for rec in tokenize(text, RIS, where):
        yield ris_record(rec, where, default_db, pmid_tags, platform)


def ris_record(rec: TaggedRecord, where: str, default_db: str = "", pmid_tags: bool = True,
               file_platform: str = "") -> Record:
    """Map one tokenized RIS record to a Record (``default_db``: the file's database;
    ``pmid_tags``: False when the file has no PMID or C5 field, to skip looking;
    ``file_platform``: the platform the file's links name)."""
    database = rec.first("DB", "DP") or default_db
    journal = rec.first("JF", "T2", "JO", "JA", "J2")
    abbrev = rec.first("J2", "JA") or next((j for j in rec.all("JO") if j != journal), "")
    start = rec.first("SP")
    issn_print, issn_electronic = print_and_electronic(*rec.all("SN"))
    links = (*rec.all("DO", "M3", "L2", "UR"),)
    accession = rec.first("AN") or central_id(*links)
    if not database and accession.startswith("CN-"):
        database = "Cochrane CENTRAL"
    pubmed = any(k in database.lower() for k in _PUBMED_DB)
    pmid_tag = c5 = ""  # PsycINFO's 'PMID  -'; C5: EndNote's Custom 5
    for tag, value, _ in (rec.fields if pmid_tags else ()):
        if tag == "PMID" and value and not pmid_tag:
            pmid_tag = value
        elif tag == "C5" and value and not c5:
            c5 = value
    pmid = pmid_in(pmid_tag, pubmed=True) if pmid_tag else ""
    if not pmid and (accession or c5):
        pmid = pmid_in(accession, c5, pubmed=pubmed)
    abstract = rec.first("AB", "N2")
    if not database and "PsycINFO Database Record" in abstract:  # APA's copyright line
        database = "PsycINFO"
    raw = {"type": rec.first("TY"), "database": database, "platform": platform_of(links) or file_platform,
           "accession": accession,
           "id": rec.first("ID")}
    return Record(
        title=rec.first("TI", "T1", "CT", "BT"),
        abstract=abstract,
        authors=unique(rec.all("AU", "A1")),
        year=year_of(*rec.all("PY", "Y1", "DA")),
        journal=journal,
        journal_abbrev=abbrev,
        volume=rec.first("VL", "VO"),
        issue=rec.first("IS", "CP"),
        pages=start if "-" in start else page_range(start, rec.first("EP")),
        doi=clean_doi(*links),
        pmid=pmid,
        issn_print=issn_print,
        issn_electronic=issn_electronic,
        keywords=split_packed(rec.all("KW")),
        language=rec.first("LA"),
        url=rec.first("UR", "L2"),
        source_ref=f"{where}#{rec.number}",
        raw=tuple((k, v) for k, v in raw.items() if v),
    )
