"""Extraction tables in and out: ``review extract import`` and ``export``.

A table has one row per study (or per arm of a study with several groups):

- ``record_id``, ``doi`` or ``pmid`` link the row to an included report
  (any copy in its duplicate group); without any of them, ``study`` must name
  an existing study;
- ``study`` labels the study (a study still under its automatic label takes
  this one; a different label of a study someone named already is refused);
- ``arm`` (optional) names the group the row is about, blank for the whole study;
- every other column named as a protocol field holds that field's value
  (a ``median_range`` field may also come as two columns, ``F_median`` and
  ``F_range``); a blank cell is not entered, ``NA`` is not reported. Columns
  that are no field are listed as ignored.

CSV and TSV are read as text (review.journals.table: pandas, each row
knowing its line); XLSX with pandas and openpyxl (lines are the sheet's row
numbers). Every row is checked before anything is stored: a row that links
to nothing, or a bad value, raises BadInput naming the file and line, and the
import stores nothing. Exports go through review.tabular_out (formula-safe).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from review.db import transaction
from review.db import units as udb
from review.db.records import identifiers
from review.errors import BadInput
from review.extraction import studies as st_mod
from review.extraction.dual import DualState, Row
from review.extraction.form import Form, as_typed, from_json
from review.extraction.studies import Study, ensure_studies, find_study
from review.extraction.values import (PENDING, entry_rows, parse_entries, require_open, settled, states,
                                      submit as submit_study)
from review.protocol import Protocol

LINK_COLUMNS = ("record_id", "doi", "pmid")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


@dataclass
class Sheet:
    """Rows of a table file: column -> text, and each row's line."""

    path: str
    columns: list[str]
    rows: list[dict[str, str]]
    lines: list[int]

    def where(self, i: int) -> str:
        return f"{self.path}:{self.lines[i]}"


def read_sheet(path: str | Path) -> Sheet:
    """A CSV, TSV or XLSX file as text cells (the first sheet of a workbook)."""
    p = Path(path)
    if not p.is_file():
        raise BadInput("no such file", where=str(p))
    if p.suffix.lower() in XLSX_SUFFIXES:
        return _read_xlsx(p)
    from review.journals.table import read_table, read_text
    from review.sources.table import delimiter_for

    tf = read_text(p)
    first = next((i for i, line in enumerate(tf.lines) if line.strip()), None)
    if first is None:
        raise BadInput("the file is empty", where=f"{p}:1")
    sep = delimiter_for(p, tf.lines[first])
    t = read_table(tf, first, len(tf.lines), sep)
    keep = [i for i, r in enumerate(t.rows) if any(str(v).strip() for v in r.values())]
    return Sheet(str(p), t.columns, [t.rows[i] for i in keep], [t.lines[i] for i in keep])


def _read_xlsx(p: Path) -> Sheet:
    import pandas as pd

    try:
        df = pd.read_excel(p, sheet_name=0, header=None, dtype=str, keep_default_na=False, engine="openpyxl")
    except Exception as exc:  # noqa: BLE001 - openpyxl and zipfile raise many kinds for a broken file
        raise BadInput(f"cannot read the workbook: {exc}", where=str(p)) from None
    cells = [["" if v is None else str(v).strip() for v in row] for row in df.to_numpy(dtype=object).tolist()]
    first = next((i for i, r in enumerate(cells) if any(r)), None)
    if first is None:
        raise BadInput("the workbook's first sheet is empty", where=f"{p}:1")
    names = list(cells[first])
    while names and not names[-1]:
        names.pop()
    seen = set()
    for n in names:
        if not n:
            raise BadInput("a column without a name in the header", where=f"{p}:{first + 1}")
        if n.lower() in seen:
            raise BadInput(f"column {n!r} appears twice in the header", where=f"{p}:{first + 1}")
        seen.add(n.lower())
    rows, lines = [], []
    for i in range(first + 1, len(cells)):
        r = cells[i]
        extra = [c for c in r[len(names):] if c]
        if extra:
            raise BadInput(f"a cell ({extra[0]!r}) past the header's last column {names[-1]!r}",
                           where=f"{p}:{i + 1}")
        if any(r[:len(names)]):
            rows.append(dict(zip(names, r + [""] * (len(names) - len(r)))))
            lines.append(i + 1)
    return Sheet(str(p), names, rows, lines)


