"""Writing tables people open in spreadsheet programs (CSV, TSV, XLSX) and
Markdown, safely.

Every text cell that a spreadsheet would read as a formula (starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is neutralised by a
leading apostrophe (``safe_cell``); numbers, and text that is a plain number
such as ``-1.5``, are left as they are. Every writer here goes through it,
and writes through a temporary file renamed at the end, so that a failure
leaves no partial file. Use these functions for any CSV or XLSX the tool
writes.

References
----------
OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection):
prefix cells beginning with = + - @ tab or carriage return with a single quote.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from review.errors import BadInput

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
SUFFIXES = (".csv", ".tsv", ".xlsx")

Row = Sequence[Any]


def safe_cell(value: Any) -> Any:
    """``value`` as a cell that no spreadsheet runs as a formula.

    Numbers (and booleans, None) are returned unchanged; text starting with a
    formula character gets a leading apostrophe unless it is a plain number.
    """
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in row]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it to
    ``path``; a failure leaves neither a partial file nor the temporary one."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise BadInput(f"no folder {folder} to write {p.name} in (create it first)", where=str(p))
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p


def delimited_text(header: Row, rows: Iterable[Row], delimiter: str = ",") -> str:
    """CSV (or TSV) text with every cell made safe."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")  # RFC 4180: a CR or LF in a cell is quoted
    w.writerow([_text(c) for c in safe_row(header)])
    for row in rows:
        w.writerow([_text(c) for c in safe_row(row)])
    return buf.getvalue()


def write_delimited(path: str | Path, header: Row, rows: Iterable[Row], delimiter: str | None = None) -> Path:
    """Write a CSV (TSV for a .tsv name, unless ``delimiter`` is given), UTF-8."""
    sep = delimiter or ("\t" if Path(path).suffix.lower() in (".tsv", ".tab") else ",")
    text = delimited_text(header, rows, sep)
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""))


def write_xlsx(path: str | Path, sheets: Mapping[str, tuple[Row, Iterable[Row]]]) -> Path:
    """Write an XLSX workbook: sheet name -> (header, rows), every cell made safe
    (text is stored as text, never as a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    wb = Workbook()
    wb.remove(wb.active)
    for name, (header, rows) in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        for row in [header, *rows]:
            ws.append(safe_row(row))
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
        for i, col in enumerate(ws.columns, start=1):
            width = max((len(_text(c.value)) for c in col), default=8)
            ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 6), 60)
        ws.freeze_panes = "A2"
    return write_atomic(path, lambda tmp: wb.save(tmp))


def write_table(path: str | Path, header: Row, rows: Iterable[Row], sheet: str = "Sheet1") -> Path:
    """Write one table as CSV, TSV or XLSX, chosen by the file's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return write_xlsx(path, {sheet: (header, list(rows))})
    if suffix in (".csv", ".tsv", ".tab"):
        return write_delimited(path, header, rows)
    raise BadInput(f"cannot tell the format from the name {Path(path).name!r}: "
                   f"end it in {', '.join(SUFFIXES)}")


def markdown_table(header: Row, rows: Iterable[Row]) -> str:
    """A GitHub-flavoured Markdown table (pipes and line breaks in cells escaped)."""

    def cell(v: Any) -> str:
        return _text(v).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""))
