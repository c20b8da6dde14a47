"""Reading delimited text tables (CSV, TSV): the rules every table reader shares.

Used by the record reader (``review import``, ``review dedup FILE...``) and by
the study tables of ``review pool --data``, so that all of them decode,
split and size cells the same way:

- decoding as review.sources.text.decode does (UTF-8 with or without BOM,
  UTF-16 with BOM; anything else refused naming the line);
- the delimiter: a tab for ``.tsv``/``.tab`` files, else whichever of comma,
  tab and semicolon occurs most often outside quotes in the header line
  (ties in that order; comma when there is none);
- no limit on the size of a cell (abstracts and reference lists run long).

The standard csv module does the splitting (quoted cells, doubled quotes,
line breaks inside quotes); it reports the line each row ends on.
"""

from __future__ import annotations

import csv
import io
from pathlib import PurePath
from typing import Iterator

from review.sources.text import decode

DELIMITERS = (",", "\t", ";")  # preference order when counts tie
TAB_SUFFIXES = (".tsv", ".tab")


def _raise_field_size_limit() -> None:
    limit = 2**31 - 1
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # a C long of 32 bits on some platforms
            limit //= 2


_raise_field_size_limit()


def decode_table(data: bytes, where: str) -> str:
    """The text of a table file (see review.sources.text.decode; no GB18030)."""
    return decode(data, where)


def header_line(text: str) -> str:
    """The first non-blank line of the text."""
    for line in text.split("\n", 50)[:50]:
        if line.strip():
            return line
    return ""


def count_outside_quotes(line: str, char: str) -> int:
    """How often ``char`` occurs in ``line`` outside double-quoted cells."""
    n, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            n += 1
    return n


def sniff_delimiter(header: str) -> str:
    """The delimiter the header line uses (comma when it has none)."""
    counts = [(count_outside_quotes(header, d), -k, d) for k, d in enumerate(DELIMITERS)]
    best = max(counts)
    return best[2] if best[0] > 0 else ","


def delimiter_for(name: str | PurePath, text: str) -> str:
    """Tab for .tsv/.tab files, else the delimiter sniffed from the header line."""
    if PurePath(str(name)).suffix.lower() in TAB_SUFFIXES:
        return "\t"
    return sniff_delimiter(header_line(text))


def reader(text: str, delimiter: str, *, strict: bool = False):
    """A csv.reader over decoded text (``line_num`` is the line a row ends on)."""
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)


def rows_of(text: str, name: str | PurePath, *, strict: bool = False) -> Iterator[list[str]]:
    """Every row of a decoded table, the delimiter chosen by ``delimiter_for``."""
    return reader(text, delimiter_for(name, text), strict=strict)