def norm_doi(doi: str) -> str:
    return _DOI_PREFIX.sub("", doi.strip()).strip().lower()


# ------------------------------------------------------------------ import
@dataclass
class Imported:
    reviewer: str
    rows: int
    studies: list[str]
    values: int
    submitted: list[str] = field(default_factory=list)
    complete: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class _Columns:
    link: dict[str, str]             # record_id/doi/pmid -> column
    study: str | None
    arm: str | None
    fields: dict[str, str]           # field -> column
    pairs: dict[str, tuple[str, str]]  # median_range field -> (median column, range column)
    ignored: list[str]


def _columns(sheet: Sheet, form: Form) -> _Columns:
    low = {c.lower(): c for c in sheet.columns}
    link = {k: low[k] for k in LINK_COLUMNS if k in low}
    fields, pairs, used = {}, {}, set(link.values())
    for f in form:
        if f.name.lower() in low and f.name.lower() not in LINK_COLUMNS:
            fields[f.name] = low[f.name.lower()]
        elif f.type == "median_range" and f"{f.name}_median".lower() in low:
            med, rng = low[f"{f.name}_median".lower()], low.get(f"{f.name}_range".lower())
            if rng is None:
                raise BadInput(f"column {med!r} needs a column {f.name}_range beside it (or one column "
                               f"{f.name!r} with e.g. 60 (38-76))", where=f"{sheet.path}:1")
            pairs[f.name] = (med, rng)
            used |= {med, rng}
    used |= set(fields.values())
    study, arm = low.get("study"), low.get("arm")
    used |= {c for c in (study, arm) if c}
    if not link and not study:
        raise BadInput("no column to link rows to the included reports: record_id, doi or pmid "
                       "(or study, naming existing studies)", where=f"{sheet.path}:1")
    if not fields and not pairs:
        raise BadInput(f"no column is a field of the protocol's form ({', '.join(form.names) or 'none'})",
                       where=f"{sheet.path}:1")
    return _Columns(link, study, arm, fields, pairs, [c for c in sheet.columns if c not in used])


class _Linker:
    """Finds the study of a row from its record_id, doi or pmid."""

    def __init__(self, conn: sqlite3.Connection, studies: list[Study]):
        self.conn = conn
        self.study_of_unit = {r.unit_id: s.id for s in studies for r in s.reports}
        self.doi: dict[str, set[int]] = {}
        self.pmid: dict[str, set[int]] = {}
        for rid, doi, pmid in identifiers(conn):
            if doi:
                self.doi.setdefault(norm_doi(doi), set()).add(rid)
            if pmid:
                self.pmid.setdefault(str(pmid).strip(), set()).add(rid)

    def _records(self, kind: str, text: str, where: str) -> set[int]:
        if kind == "record_id":
            if not text.isdigit():
                raise BadInput(f"record_id must be a record's number, got {text!r}", where=where)
            return {int(text)}
        if kind == "doi":
            return self.doi.get(norm_doi(text), set())
        return self.pmid.get(text[:-2] if text.endswith(".0") else text, set())

    def study_id(self, row: dict[str, str], cols: dict[str, str], where: str) -> int | None:
        """The id of the study the row's identifiers name (None: the row has none)."""
        found: dict[int, str] = {}
        for kind, col in cols.items():
            text = (row.get(col) or "").strip()
            if not text:
                continue
            recs = self._records(kind, text, where)
            if not recs:
                raise BadInput(f"no record in the project has {kind} {text!r}", where=where)
            hits = set()
            for rid in recs:
                try:
                    unit = udb.unit_of(self.conn, rid)
                except BadInput:
                    raise BadInput(f"no record {rid} in the project (see 'review records')", where=where) from None
                if unit in self.study_of_unit:
                    hits.add(self.study_of_unit[unit])
            if not hits:
                raise BadInput(f"{kind} {text!r} is a record that is not an included report (only reports "
                               "included at full text have studies)", where=where)
            if len(hits) > 1:
                raise BadInput(f"{kind} {text!r} matches reports of several studies: use record_id", where=where)
            found[hits.pop()] = f"{kind} {text}"
        if len(found) > 1:
            raise BadInput(f"the row's identifiers name different studies ({'; '.join(found.values())})",
                           where=where)
        return next(iter(found), None)


