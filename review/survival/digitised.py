"""Digitised Kaplan-Meier curves and numbers-at-risk tables: reading and cleaning.

A digitiser (WebPlotDigitizer and the like) exports points in no particular
order, with noise: points that go up, times a little below 0, survival a little
above 100%, in percent or as a fraction. ``clean_curve`` turns such points into
a non-increasing step curve that starts at (0, 1), and says what it changed.

Files read (CSV, TSV or ';'-separated with decimal commas):

- points: ``time,survival`` with an optional label column (``curve``, ``arm``,
  ``group``, ``label``, ``dataset`` ...) for several curves in one file; or no
  header (two numeric columns, a third for the label); or WebPlotDigitizer's
  "all datasets" layout (dataset names on line 1, ``X,Y,X,Y`` on line 2).
- numbers at risk: ``time,n`` (one curve); ``time,n,curve`` (one row per curve
  and time); or ``time,A,B`` with one column per curve, named as the curves.

Every problem raises BadInput naming the file and line.

References
----------
Guyot P, Ades AE, Ouwens MJNM, Welton NJ. Enhanced secondary analysis of
survival data: reconstructing the data from published Kaplan-Meier survival
curves. BMC Med Res Methodol 2012;12:9 (data preparation, section "Methods").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from review.errors import BadInput

LABEL_NAMES = ("curve", "label", "arm", "group", "dataset", "series", "strata", "name", "treatment")
PERCENT_ABOVE = 1.5  # survival values above this mean the curve is in percent

_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Curve:
    """A cleaned digitised curve: times ascending from 0, survival a fraction,
    non-increasing, starting at 1. ``notes`` says what cleaning changed."""

    label: str
    time: tuple[float, ...]
    survival: tuple[float, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AtRisk:
    """A numbers-at-risk table: times strictly increasing, counts not increasing."""

    label: str
    time: tuple[float, ...]
    n: tuple[int, ...]


@dataclass(frozen=True)
class RawPoint:
    time: float
    survival: float
    line: int | None = None


# ---------------------------------------------------------------- numbers


def _is_blank(v: str) -> bool:
    return v.strip().lower() in ("", "na", "nan", "null", "none", ".")


def _number(value: str, what: str, where: str) -> float:
    v = value.strip()
    if _DECIMAL_COMMA.match(v):
        v = v.replace(",", ".")
    try:
        f = float(v)
    except ValueError:
        raise BadInput(f"{what} is not a number: {value.strip()!r}", where=where) from None
    if not math.isfinite(f):
        raise BadInput(f"{what} is not a finite number: {value.strip()!r}", where=where)
    return f


def _looks_numeric(v: str) -> bool:
    v = v.strip()
    if _DECIMAL_COMMA.match(v):
        return True
    try:
        float(v)
    except ValueError:
        return False
    return True


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    """Non-blank rows with their line numbers; BadInput for an empty file."""
    from review.pooling.data import read_table

    rows = [(i, [c.strip() for c in r]) for i, r in enumerate(read_table(path), start=1)]
    rows = [(i, r) for i, r in rows if any(c for c in r)]
    if not rows:
        raise BadInput("the file is empty (no lines with data)", where=str(path))
    return rows


def _find(header: list[str], *patterns: str) -> int | None:
    low = [h.lower() for h in header]
    for pat in patterns:
        for i, h in enumerate(low):
            if re.fullmatch(pat, h):
                return i
    return None


# ---------------------------------------------------------------- points


def read_points(path: str | Path) -> dict[str, list[RawPoint]]:
    """The raw points of each curve in a digitiser's export, in file order.

    Keys are curve labels ("" for a file with one unnamed curve). Errors name
    the file and line: empty file, text in a number column, a row with a time
    but no survival, no points at all.
    """
    path = Path(path)
    rows = _rows(path)
    if len(rows) >= 2 and _is_wpd_wide(rows[1][1]):
        curves = _wpd_wide(path, rows)
    else:
        curves = _long(path, rows)
    if not curves or not any(curves.values()):
        raise BadInput("no numbers: the file has a header but no points "
                       f"(line {rows[-1][0]} is the last line)", where=f"{path}:{rows[-1][0]}")
    return curves


def _is_wpd_wide(row: list[str]) -> bool:
    cells = [c.lower() for c in row if c]
    return len(cells) >= 2 and set(cells) <= {"x", "y"} and cells[0] == "x"


def _wpd_wide(path: Path, rows: list[tuple[int, list[str]]]) -> dict[str, list[RawPoint]]:
    names_row = rows[0][1]
    xy = rows[1][1]
    pairs = [j for j in range(0, len(xy) - 1, 2) if xy[j].lower() == "x" and xy[j + 1].lower() == "y"]
    curves: dict[str, list[RawPoint]] = {}
    for j in pairs:
        name = names_row[j] if j < len(names_row) and names_row[j] else f"curve {j // 2 + 1}"
        curves[name] = []
    for line, row in rows[2:]:
        for j, name in zip(pairs, curves):
            x = row[j] if j < len(row) else ""
            y = row[j + 1] if j + 1 < len(row) else ""
            if _is_blank(x) and _is_blank(y):
                continue
            where = f"{path}:{line}"
            if _is_blank(x) or _is_blank(y):
                raise BadInput(f"curve {name!r}: a point needs both X and Y", where=where)
            curves[name].append(RawPoint(_number(x, f"time (X of {name!r})", where),
                                         _number(y, f"survival (Y of {name!r})", where), line))
    return curves


def _long(path: Path, rows: list[tuple[int, list[str]]]) -> dict[str, list[RawPoint]]:
    first = rows[0][1]
    has_header = not (len(first) >= 2 and _looks_numeric(first[0]) and _looks_numeric(first[1]))
    if has_header:
        header = first
        it = _find(header, r"time.*", r"t", r"x", r".*time.*", r"months?", r"days?", r"years?")
        isv = _find(header, r"surv.*", r"y", r"s", r"s\(t\)", r".*surv.*", r"prob.*", r".*prob.*")
        if it is None or isv is None:
            if len(header) < 2:
                raise BadInput("need at least two columns: time and survival", where=f"{path}:{rows[0][0]}")
            it, isv = 0, 1
        ilab = _find(header, *LABEL_NAMES)
        others = [j for j in range(len(header)) if j not in (it, isv) and header[j]]
        if ilab is None and len(others) == 1:  # time,survival,sex: the third column names the curve
            ilab = others[0]
        tname, sname = header[it] or "time", header[isv] or "survival"
        data = rows[1:]
    else:
        it, isv, ilab = 0, 1, (2 if any(len(r) > 2 and r[2] for _, r in rows) else None)
        tname, sname = "time", "survival"
        data = rows
    curves: dict[str, list[RawPoint]] = {}
    for line, row in data:
        row = row + [""] * (max(it, isv, ilab or 0) + 1 - len(row))
        where = f"{path}:{line}"
        label = row[ilab] if ilab is not None else ""
        t, s = row[it], row[isv]
        if _is_blank(t) and _is_blank(s):
            continue
        if _is_blank(t) or _is_blank(s):
            raise BadInput(f"a point needs both {tname} and {sname}", where=where)
        if ilab is not None and not label:
            raise BadInput("missing curve label", where=where)
        curves.setdefault(label, []).append(
            RawPoint(_number(t, tname, where), _number(s, sname, where), line))
    return curves


def _lines(points: Iterable[RawPoint], limit: int = 5) -> str:
    lines = [str(p.line) for p in points if p.line is not None]
    if not lines:
        return ""
    more = f" and {len(lines) - limit} more" if len(lines) > limit else ""
    return f" (line{'s' if len(lines) > 1 else ''} {', '.join(lines[:limit])}{more})"


def clean_curve(points: Sequence[RawPoint] | Sequence[tuple[float, float]], *, label: str = "",
                scale: str = "auto", where: str | None = None) -> Curve:
    """Clean digitised points into a Kaplan-Meier step curve and say what changed.

    Percent is detected (``scale="auto"``: any value above 1.5) or given
    (``"percent"``, ``"fraction"``). Then, as IPDfromKM's preprocess and Guyot
    et al. describe: drop t < 0 and S outside [0, 1]; sort by time (and by
    survival, highest first, at equal times: the top of a step before its
    foot); force survival non-increasing; start at (0, 1); drop duplicates.
    Fewer than two digitised points is an error (``where`` names the file).
    """
    pts = [p if isinstance(p, RawPoint) else RawPoint(float(p[0]), float(p[1])) for p in points]
    name = f"curve {label!r}: " if label else ""
    first = f"{where}:{pts[0].line}" if where and pts and pts[0].line else where
    if len(pts) < 2:
        what = "no points" if not pts else "only one point"
        raise BadInput(f"{name}{what}: a digitised curve needs at least two points", where=first)
    notes: list[str] = []
    if scale not in ("auto", "percent", "fraction"):
        raise ValueError(f"scale must be auto, percent or fraction, not {scale!r}")
    top = max(p.survival for p in pts)
    if scale == "percent" or (scale == "auto" and top > PERCENT_ABOVE):
        pts = [RawPoint(p.time, p.survival / 100.0, p.line) for p in pts]
        if scale == "auto":
            notes.append(f"survival read as percent (largest value {top:g}) and divided by 100")
    neg = [p for p in pts if p.time < 0]
    if neg:
        notes.append(f"dropped {len(neg)} point(s) with time below 0{_lines(neg)}")
    out = [p for p in pts if p.time >= 0 and not (0.0 <= p.survival <= 1.0)]
    if out:
        notes.append(f"dropped {len(out)} point(s) with survival outside [0, 1]{_lines(out)}")
    pts = [p for p in pts if p.time >= 0 and 0.0 <= p.survival <= 1.0]
    zero = [p for p in pts if p.time == 0 and p.survival < 1.0]
    if zero:
        notes.append(f"dropped {len(zero)} point(s) at time 0 below survival 1: "
                     f"the curve starts at (0, 1){_lines(zero)}")
    pts = [p for p in pts if p.time > 0]
    if len(pts) < 1:
        raise BadInput(f"{name}no usable points left after dropping those with time below 0 "
                       "or survival outside [0, 1]", where=first)
    order = sorted(range(len(pts)), key=lambda i: (pts[i].time, -pts[i].survival))
    if order != sorted(order):
        notes.append("points were not in time order: sorted by time")
    pts = [pts[i] for i in order]
    ups, fixed, level = [], [], 1.0
    for p in pts:
        if p.survival > level:
            ups.append(p)
            p = RawPoint(p.time, level, p.line)
        level = p.survival
        fixed.append(p)
    if ups:
        notes.append(f"{len(ups)} point(s) went up: set to the survival before them{_lines(ups)}")
    times, survs = [0.0], [1.0]
    dups = 0
    for p in fixed:
        if p.time == times[-1] and p.survival == survs[-1]:
            dups += 1
            continue
        times.append(p.time)
        survs.append(p.survival)
    if dups:
        notes.append(f"dropped {dups} duplicate point(s)")
    return Curve(label, tuple(times), tuple(survs), tuple(notes))


def read_curves(path: str | Path, *, scale: str = "auto") -> tuple[Curve, ...]:
    """The cleaned curves of a digitiser's export (see ``read_points``, ``clean_curve``)."""
    path = Path(path)
    return tuple(clean_curve(pts, label=label, scale=scale, where=str(path))
                 for label, pts in read_points(path).items())


