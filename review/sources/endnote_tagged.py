"""EndNote tagged text (``%T``, ``%A``, ``%D``, ``%J`` ...): the ``.enl``/``.txt``
"Refer/BibIX" export of EndNote and of many databases (AIS eLibrary, Ovid's
"EndNote" option, library catalogues). Records are separated by blank lines;
the fields are those of review.sources.refer. The same text marked as
coming from CNKI or Wanfang (or in Chinese) is read by the cnki/wanfang formats.
"""

from __future__ import annotations

from typing import Iterator

from review.models import Record
from review.sources import refer
from review.sources.tagged import tokenize
from review.sources.text import decode


def parse_endnote(data: bytes, where: str) -> Iterator[Record]:
    """Records of an EndNote tagged export."""
    for rec in tokenize(decode(data, where), refer.BLOCKS, where):
        yield refer.to_record(rec, where)