def _automatic(study: Study) -> bool:
    """Whether a study still has the label it was given by default."""
    base = st_mod.default_label(study.reports[0]) if study.reports else ""
    return bool(base) and re.fullmatch(re.escape(base) + r"[a-z]{0,2}", study.label) is not None


def _row_items(row: dict[str, str], cols: _Columns, arm: str) -> list[tuple[str, str, str]]:
    """(arm, field, text) of the row's non-blank field cells."""
    items = [(arm, name, row[col]) for name, col in cols.fields.items() if row[col].strip()]
    for name, (med, rng) in cols.pairs.items():
        m, r = row[med].strip(), row[rng].strip()
        if m or r:
            items.append((arm, name, f"{m or 'NA'} ({r})" if r and r.upper() != "NA" else (m or "NA")))
    return items


def import_values(conn: sqlite3.Connection, protocol: Protocol, path: str | Path, reviewer: str, *,
                  submit: bool = True) -> Imported:
    """Import a reviewer's extraction table: all of it, or nothing (BadInput
    naming the file and line). ``submit``: submit every study in it."""
    from review.db import events as ev
    from review.screening.decisions import require_role

    require_role(protocol, reviewer, "reviewer")
    form = Form.from_protocol(protocol)
    sheet = read_sheet(path)
    cols = _columns(sheet, form)
    result = Imported(reviewer, len(sheet.rows), [], 0, ignored_columns=cols.ignored)
    with transaction(conn):
        studies = ensure_studies(conn, protocol, reviewer)
        by_id = {s.id: s for s in studies}
        linker = _Linker(conn, studies)
        sts = states(conn, list(by_id))
        seen: dict[tuple[int, str], int] = {}
        first_line: dict[int, int] = {}
        entered: dict[int, dict] = {}  # study -> the reviewer's values as the file leaves them
        new_rows: list[dict] = []
        for i, row in enumerate(sheet.rows):
            where = sheet.where(i)
            sid = linker.study_id(row, cols.link, where)
            label = (row.get(cols.study) or "").strip() if cols.study else ""
            if sid is None:
                if not label:
                    raise BadInput("the row names no record (record_id, doi or pmid) and no study", where=where)
                try:
                    sid = find_study(list(by_id.values()), label).id
                except BadInput as exc:
                    raise BadInput(str(exc), where=where) from None
            elif label and label != by_id[sid].label:
                by_id[sid] = _relabel(conn, by_id, by_id[sid], label, reviewer, where, result)
            study = by_id[sid]
            arm = (row.get(cols.arm) or "").strip() if cols.arm else ""
            if (sid, arm) in seen:
                raise BadInput(f"study {study.label!r}{f' arm {arm!r}' if arm else ''} is on line "
                               f"{seen[(sid, arm)]} already", where=where)
            seen[(sid, arm)] = sheet.lines[i]
            first_line.setdefault(sid, sheet.lines[i])
            state = sts.get(sid, DualState())
            try:
                require_open(protocol, state, study)
            except BadInput as exc:
                raise BadInput(str(exc), where=where) from None
            current = entered.setdefault(sid, dict(state.entries.get(reviewer, {})))
            parsed = parse_entries(form, study, current, _row_items(row, cols, arm), where)
            rows = entry_rows(study, reviewer, parsed, current)
            for r in rows:
                current[(r["arm"], r["field"])] = Row(0, reviewer, (r["arm"], r["field"]), "entry",
                                                      from_json(r["value"]), r["derived"])
            new_rows += rows
        if new_rows:
            ev.append_values(conn, new_rows, reviewer, "extraction.import",
                             {"file": Path(path).name, "rows": len(sheet.rows)})
        result.values = len(new_rows)
        result.studies = sorted(by_id[sid].label for sid in first_line)
        if submit:
            for sid, line in first_line.items():
                try:
                    done = submit_study(conn, protocol, form, by_id[sid], reviewer)
                except BadInput as exc:
                    raise BadInput(str(exc), where=f"{sheet.path}:{line}") from None
                result.submitted.append(by_id[sid].label)
                if done.complete:
                    result.complete.append(by_id[sid].label)
    return result


