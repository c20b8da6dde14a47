"""Delimited metric files read as text, then as a table with pandas, every row
knowing the line of the file it came from.

Decoding is strict: UTF-8 (with or without a byte-order mark) or UTF-16 with
its mark, as JCR, SCImago and spreadsheet programs write them. Empty and
binary files are refused by name and line. Every cell is read as text
(``dtype=str``, no NA guessing); numbers are parsed by ``numbers.py``.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from review.errors import BadInput

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class TextFile:
    """A metric file decoded: its lines (without line ends) and its SHA-256."""

    path: str
    lines: list[str]
    sha256: str

    def where(self, line: int) -> str:
        return f"{self.path}:{line}"


def read_text(path: str | Path) -> TextFile:
    """Read and decode a metric file, refusing empty, binary and non-UTF text."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read the file ({exc.strerror or exc})", where=str(path)) from None
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise BadInput("the file is empty", where=f"{path}:1")
    if data[:4] == b"PK\x03\x04":
        raise BadInput("this is a spreadsheet (XLSX) or zip file: export or save it as CSV "
                       "(JCR: Export > CSV; SCImago: the CSV download)", where=f"{path}:1")
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        text = _decode(data, "utf-16", path)
    else:
        nul = data.find(b"\x00")
        if nul >= 0:
            line = data.count(b"\n", 0, nul) + 1
            raise BadInput("binary data (a NUL byte): not a CSV export", where=f"{path}:{line}")
        text = _decode(data, "utf-8-sig", path)
    m = _CONTROL.search(text)
    if m:
        bad = m.start()
        line = text.count("\n", 0, bad) + 1
        raise BadInput(f"control character {text[bad]!r} in the text: not a CSV export",
                       where=f"{path}:{line}")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return TextFile(str(path), [ln[:-1] if ln.endswith("\r") else ln for ln in lines], sha)


def _decode(data: bytes, encoding: str, path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BadInput(f"not UTF-8 text (byte {data[exc.start]:#04x}); save the file as "
                       "'CSV UTF-8' and import it again", where=f"{path}:{line}") from None


def split_line(line: str, sep: str) -> list[str]:
    """One line's cells, with the CSV quoting rules."""
    return next(csv.reader([line], delimiter=sep), [])


def header_names(tf: TextFile, index: int, sep: str) -> list[str]:
    """Column names of the header at ``lines[index]``; trailing empty names dropped."""
    names = [n.strip() for n in split_line(tf.lines[index], sep)]
    while names and not names[-1]:
        names.pop()
    seen = set()
    for n in names:
        if not n:
            raise BadInput("a column without a name in the header", where=tf.where(index + 1))
        if n.lower() in seen:
            raise BadInput(f"column {n!r} appears twice in the header", where=tf.where(index + 1))
        seen.add(n.lower())
    return names


@dataclass
class Table:
    """Rows under a header: ``rows[i]`` is a dict of column -> text, ``lines[i]``
    its line in the file."""

    columns: list[str]
    rows: list[dict[str, str]]
    lines: list[int]


_PANDAS_LINE = re.compile(r"line (\d+)")


def read_table(tf: TextFile, header: int, end: int, sep: str) -> Table:
    """The rows between ``lines[header]`` and ``lines[end]`` (exclusive), read by
    pandas as text. A row with more cells than the header is an error, except
    empty cells at its end (JCR ends every row with a comma)."""
    import pandas as pd

    names = header_names(tf, header, sep)
    while end > header + 1 and not tf.lines[end - 1].strip():
        end -= 1  # trailing blank lines hold nothing (and pandas drops the last)
    block = tf.lines[header + 1:end]
    first = header + 2  # the file line of block[0]
    if not block:
        return Table(names, [], [])
    lines = _check_cells(tf, block, sep, first, names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas warns about the trailing empty cells checked above
        try:
            df = pd.read_csv(
                io.StringIO("\n".join(block)), sep=sep, header=None, names=names, index_col=False,
                dtype=str, keep_default_na=False, na_filter=False, skip_blank_lines=False,
                quotechar='"', engine="c",
            )
        except pd.errors.ParserError as exc:  # pragma: no cover - the csv check finds these first
            m = _PANDAS_LINE.search(str(exc))
            where = tf.where(first + int(m.group(1)) - 1) if m else tf.path
            raise BadInput(f"a row does not fit the header ({exc})", where=where) from None
    if len(df) != len(lines):  # pragma: no cover - pandas and csv disagree on a record's end
        raise BadInput("rows could not be told apart (unbalanced quotes?)", where=tf.where(first))
    values = df.fillna("").to_numpy(dtype=object).tolist()  # much faster than to_dict("records")
    return Table(names, [dict(zip(names, v)) for v in values], lines)


def _check_cells(tf: TextFile, block: list[str], sep: str, first: int, names: list[str]) -> list[int]:
    """The file line each record starts on (quoted cells may span lines); a
    record with non-empty cells past the header's columns is refused."""
    out, start = [], 0
    reader = csv.reader(block, delimiter=sep)
    for cells in reader:
        line = first + start
        extra = [c for c in cells[len(names):] if c.strip()]
        if extra:
            raise BadInput(f"more cells than the header's {len(names)} columns ({extra[0]!r} past "
                           f"{names[-1]!r})", where=tf.where(line))
        out.append(line)
        start = reader.line_num
    return out
