"""`review journals import`: read metric files whole, then store them in one
transaction, each import logged and audited. The same file (same bytes)
imported again changes nothing; a newer file adds its values beside the old.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

from review.clock import current_actor
from review.db import audit, transaction
from review.db import journals as jdb
from review.journals.readers import read_metric_file


@dataclass
class ImportResult:
    """What one metric file added."""

    file: str
    format: str
    kind: str
    years: list[int]
    rows: int
    journals: int
    new_journals: int = 0
    metrics: int = 0
    without_value: int = 0
    import_id: int | None = None
    already_imported: bool = False
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def import_metric_files(conn: sqlite3.Connection, paths: Sequence[str | Path], *, fmt: str = "auto",
                        year: int | None = None, kind: str | None = None,
                        actor: str | None = None) -> list[ImportResult]:
    """Parse every file (a bad one stops everything before anything is stored),
    then store them all in one transaction."""
    actor = actor or current_actor()
    parsed = [read_metric_file(p, fmt, year=year, kind=kind) for p in paths]
    results = []
    with transaction(conn):
        for pm in parsed:
            no_value = sum(1 for e in pm.entries for m in e.metrics if m.value is None)
            res = ImportResult(pm.path, pm.format, pm.kind, pm.years, pm.rows, len(pm.entries),
                               without_value=no_value, notes=list(pm.notes))
            prev = jdb.import_by_sha(conn, pm.sha256)
            if prev is not None:
                res.already_imported, res.import_id = True, prev["id"]
                res.notes.append(f"imported before as {prev['file']} (import {prev['id']}): nothing changed")
                results.append(res)
                continue
            iid = jdb.add_import(conn, file=pm.path, sha256=pm.sha256, format=pm.format, kind=pm.kind,
                                 years=pm.years, rows=pm.rows, actor=actor, details={"notes": pm.notes})
            _, res.new_journals, res.metrics = jdb.store_entries(conn, iid, pm.entries)
            jdb.finish_import(conn, iid, journals=len(pm.entries), metrics=res.metrics)
            res.import_id = iid
            audit.log(conn, actor, "journals.import", pm.path,
                      {"import_id": iid, "format": pm.format, "kind": pm.kind, "sha256": pm.sha256,
                       "years": pm.years, "rows": pm.rows, "journals": len(pm.entries),
                       "metrics": res.metrics, "without_value": no_value})
            results.append(res)
    return results
