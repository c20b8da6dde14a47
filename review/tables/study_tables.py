"""The review's two study tables from the settled extraction values, in the
shape of the seed paper's Tables 1 and 2:

- Table 1, study characteristics: one row per study (and arm), a column per
  form field that is not an outcome's count or percent, and a total row
  (number of studies; sums of the whole-number columns);
- Table 2, outcomes: one row per study, a column per protocol outcome (the
  percent as extracted, or events/n), and a total row with the weighted
  average (sum of events over sum of n, events = round(percent x n / 100) as
  the protocol turns percents into events).

NA is not reported; ? is not yet settled (the reviewers still differ, or a
study is not yet submitted by both). Written as CSV, Markdown and XLSX
through review.tabular_out (formula-safe).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from review.extraction.form import Form, show_value
from review.extraction.studies import list_studies
from review.extraction.values import PENDING, SettledStudy, settled
from review.protocol import Protocol


@dataclass
class Table:
    name: str            # file stem
    title: str
    header: list[str]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"title": self.title, "header": self.header, "rows": self.rows, "notes": self.notes}


def _cell(form: Form, name: str, v: Any) -> str:
    return "?" if v is PENDING else show_value(form.get(name).type, v)


def _units(protocol: Protocol, sts: list[SettledStudy]):
    """(label, settled study, arm) for each row of the tables."""
    for ss in sts:
        for arm in ss.arms or [""]:
            yield (f"{ss.study.label} ({arm})" if arm else ss.study.label), ss, arm


def characteristics(protocol: Protocol, form: Form, sts: list[SettledStudy]) -> Table:
    outcome_fields = {o.events or o.percent for o in protocol.outcomes}
    cols = [f for f in form if f.name not in outcome_fields]
    header = ["Study", *[f"{f.label} ({f.unit})" if f.unit and f.type != "median_range" else f.label for f in cols]]
    rows, pending = [], 0
    sums: dict[str, int] = {f.name: 0 for f in cols if f.type == "int"}
    for label, ss, arm in _units(protocol, sts):
        row = [label]
        for f in cols:
            v = ss.value(arm, f.name)
            pending += v is PENDING
            row.append(_cell(form, f.name, v))
            if f.name in sums and isinstance(v, int) and not isinstance(v, bool):
                sums[f.name] += v
        rows.append(row)
    total = [f"Total ({len(sts)} studies)"] + [str(sums[f.name]) if f.name in sums else "" for f in cols]
    notes = ["NA: not reported."] + ([f"?: not yet settled ({pending} values)."] if pending else [])
    return Table("table1_characteristics", "Table 1. Characteristics of the included studies", header,
                 rows + [total], notes)


def outcomes(protocol: Protocol, form: Form, sts: list[SettledStudy]) -> Table:
    header = ["Study", *[o.name for o in protocol.outcomes]]
    rows, pending = [], 0
    ev_sum = {o.name: 0 for o in protocol.outcomes}
    n_sum = {o.name: 0 for o in protocol.outcomes}
    for label, ss, arm in _units(protocol, sts):
        row = [label]
        for o in protocol.outcomes:
            v = ss.value(arm, o.events or o.percent)
            n = ss.value(arm, o.n)
            if v is PENDING:
                pending += 1
                row.append("?")
                continue
            if v is None:
                row.append("NA")
                continue
            if o.percent:
                row.append(f"{float(v):.2f}")
                events = round(v * n / 100) if isinstance(n, int) else None
            else:
                row.append(f"{v}/{_cell(form, o.n, n)}")
                events = v
            if events is not None and isinstance(n, int):
                ev_sum[o.name] += events
                n_sum[o.name] += n
        rows.append(row)
    total = ["Weighted average"] + [f"{100 * ev_sum[o.name] / n_sum[o.name]:.2f}" if n_sum[o.name] else "—"
                                    for o in protocol.outcomes]
    legend = "; ".join(f"{o.name} {o.label}" for o in protocol.outcomes)
    kinds = "; ".join(f"{o.name} percent" if o.percent else f"{o.name} events/n" for o in protocol.outcomes)
    notes = [f"{legend}.", f"Values: {kinds}. NA: not reported.",
             "Weighted average: total events / total n x 100 over the studies reporting the outcome "
             "(events = round(percent x n / 100))."]
    if pending:
        notes.append(f"?: not yet settled ({pending} values).")
    return Table("table2_outcomes", "Table 2. Outcomes of the included studies", header, rows + [total], notes)


def build_tables(conn: sqlite3.Connection, protocol: Protocol) -> list[Table]:
    form = Form.from_protocol(protocol)
    sts = settled(conn, protocol, form, list_studies(conn, protocol))
    return [characteristics(protocol, form, sts), outcomes(protocol, form, sts)]


def markdown(table: Table) -> str:
    from review.tabular_out import markdown_table

    return f"**{table.title}**\n\n" + markdown_table(table.header, table.rows) + "\n" + \
        "".join(f"{n}\n" for n in table.notes)


def write_tables(tables: list[Table], folder: str | Path) -> list[Path]:
    """CSV and Markdown of each table, and one XLSX with a sheet each; returns the files."""
    from review.tabular_out import write_delimited, write_text, write_xlsx

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for t in tables:
        written.append(write_delimited(out / f"{t.name}.csv", t.header, t.rows))
        written.append(write_text(out / f"{t.name}.md", markdown(t)))
    sheets = {t.title.split(".")[0]: (t.header, t.rows + [[]] + [[n] for n in t.notes]) for t in tables}
    written.append(write_xlsx(out / "tables.xlsx", sheets))
    return written


__all__ = ["Table", "build_tables", "characteristics", "outcomes", "markdown", "write_tables"]
