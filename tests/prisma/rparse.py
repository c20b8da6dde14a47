"""How the PRISMA2020 R package (v1.1.4) reads its CSV, re-implemented in Python
for the tests (R is not needed to run them): ``read.csv`` turns "NA" into NA,
``PRISMA_data`` finds each key with ``grep(key, data[, 1])`` (a regex search,
``total_studies$`` and ``total_reports$`` anchored), plain counts go through
``PRISMA_format_number_`` and ``scales::comma``, per-source and reason cells
through ``PRISMA_parse_reasons_``.

The outputs of R itself on two of these CSVs are stored in tests/data/prisma/
(R_PRISMA_data_*.json, see PROVENANCE.md), and test_csv.py checks that this
re-implementation gives the same.
"""

from __future__ import annotations

import csv
import io
import re

COUNT_KEYS = ("database_results", "register_results", "duplicates", "excluded_automatic", "excluded_other",
              "records_screened", "records_excluded", "dbr_sought_reports", "dbr_notretrieved_reports",
              "dbr_assessed", "new_studies", "new_reports", "total_studies$", "total_reports$",
              "previous_studies", "other_assessed")
REASON_KEYS = ("database_specific_results", "register_specific_results", "dbr_excluded", "other_excluded")


def read_csv(text: str) -> list[dict]:
    """``read.csv``: a header row, then rows; the string NA is NA (None)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    return [{k: (None if v == "NA" else v) for k, v in r.items()} for r in rows]


def format_number(x: str | None) -> float | None:
    """``PRISMA_format_number_``: drop commas, then anything but digits and dots."""
    if x is None:
        return None
    x = re.sub(r"[^0-9.]", "", x.replace(",", ""))
    try:
        return float(x)
    except ValueError:
        return None


def comma(x: float | None) -> str | None:
    """``scales::comma`` of a whole number."""
    return None if x is None else f"{int(round(x)):,}"


def parse_reasons(cell: str) -> dict[str, list]:
    """``PRISMA_parse_reasons_``."""
    if re.search(r"[^0-9,]", cell):
        items = re.split(r"; ?", cell)                                  # strsplit(x, "(;)( )?")
        reasons = [re.sub(r",.*$", "", it) for it in items]
        numbers = [re.sub(r".*?,([ 0-9,]*)|.*()", lambda m: m.group(1) or "", it) for it in items]
        return {"reason": reasons, "n": [comma(format_number(n)) for n in numbers]}
    return {"reason": [""], "n": [comma(format_number(cell))]}


def lookup(rows: list[dict], key: str) -> list[str]:
    """``data[grep(key, data[, 1]), ]$n``."""
    return [r["n"] for r in rows if r["data"] is not None and re.search(key, r["data"])]


def prisma_data(text: str) -> dict:
    """What ``PRISMA_data(read.csv(f))`` makes of the counts and lists (as R prints them)."""
    rows = read_csv(text)
    out: dict = {}
    for key in COUNT_KEYS:
        found = lookup(rows, key)
        assert len(found) == 1, f"{key}: {len(found)} rows match"
        out[key.rstrip("$")] = comma(format_number(found[0]))
    for key in REASON_KEYS:
        (cell,) = lookup(rows, key)
        out[key] = parse_reasons(cell)
    return out
