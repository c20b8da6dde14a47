"""Every CSV and XLSX the extraction side writes (settled and reviewers'
exports, Tables 1 and 2, the MINORS table, pooled.csv) neutralises text a
spreadsheet would run as a formula, whatever field or label it comes from."""

from __future__ import annotations

import csv

from tests.extraction.projects import S1, S2, included_project
from tests.screening.helpers import run

EVIL_LABEL = "=HYPERLINK(\"http://x.example\",\"a\")"
EVIL_TEXT = "@SUM(1+1)*cmd|' /C calc'!A0"
DANGER = ("=", "+", "-", "@", "\t", "\r")


def test_every_written_table_is_formula_safe(tmp_path):
    from openpyxl import load_workbook

    db = included_project(tmp_path)
    run(db, "studies", "rename", S1, EVIL_LABEL)
    for who in ("ANA", "BEN"):
        for study, n, r in ((EVIL_LABEL, "20", "7"), (S2, "30", "12")):
            for field, value in (("n", n), ("responders", r), ("dr", "-"), ("cancer", "myeloma"),
                                 ("vector", EVIL_TEXT)):
                if value != "-":
                    run(db, "extract", "set", study, field, value, "--reviewer", who, user=who)
            run(db, "extract", "submit", study, "--reviewer", who, user=who)
        scores = tmp_path / f"{who}.csv"
        scores.write_text("study," + ",".join(f"item{i}" for i in range(1, 9)) + "\n"
                          + "\n".join(f'"{s.replace(chr(34), chr(34) * 2)}",' + ",".join(["2"] * 8)
                                      for s in (EVIL_LABEL, S2)) + "\n", encoding="utf-8")
        run(db, "minors", "import", scores, "--reviewer", who, user=who)
    out = tmp_path / "out"
    out.mkdir()
    run(db, "extract", "export", "--out", out / "settled.csv")
    run(db, "extract", "export", "--out", out / "settled.xlsx")
    run(db, "extract", "export", "--reviewer", "ANA", "--out", out / "ana.tsv")
    run(db, "tables", "--out", out / "tables")
    run(db, "minors", "table", "--out", out / "minors.csv")
    run(db, "minors", "table", "--out", out / "minors.xlsx")
    run(db, "pool", "--all", "--method", "Inverse", "--out", out / "pooled")
    written = sorted(p for p in out.rglob("*") if p.suffix in (".csv", ".tsv", ".xlsx"))
    assert [p.name for p in written] == ["ana.tsv", "minors.csv", "minors.xlsx", "pooled.csv", "settled.csv",
                                         "settled.xlsx", "table1_characteristics.csv", "table2_outcomes.csv",
                                         "tables.xlsx"]
    cells_seen = set()
    for p in written:
        if p.suffix == ".xlsx":
            wb = load_workbook(p)
            cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
            assert all(c.data_type == "s" for c in cells), p
            values = [c.value for c in cells]
        else:
            with p.open(encoding="utf-8", newline="") as fh:
                values = [v for row in csv.reader(fh, delimiter="\t" if p.suffix == ".tsv" else ",") for v in row]
        bad = [v for v in values if v.startswith(DANGER) and not v.lstrip("+-").replace(".", "").isdigit()]
        assert not bad, (p.name, bad)
        cells_seen |= {v for v in values if v in ("'" + EVIL_LABEL, "'" + EVIL_TEXT)}
    assert cells_seen == {"'" + EVIL_LABEL, "'" + EVIL_TEXT}