# ---------------------------------------------------------------- numbers at risk


def read_at_risk(path: str | Path, labels: Sequence[str] = ("",)) -> dict[str, AtRisk]:
    """The numbers-at-risk table of each curve in ``labels``.

    Layouts: ``time,n``; ``time,n,curve``; ``time,A,B`` (a column per curve,
    matched to the labels exactly, then ignoring case, then by the label being
    part of the column name: ``nrisk_pembro`` for ``pembro``). Times must
    increase and counts must be whole, not negative and not increasing.
    """
    path = Path(path)
    rows = _rows(path)
    first = rows[0][1]
    has_header = not all(_looks_numeric(c) for c in first if c)
    header = first if has_header else ["time"] + ["n" if j == 1 else f"n{j}" for j in range(1, len(first))]
    data = rows[1:] if has_header else rows
    if len(header) < 2:
        raise BadInput("need two columns: time and the number at risk", where=f"{path}:{rows[0][0]}")
    it = _find(header, r"time.*", r"t", r"x", r".*time.*", r"months?", r"days?", r"years?")
    it = 0 if it is None else it
    ilab = _find(header, *LABEL_NAMES) if has_header else None
    if ilab is not None:
        # one row per curve and time
        inn = _find(header, r"n", r"n\.?risk", r"n_risk", r"nrisk", r"at.?risk", r"number.*", r"count")
        if inn is None:
            rest = [j for j in range(len(header)) if j not in (it, ilab)]
            if len(rest) != 1:
                raise BadInput("cannot tell which column holds the numbers at risk: name it 'n'",
                               where=f"{path}:{rows[0][0]}")
            inn = rest[0]
        tables: dict[str, list[tuple[int, float, int]]] = {}
        for line, row in data:
            row = row + [""] * (len(header) - len(row))
            if all(_is_blank(c) for c in row):
                continue
            where = f"{path}:{line}"
            lab = row[ilab]
            t, n = _risk_row(row[it], row[inn], header[it], where)
            tables.setdefault(lab, []).append((line, t, n))
        columns = {lab: lab for lab in tables}
    else:
        cols = [j for j in range(len(header)) if j != it]
        tables = {header[j]: [] for j in cols}
        for line, row in data:
            row = row + [""] * (len(header) - len(row))
            where = f"{path}:{line}"
            if _is_blank(row[it]):
                if any(not _is_blank(row[j]) for j in cols):
                    raise BadInput(f"{header[it]} missing", where=where)
                continue
            for j in cols:
                if _is_blank(row[j]):
                    continue
                t, n = _risk_row(row[it], row[j], header[it], where, f"number at risk ({header[j]})")
                tables[header[j]].append((line, t, n))
        columns = {h: h for h in tables}
    match = _match_columns(list(labels), list(columns), path, rows[0][0])
    out = {}
    for label, col in match.items():
        entries = tables[col]
        if not entries:
            raise BadInput(f"no numbers at risk in column {col!r}", where=str(path))
        out[label] = _check_table(label, entries, path)
    return out


