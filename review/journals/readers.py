"""One entry point for metric files: tell the format, read it whole.

Nothing is stored here; a file that fails raises BadInput naming its line,
before the database is touched.
"""

from __future__ import annotations

from pathlib import Path

from review.errors import BadInput
from review.journals import KINDS, USER
from review.journals.model import ParsedMetrics

FORMATS = ("auto", "jcr", "scimago", "csv")


def detect(tf) -> str | None:
    from review.journals import jcr, plain, scimago

    if scimago.looks_like(tf):
        return "scimago"
    if jcr.looks_like(tf):
        return "jcr"
    if plain.looks_like(tf):
        return "csv"
    return None


def read_metric_file(path: str | Path, fmt: str = "auto", *, year: int | None = None,
                     kind: str | None = None) -> ParsedMetrics:
    """Read one metric file (``fmt`` auto, jcr, scimago or csv)."""
    from review.journals import jcr, plain, scimago
    from review.journals.table import read_text

    if fmt not in FORMATS:
        raise BadInput(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if kind is not None and kind not in KINDS:
        raise BadInput(f"unknown kind {kind!r} (choose from {', '.join(KINDS)})")
    tf = read_text(path)
    found = detect(tf) if fmt == "auto" else fmt
    if found is None:
        raise BadInput("not a JCR export, a SCImago download or a plain CSV with columns "
                       "journal, issn, eissn, metric, year (say which with --format)",
                       where=tf.where(1))
    if kind is not None and found != "csv":
        raise BadInput(f"--kind is for plain CSV files; a {found.upper()} file holds "
                       f"{'JIFs' if found == 'jcr' else 'SCImago figures'}")
    if found == "jcr":
        return jcr.read_jcr(tf, year=year)
    if found == "scimago":
        return scimago.read_scimago(tf, year=year)
    return plain.read_plain(tf, year=year, kind=kind or USER)
