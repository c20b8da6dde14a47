"""Wanfang exports: NoteExpress (one tag per author and keyword, with
``{Translated Title}``), or Refer/RefWorks; UTF-8 or GB18030, CRLF or LF."""

from __future__ import annotations

from typing import Iterator

from review.models import Record
from review.sources.cnki import parse_chinese


def parse_wanfang(data: bytes, where: str) -> Iterator[Record]:
    """Records of a Wanfang export."""
    return parse_chinese(data, where, "Wanfang")
