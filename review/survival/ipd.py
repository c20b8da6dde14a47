"""Patient-level survival files (IPD.csv): reading for ``review survival km``,
writing for ``review survival reconstruct``.

A file has a time column, an event column and optionally a group column.
Events may be coded 0/1, 1/2 (R's Surv: 2 = event when every value is 1 or 2)
or true/false. Every problem raises BadInput naming the file and line.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from review.errors import BadInput

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

MONTH_DAYS = 30  # the seed paper's convention: days = months x 30
_TRUE, _FALSE = {"1", "true", "yes", "dead", "event"}, {"0", "false", "no", "alive", "censored"}
_MISSING = {"", "na", "nan", "null", "none", "."}


def read_ipd(path: str | Path, time: str = "time", event: str = "event", by: str | None = None,
             *, months_to_days: bool = False) -> "pd.DataFrame":
    """Columns time (float >= 0), event (0/1) and, with ``by``, the group (str)
    under its own name (or "group" if that name is time or event).

    ``months_to_days`` multiplies the times by 30 (MONTH_DAYS).
    """
    import pandas as pd

    from review.pooling.data import _column, read_table

    path = Path(path)
    rows = read_table(path)
    if not rows or not any(c.strip() for c in rows[0]):
        raise BadInput("the file is empty (no header line)", where=str(path))
    header = [h.strip() for h in rows[0]]
    it = _column(header, time, path, "--time")
    ie = _column(header, event, path, "--event")
    ib = _column(header, by, path, "--by") if by else None
    times, raw_events, groups, lines = [], [], [], []
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        row = [c.strip() for c in row] + [""] * (len(header) - len(row))
        where = f"{path}:{lineno}"
        if row[it].lower() in _MISSING:
            raise BadInput(f"{header[it]} missing", where=where)
        try:
            t = float(row[it])
        except ValueError:
            raise BadInput(f"{header[it]} is not a number: {row[it]!r}", where=where) from None
        if not t >= 0 or t == float("inf"):
            raise BadInput(f"{header[it]} must be a finite number not below 0, got {row[it]!r}", where=where)
        ev = row[ie].lower()
        if ev in _MISSING:
            raise BadInput(f"{header[ie]} missing", where=where)
        if ev.endswith(".0"):
            ev = ev[:-2]
        if ev not in _TRUE | _FALSE | {"2"}:
            raise BadInput(f"{header[ie]} must be 0/1 (or 1/2, true/false), got {row[ie]!r}", where=where)
        if ib is not None:
            if row[ib].lower() in _MISSING:
                raise BadInput(f"{header[ib]} (the group) missing", where=where)
            groups.append(row[ib])
        times.append(t)
        raw_events.append(ev)
        lines.append(lineno)
    if not times:
        raise BadInput("no patients: the file has a header but no rows", where=str(path))
    if "2" in raw_events:
        bad = [(v, ln) for v, ln in zip(raw_events, lines) if v not in ("1", "2")]
        if bad:
            raise BadInput(f"{header[ie]} mixes 1/2 coding (2 = event) with {bad[0][0]!r}",
                           where=f"{path}:{bad[0][1]}")
        events = [1 if v == "2" else 0 for v in raw_events]
    else:
        events = [1 if v in _TRUE else 0 for v in raw_events]
    frame = pd.DataFrame({"time": times, "event": events})
    if months_to_days:
        frame["time"] = frame["time"] * MONTH_DAYS
    if ib is not None:
        frame[header[ib] if header[ib] not in ("time", "event") else "group"] = groups
    return frame


def write_csv_atomic(frame: "pd.DataFrame", path: str | Path) -> Path:
    """Write ``frame`` as CSV to ``path`` through a temporary file in the same
    folder, renamed at the end: a failure leaves no partial file."""
    path = Path(path)
    if not path.parent.is_dir():
        raise BadInput(f"folder {str(path.parent)!r} does not exist (create it first)", where=str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            frame.to_csv(fh, index=False, float_format="%.10g")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
