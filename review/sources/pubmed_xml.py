"""PubMed XML (efetch ``retmode=xml`` / PubMed "XML" export) -> ``Record``s.

Parsed offline with ``xml.etree.ElementTree.iterparse``: no DTD is fetched or
read (the DOCTYPE line is ignored), memory stays flat on large files because
each article is cleared once turned into a Record. Handles ``PubmedArticle``
and ``PubmedBookArticle``. Entity declarations and elements nested deeper
than review.sources.xmlguard.MAX_DEPTH are refused (see that module); text
is gathered without recursion.

Inline markup inside titles and abstracts (``<i>``, ``<sup>``, ``<sub>``,
MathML ...) is removed and its text kept, so "r<sup>2</sup>" becomes "r2";
structured abstracts are joined as "LABEL: text" paragraphs.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import BinaryIO, Iterator

from review.errors import BadInput
from review.models import Record
from review.sources.xmlguard import MAX_DEPTH, refuse_entity_declarations, too_deep

ARTICLE_TAGS = ("PubmedArticle", "PubmedBookArticle")
ROOT_TAGS = ("PubmedArticleSet", "PubmedBookArticleSet")
MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{}/"

_WS = re.compile(r"\s+")


def parse_pubmed_xml(data: bytes | str | Path, where: str | None = None) -> Iterator[Record]:
    """Yield one Record per article of a PubMed XML document.

    ``data`` is the document's bytes, or a path (``str``/``Path``) to a file.
    ``where`` names the input in error messages (defaults to the path).
    Raises BadInput naming ``where``, the line and the article number when the
    XML is truncated or not well formed, is not PubMed XML, or an article has
    no PMID.
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        where = where or "<pubmed xml>"
    else:
        path = Path(data)
        where = where or str(data)
        if not path.is_file():
            raise BadInput("no such file", where=where)
        data = path.read_bytes()
    refuse_entity_declarations(data, where)
    return _iter_articles(io.BytesIO(data), where)


def _iter_articles(source: BinaryIO | str, where: str) -> Iterator[Record]:
    index = 0
    root_seen = False
    depth = 0
    parser = ET.XMLPullParser(events=("start", "end"))
    events = _events(source, parser)
    try:
        for event, elem in events:
            if event == "start":
                depth += 1
                if depth > MAX_DEPTH:
                    raise too_deep(source.getvalue(), where)
                if not root_seen:
                    root_seen = True
                    if elem.tag not in ROOT_TAGS:
                        raise BadInput(
                            f"not PubMed XML: root element <{elem.tag}>, expected <PubmedArticleSet>",
                            where=f"{where}:1",
                        )
                continue
            depth -= 1
            if elem.tag in ARTICLE_TAGS:
                index += 1
                yield _article(elem, where, index)
                elem.clear()
    except ET.ParseError as exc:
        line, col = exc.position
        raise BadInput(
            f"the XML ends early or is damaged"
            f" ({re.sub(r': line [0-9]+, column [0-9]+$', '', str(exc))})"
            f" at line {line}, column {col}, after article {index}",
            where=f"{where}:{line}",
        ) from None
    if not root_seen:
        raise BadInput("empty document: no PubMed XML", where=where)


def _events(source: BinaryIO, parser: ET.XMLPullParser) -> Iterator[tuple[str, ET.Element]]:
    """iterparse's events, from a pull parser fed 64 KiB at a time (so that the
    bytes read so far are known: see _line_of)."""
    while True:
        chunk = source.read(65536)
        if not chunk:
            break
        parser.feed(chunk)
        yield from parser.read_events()
    parser.close()
    yield from parser.read_events()


def _text(elem: ET.Element | None) -> str:
    """Text of an element with inline markup removed, whitespace collapsed."""
    if elem is None:
        return ""
    return _WS.sub(" ", "".join(_pieces(elem))).strip()


def _pieces(elem: ET.Element) -> list[str]:
    """The text of an element and its descendants in document order, without
    recursion: a stack of elements still to visit and tails still to emit."""
    out: list[str] = []
    stack: list[ET.Element | str] = [elem]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        if item is not elem and item.tag.startswith(MATHML_NS):
            # MathML is laid out with indentation: keep its characters only.
            out.append(_WS.sub("", "".join(item.itertext())))
            continue
        if item.text:
            out.append(item.text)
        for child in reversed(item):
            if child.tail:
                stack.append(child.tail)
            stack.append(child)
    return out


def _all(parent: ET.Element | None, path: str) -> tuple[str, ...]:
    if parent is None:
        return ()
    return tuple(t for t in (_text(e) for e in parent.findall(path)) if t)


def _abstract(parent: ET.Element | None) -> str:
    if parent is None:
        return ""
    parts = []
    for at in parent.findall("Abstract/AbstractText"):
        body = _text(at)
        label = (at.get("Label") or "").strip()
        if label and body:
            parts.append(f"{label}: {body}")
        elif body:
            parts.append(body)
    return "\n".join(parts)


def _authors(author_list: ET.Element | None) -> tuple[str, ...]:
    if author_list is None:
        return ()
    out = []
    for a in author_list.findall("Author"):
        collective = _text(a.find("CollectiveName"))
        last = _text(a.find("LastName"))
        if last:
            initials = _text(a.find("Initials"))
            out.append(f"{last} {initials}".strip())
        elif collective:
            out.append(collective)
    return tuple(out)


