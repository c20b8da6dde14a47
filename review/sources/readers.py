"""The one entry point for export files: ``read_file(path, format="auto")``.

Detects the format by content (review.sources.detect), decodes the bytes
(review.sources.text) and hands them to the parser for that format. Used by
``review import`` (through review.importer) and by ``review dedup FILE...``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from review.errors import BadInput
from review.formats import FORMAT_NAMES
from review.models import Record

# format name -> (module, function); each function takes (data: bytes, where: str)
# and returns an iterable of Records, raising BadInput naming where + line/record.
PARSERS: dict[str, tuple[str, str]] = {
    "pubmed-xml": ("review.sources.pubmed_xml", "parse_pubmed_xml"),
    "medline": ("review.sources.medline", "parse_medline"),
    "ris": ("review.sources.ris", "parse_ris"),
    "endnote-xml": ("review.sources.endnote_xml", "parse_endnote_xml"),
    "endnote": ("review.sources.endnote_tagged", "parse_endnote"),
    "bibtex": ("review.sources.bibtex", "parse_bibtex"),
    "wos": ("review.sources.wos", "parse_wos"),
    "csv": ("review.sources.csv_table", "parse_csv"),
    "cnki": ("review.sources.cnki", "parse_cnki"),
    "wanfang": ("review.sources.wanfang", "parse_wanfang"),
}


class Records(list):
    """The records of one file, with ``refused``: the entries left out as broken
    ('entry N (line L): why'; only BibTeX refuses entries one by one)."""

    refused: list[str]


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes, or BadInput naming it."""
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise BadInput("no such file", where=str(p)) from None
    except IsADirectoryError:
        raise BadInput("is a directory, not a file", where=str(p)) from None
    except OSError as exc:
        raise BadInput(f"cannot read ({exc.strerror})", where=str(p)) from None


def parse_bytes(data: bytes, where: str, format: str = "auto",
                encoding: str | None = None) -> tuple[str, list[Record]]:
    """(format, records) for the bytes of one export; ``where`` names it in errors;
    ``encoding`` (review import --encoding) decodes it with that codec, no guessing."""
    from review.sources.text import encoding_for

    with encoding_for(encoding, where):
        return _parse_bytes(data, where, format)


def _parse_bytes(data: bytes, where: str, format: str) -> tuple[str, list[Record]]:
    if format not in FORMAT_NAMES:
        raise BadInput(f"unknown format {format!r} (one of {', '.join(FORMAT_NAMES)})", where=where)
    if format == "auto":
        from review.sources.detect import detect_format

        format = detect_format(data, where)
    module, func = PARSERS[format]
    parse = getattr(importlib.import_module(module), func)
    out = parse(data, where)
    records = Records(out)
    records.refused = list(getattr(out, "refused", ()))
    return format, records


def read_file(path: str | Path, format: str = "auto") -> list[Record]:
    """Parse one export file into Records (format detected by content unless given).

    Raises BadInput naming the file and the line or record for anything that
    cannot be read: unknown format, undecodable bytes, a truncated record.
    """
    return parse_bytes(read_bytes(path), str(path), format)[1]
