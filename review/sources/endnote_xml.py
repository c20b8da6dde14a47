"""EndNote XML export (``<xml><records><record>...``), single-line or
pretty-printed, with ``<style face=...>`` wrappers around the text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Iterator

from review.errors import BadInput
from review.models import Record
from review.sources.fieldnorm import clean_doi, issns_of, pmid_of, split_packed, unique, year_of
from review.sources.text import decode

_SPACE = re.compile(r"\s+")


def _text(elem: ET.Element | None) -> str:
    if elem is None:
        return ""
    return _SPACE.sub(" ", "".join(elem.itertext())).strip()


def _all(rec: ET.Element, path: str) -> list[str]:
    return [t for t in (_text(e) for e in rec.findall(path)) if t]


def parse_endnote_xml(data: bytes, where: str) -> Iterator[Record]:
    """Records of an EndNote XML file (BadInput with the line of a parse error)."""
    text = decode(data, where)
    try:
        root = ET.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1))
    except ET.ParseError as exc:
        line, col = exc.position
        reason = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise BadInput(f"the XML ends early or is damaged ({reason}) at line {line}, column {col}",
                       where=where) from None
    records = root.findall("./records/record") if root.tag == "xml" else root.findall(".//record")
    if not records:
        raise BadInput("no EndNote XML <record> elements found", where=where)
    for n, rec in enumerate(records, 1):
        yield _record(rec, n, where)


def _record(rec: ET.Element, n: int, where: str) -> Record:
    ref_type = rec.find("ref-type")
    issns = issns_of(*_all(rec, "isbn"))
    accession = _text(rec.find("accession-num"))
    database = _text(rec.find("remote-database-name")) or _text(rec.find("remote-database-provider"))
    pubmed = any(k in database.lower() for k in ("pubmed", "medline", "nlm"))
    raw = {
        "type": ref_type.get("name", "") if ref_type is not None else "",
        "database": database,
        "accession": accession,
        "rec_number": _text(rec.find("rec-number")),
    }
    return Record(
        title=_text(rec.find("titles/title")),
        abstract=_text(rec.find("abstract")),
        authors=unique(_all(rec, "contributors/authors/author")),
        year=year_of(_text(rec.find("dates/year")), _text(rec.find("dates/pub-dates/date"))),
        journal=_text(rec.find("periodical/full-title")) or _text(rec.find("titles/secondary-title")),
        journal_abbrev=_text(rec.find("periodical/abbr-1")) or _text(rec.find("titles/alt-title")),
        volume=_text(rec.find("volume")),
        issue=_text(rec.find("number")),
        pages=_text(rec.find("pages")),
        doi=clean_doi(_text(rec.find("electronic-resource-num")), *_all(rec, "urls/related-urls/url")),
        pmid=pmid_of(accession) if pubmed else "",
        issn_print=issns[0] if issns else "",
        issn_electronic=issns[1] if len(issns) > 1 else "",
        keywords=split_packed(_all(rec, "keywords/keyword")),
        language=_text(rec.find("language")),
        url=next(iter(_all(rec, "urls/related-urls/url")), ""),
        source_ref=f"{where}#{n}",
        raw=tuple((k, v) for k, v in raw.items() if v),
    )
