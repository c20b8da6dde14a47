"""PRISMA 2020 from the project itself: the counts (counts.py), the PRISMA2020
R package's CSV (csv_template.py), the flow diagram (svg.py), a text form
(text.py) and the PRISMA-S search summary (search_summary.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from review.errors import BadInput


def folder_of(path: str | Path) -> Path:
    """The folder ``path`` goes in; BadInput when it does not exist."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise BadInput(f"no folder {folder} to write {p.name} in")
    return folder


def write_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and a rename, so
    that a failure leaves no partial file; the folder must exist."""
    p = Path(path)
    folder = folder_of(p)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p