def _year(*dates: ET.Element | None) -> int | None:
    """First usable year: <Year>, else the first 4 digits of <MedlineDate>."""
    for d in dates:
        if d is None:
            continue
        y = _text(d.find("Year"))
        if y.isdigit():
            return int(y)
        m = re.search(r"\d{4}", _text(d.find("MedlineDate")))
        if m:
            return int(m.group())
    return None


def _ids(id_list: ET.Element | None) -> dict[str, str]:
    if id_list is None:
        return {}
    return {(e.get("IdType") or ""): _text(e) for e in id_list.findall("ArticleId")}


def _shared(pmid: str, lang_parent: ET.Element | None, raw: list[tuple[str, str]]) -> dict:
    """Fields built the same way for journal and book articles."""
    return {
        "language": "; ".join(_all(lang_parent, "Language")),
        "url": PUBMED_URL.format(pmid),
        "source_ref": f"pmid:{pmid}",
        "raw": tuple(sorted((k, v) for k, v in raw if v)),
    }


def _article(elem: ET.Element, where: str, index: int) -> Record:
    if elem.tag == "PubmedBookArticle":
        return _book(elem, where, index)
    mc = elem.find("MedlineCitation")
    art = mc.find("Article") if mc is not None else None
    pmid = _text(mc.find("PMID")) if mc is not None else ""
    if not pmid:
        raise BadInput(f"article {index} has no PMID", where=f"{where} (article {index})")
    journal = art.find("Journal") if art is not None else None
    issue = journal.find("JournalIssue") if journal is not None else None
    info = mc.find("MedlineJournalInfo")
    ids = _ids(elem.find("PubmedData/ArticleIdList"))
    doi = ids.get("doi", "")
    if not doi and art is not None:
        for e in art.findall("ELocationID"):
            if e.get("EIdType") == "doi":
                doi = _text(e)
                break
    issns = {}
    if journal is not None:
        for e in journal.findall("ISSN"):
            issns[(e.get("IssnType") or "Print")] = _text(e)
    pages = _text(art.find("Pagination/MedlinePgn")) if art is not None else ""
    if not pages and art is not None:
        start, end = _text(art.find("Pagination/StartPage")), _text(art.find("Pagination/EndPage"))
        pages = f"{start}-{end}" if start and end else start
    article_dates = art.findall("ArticleDate") if art is not None else []
    raw = [("iso_abbrev", _text(journal.find("ISOAbbreviation")) if journal is not None else "")]
    if ids.get("pmc"):
        raw.append(("pmc", ids["pmc"]))
    raw.append(("status", mc.get("Status") or ""))
    return Record(
        title=_text(art.find("ArticleTitle")) if art is not None else "",
        abstract=_abstract(art),
        authors=_authors(art.find("AuthorList") if art is not None else None),
        year=_year(issue.find("PubDate") if issue is not None else None, *article_dates),
        journal=_text(journal.find("Title")) if journal is not None else "",
        journal_abbrev=_text(info.find("MedlineTA")) if info is not None else "",
        volume=_text(issue.find("Volume")) if issue is not None else "",
        issue=_text(issue.find("Issue")) if issue is not None else "",
        pages=pages,
        doi=doi,
        pmid=pmid,
        issn_print=issns.get("Print", ""),
        issn_electronic=issns.get("Electronic", ""),
        issn_linking=_text(info.find("ISSNLinking")) if info is not None else "",
        nlm_id=_text(info.find("NlmUniqueID")) if info is not None else "",
        publication_types=_all(art, "PublicationTypeList/PublicationType"),
        mesh=_all(mc, "MeshHeadingList/MeshHeading/DescriptorName"),
        keywords=_all(mc, "KeywordList/Keyword"),
        **_shared(pmid, art, raw),
    )


def _book(elem: ET.Element, where: str, index: int) -> Record:
    doc = elem.find("BookDocument")
    pmid = _text(doc.find("PMID")) if doc is not None else ""
    if not pmid:
        raise BadInput(f"book article {index} has no PMID", where=f"{where} (article {index})")
    book = doc.find("Book")
    ids = _ids(elem.find("PubmedBookData/ArticleIdList")) or _ids(doc.find("ArticleIdList"))
    book_title = _text(book.find("BookTitle")) if book is not None else ""
    chapter = _text(doc.find("ArticleTitle"))
    authors = _authors(doc.find("AuthorList")) or _authors(book.find("AuthorList") if book is not None else None)
    raw = [("book_title", book_title),
           ("publisher", _text(book.find("Publisher/PublisherName")) if book is not None else "")]
    return Record(
        title=chapter or book_title,
        abstract=_abstract(doc),
        authors=authors,
        year=_year(book.find("PubDate") if book is not None else None),
        journal=book_title if chapter else "",
        doi=ids.get("doi", ""),
        pmid=pmid,
        publication_types=_all(doc, "PublicationType"),
        keywords=_all(doc, "KeywordList/Keyword"),
        **_shared(pmid, doc, raw),
    )