def _risk_row(t: str, n: str, tname: str, where: str, nname: str = "number at risk") -> tuple[float, int]:
    if _is_blank(t):
        raise BadInput(f"{tname} missing", where=where)
    if _is_blank(n):
        raise BadInput(f"{nname} missing", where=where)
    tv = _number(t, tname, where)
    nv = _number(n, nname, where)
    if tv < 0:
        raise BadInput(f"{tname} must not be negative, got {t!r}", where=where)
    if not float(nv).is_integer() or nv < 0:
        raise BadInput(f"{nname} must be a whole number, not negative; got {n!r}", where=where)
    return tv, int(nv)


def _check_table(label: str, entries: list[tuple[int, float, int]], path: Path) -> AtRisk:
    for (l0, t0, n0), (l1, t1, n1) in zip(entries, entries[1:]):
        if t1 <= t0:
            raise BadInput(f"time {t1:g} comes {'before' if t1 < t0 else 'again after'} {t0:g} "
                           f"(line {l0}): numbers-at-risk times must increase", where=f"{path}:{l1}")
        if n1 > n0:
            raise BadInput(f"the number at risk goes up from {n0} (line {l0}) to {n1}: "
                           "it can only stay or fall over time", where=f"{path}:{l1}")
    return AtRisk(label, tuple(e[1] for e in entries), tuple(e[2] for e in entries))


def _match_columns(labels: list[str], columns: list[str], path: Path, line: int) -> dict[str, str]:
    """Which numbers-at-risk column (or label) belongs to each curve."""
    if len(labels) == 1 and len(columns) == 1:
        return {labels[0]: columns[0]}
    if len(labels) == 1 and labels[0] == "":
        raise BadInput(f"{len(columns)} numbers-at-risk columns ({', '.join(columns)}) for one unnamed "
                       "curve: keep one", where=f"{path}:{line}")
    out: dict[str, str] = {}
    for lab in labels:
        exact = [c for c in columns if c == lab]
        folded = [c for c in columns if c.casefold() == lab.casefold()]
        inside = [c for c in columns if lab and lab.casefold() in c.casefold()]
        for found in (exact, folded, inside):
            if len(found) == 1:
                out[lab] = found[0]
                break
        else:
            raise BadInput(f"no numbers-at-risk column or label for curve {lab!r} "
                           f"(columns/labels: {', '.join(columns)}); name them as the curves",
                           where=f"{path}:{line}")
    return out
