"""Tell an export's format from its content (not its file name).

Looks at the first 64 KiB: XML root elements, the first tagged line, and the
markers each database writes (``%W CNKI``, ``{Database Provider}: 北京万方...``,
``DB  - Embase``). Raises BadInput for an empty or binary file and for
content it cannot place, asking for ``--format``.
"""

from __future__ import annotations

import codecs
import re

from review.errors import BadInput
from review.sources.cnki import chinese_flavour, from_database
from review.sources.csv_headers import has_title_column
from review.sources.text import decode, named_encoding

HEAD = 65536
_RIS = re.compile(r"^TY {1,2}-", re.M)
# PubMed's PMID line, or MEDLINE's own four-character tags (ERIC's files have no PMID)
_MEDLINE = re.compile(r"^(?:PMID- ?\d|(?:OWN|FAU|AID|LID|OID) - |STAT- )", re.M)
_WOS = re.compile(r"^(FN |PT [A-Z]\s*$)", re.M)
_BIBTEX = re.compile(r"^\s*@[A-Za-z]+\s*[{(]", re.M)
_REFER = re.compile(r"^%[0-9A-Z@+?!#$&()*<>^~|\]\[=-](?: |$)")
_WANFANG = ("万方", "wanfang")


def head_text(data: bytes, where: str) -> str:
    """The decoded start of the file (lenient about a character cut at the end)."""
    if not data.strip():
        raise BadInput("empty file (no records)", where=where)
    head = data[:HEAD]
    named = named_encoding()
    if named:
        text = head.decode(named, errors="replace")
        return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        return decode(head[: len(head) - len(head) % 2], where)  # UTF-16, or refuses binary
    text = head.decode("utf-8", errors="replace")
    if text.count("\ufffd") > 2:
        text = head.decode("gb18030", errors="replace")
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def detect_format(data: bytes, where: str) -> str:
    """One of review.formats.FORMAT_NAMES (not 'auto') for these bytes."""
    text = head_text(data, where)
    first = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    if first.startswith("<"):
        if "<PubmedArticle" in text or "<PubmedBookArticle" in text:
            return "pubmed-xml"
        if re.search(r"<records?\b", text):
            return "endnote-xml"
        raise BadInput("line 1: XML, but neither PubMed XML nor EndNote XML; pass --format", where=where)
    flavour = chinese_flavour(text)
    if flavour == "refer" or (flavour is None and _REFER.match(first)):
        # EndNote tagged text: CNKI's or Wanfang's only when it says so (or is Chinese)
        if not (from_database(text, "CNKI") or from_database(text, "Wanfang")):
            return "endnote"
    if flavour or _REFER.match(first):
        return "wanfang" if any(m in text.lower() for m in _WANFANG) else "cnki"
    if _MEDLINE.search(text) and not _RIS.search(text):
        return "medline"
    if _WOS.search(text) and re.search(r"^ER\s*$", text, re.M):
        return "wos"
    if _RIS.search(text):
        return "ris"
    if _BIBTEX.search(text):
        return "bibtex"
    if any(d in first for d in ",\t;") and has_title_column(first):
        return "csv"
    raise BadInput(
        f"line 1: cannot tell the format from the content (starts {first[:40]!r}); pass --format",
        where=where,
    )
