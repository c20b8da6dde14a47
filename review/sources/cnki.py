"""CNKI exports: NoteExpress, EndNote/Refer, RefWorks or E-Study text, in
UTF-8 or GB18030/GBK, often with CRLF. The flavour is told by the first line.

The same flavours are written by other databases and reference managers (a
Lancet record as EndNote/Refer text), so a record is only marked as coming
from CNKI or Wanfang when the file says so: a marker such as ``%W CNKI``,
``DS CNKI``, ``cnki.net`` or ``万方``, or Chinese text."""

from __future__ import annotations

import re
from types import ModuleType
from typing import Iterator

from review.errors import BadInput
from review.models import Record
from review.sources import estudy, noteexpress, refer, refworks
from review.sources.tagged import tokenize
from review.sources.text import decode, has_cjk

FLAVOURS: dict[str, ModuleType] = {
    "noteexpress": noteexpress,
    "refer": refer,
    "refworks": refworks,
    "estudy": estudy,
}

_FIRST_LINE = (
    ("noteexpress", re.compile(r"^\{[A-Za-z][A-Za-z /]*\}\s*[:：]")),
    ("refer", re.compile(r"^%0")),
    ("refworks", re.compile(r"^RT\s")),
    ("estudy", re.compile(r"^DataType\s*[:：]")),
)


# database -> lower-case substrings that mark an export as coming from it
MARKERS: dict[str, tuple[str, ...]] = {
    "CNKI": ("cnki", "知网"),
    "Wanfang": ("万方", "wanfang"),
}


def from_database(text: str, database: str) -> bool:
    """True when the export text carries ``database``'s marker, or Chinese text."""
    lower = text.lower()
    return any(m in lower for m in MARKERS.get(database, ())) or has_cjk(text)


def chinese_flavour(text: str) -> str | None:
    """Which tagged flavour a CNKI/Wanfang export uses, from its first non-blank line."""
    for line in text.split("\n", 50):
        if line.strip():
            for name, pattern in _FIRST_LINE:
                if pattern.match(line.lstrip("\ufeff")):
                    return name
            return None
    return None


def parse_chinese(data: bytes, where: str, database: str) -> Iterator[Record]:
    """Records of a CNKI or Wanfang export of any flavour.

    A record naming no database gets ``database`` only when the file carries
    that database's marker (see from_database); else the importer files it
    under the database the records name or the file's stem.
    """
    text = decode(data, where, allow_gb18030=True)
    flavour = chinese_flavour(text)
    if flavour is None:
        raise BadInput(
            f"line 1: not a {database} export this tool reads"
            " (expected NoteExpress, EndNote/Refer, RefWorks or E-Study text)",
            where=where,
        )
    module = FLAVOURS[flavour]
    marked = from_database(text, database)
    for rec in tokenize(text, module.SYNTAX, where):
        record = module.to_record(rec, where)
        if marked and not dict(record.raw).get("database"):
            record = _with_database(record, database)
        yield record


def _with_database(record: Record, database: str) -> Record:
    from dataclasses import replace

    return replace(record, raw=(*record.raw, ("database", database)))


def parse_cnki(data: bytes, where: str) -> Iterator[Record]:
    """Records of a CNKI export (NoteExpress, Refer, RefWorks or E-Study)."""
    return parse_chinese(data, where, "CNKI")
