"""EndNote XML export (``<xml><records><record>...``), single-line or
pretty-printed, with ``<style face=...>`` wrappers around the text.

A PMID is read from ``accession-num`` or ``custom5`` when it is labelled
(``PMID: 123``) or the record comes from PubMed/MEDLINE (remote database
name or provider). Entity declarations and elements nested deeper than
review.sources.xmlguard.MAX_DEPTH are refused."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Iterator

from review.errors import BadInput
from review.models import Record
from review.sources.fieldnorm import central_id, clean_doi, issns_of, pmid_in, split_packed, unique, year_of
from review.sources.text import decode
from review.sources.xmlguard import MAX_DEPTH, refuse_entity_declarations, too_deep

_SPACE = re.compile(r"\s+")


def _text(elem: ET.Element | None) -> str:
    if elem is None:
        return ""
    return _SPACE.sub(" ", "".join(elem.itertext())).strip()


def _all(rec: ET.Element, path: str) -> list[str]:
    return [t for t in (_text(e) for e in rec.findall(path)) if t]


def _parse(text: str, where: str) -> ET.Element:
    """The document's root element, refusing one nested deeper than MAX_DEPTH."""
    parser = ET.XMLPullParser(events=("start", "end"))
    depth = 0
    root = None
    for i in range(0, len(text), 1 << 16):
        parser.feed(text[i:i + (1 << 16)])
        for event, elem in parser.read_events():
            if event == "start":
                depth += 1
                if depth > MAX_DEPTH:
                    raise too_deep(text.encode("utf-8"), where)
            else:
                depth -= 1
                root = elem
    parser.close()
    for _, elem in parser.read_events():
        root = elem
    if root is None:
        raise ET.ParseError("no element found")
    return root


def parse_endnote_xml(data: bytes, where: str) -> Iterator[Record]:
    """Records of an EndNote XML file (BadInput with the line of a parse error)."""
    text = decode(data, where)
    refuse_entity_declarations(data, where)
    try:
        root = _parse(re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1), where)
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
    both = f"{database} {_text(rec.find('remote-database-provider'))}".lower()
    pubmed = any(k in both for k in ("pubmed", "medline", "nlm"))
    links = (_text(rec.find("electronic-resource-num")), *_all(rec, "urls/related-urls/url"))
    raw = {
        "type": ref_type.get("name", "") if ref_type is not None else "",
        "database": database,
        "accession": accession or central_id(*links),
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
        doi=clean_doi(*links),
        pmid=pmid_in(accession, _text(rec.find("custom5")), pubmed=pubmed),
        issn_print=issns[0] if issns else "",
        issn_electronic=issns[1] if len(issns) > 1 else "",
        keywords=split_packed(_all(rec, "keywords/keyword")),
        language=_text(rec.find("language")),
        url=next(iter(_all(rec, "urls/related-urls/url")), ""),
        source_ref=f"{where}#{n}",
        raw=tuple((k, v) for k, v in raw.items() if v),
    )