def _relabel(conn, by_id: dict[int, Study], study: Study, label: str, actor: str, where: str,
             result: Imported) -> Study:
    """The study under the row's label, if it may take it (see the module docstring)."""
    from review.db import extraction as xdb

    other = next((s for s in by_id.values() if s.label == label and s.id != study.id), None)
    if other is not None:
        raise BadInput(f"the row's report belongs to study {study.label!r}, but it says study {label!r}, which is "
                       f"another study (to make the report part of it: 'review studies link RECORD --study "
                       f"{label!r}')", where=where)
    if not _automatic(study):
        raise BadInput(f"the row's report belongs to study {study.label!r}, but it says study {label!r} "
                       f"(use that label, or change it with 'review studies rename')", where=where)
    xdb.rename_study(conn, study.id, label, actor)
    result.renamed[study.label] = label
    return Study(study.id, label, study.reports, study.other_units)


# ------------------------------------------------------------------ export
def export_table(conn: sqlite3.Connection, protocol: Protocol, *, reviewer: str | None = None
                 ) -> tuple[list[str], list[list[Any]], int]:
    """(header, rows, cells not yet settled): settled values, or a reviewer's own.

    One row per study and one per arm; blank where nothing is entered or
    settled, NA where not reported; numbers stay numbers (a reviewer's count
    typed as events/n or a percent of n is written as typed). The table
    imports again as it is.
    """
    form = Form.from_protocol(protocol)
    studies = st_mod.list_studies(conn, protocol)
    header = ["study", "record_id", "doi", "pmid", "arm", *form.names]
    rows, open_cells = [], 0
    if reviewer is not None:
        sts = states(conn, [s.id for s in studies])
        for s in studies:
            own = sts.get(s.id, DualState()).entries.get(reviewer, {})
            for arm in [""] + sorted({a for a, _ in own if a}):
                rows.append(_ids(s) + [arm] + [_typed(f, own[(arm, f.name)].value, own[(arm, f.name)].derived)
                                               if (arm, f.name) in own else "" for f in form])
    else:
        for ss in settled(conn, protocol, form, studies):
            for arm in [""] + ss.arms:
                cells = []
                for f in form:
                    v = ss.values.get((arm, f.name), None if arm else PENDING)
                    if arm and (arm, f.name) not in ss.values:
                        cells.append("")
                    elif v is PENDING:
                        open_cells += 1
                        cells.append("")
                    else:
                        cells.append(_typed(f, v))
                rows.append(_ids(ss.study) + [arm] + cells)
    if not any(r[4] for r in rows):
        header.pop(4)
        rows = [r[:4] + r[5:] for r in rows]
    return header, rows, open_cells


def _typed(f, value: Any, derived: str = "entered") -> Any:
    """A cell: numbers as numbers, NA, text as the form shows it (or as typed)."""
    if derived == "entered" and value is not None and f.type in ("int", "float", "percent") \
            and not isinstance(value, bool):
        return value
    return as_typed(f.type, value, derived)


def _ids(s: Study) -> list[Any]:
    r = s.reports[0] if s.reports else None
    return [s.label, r.record_id if r else "", (r.doi if r else "") or "", (r.pmid if r else "") or ""]
