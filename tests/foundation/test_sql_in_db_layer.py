"""SQL lives in review/db/ only (a team server on PostgreSQL will follow, so
what is SQLite-specific stays in one place): no other module of the package
executes SQL."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CALL = re.compile(r"\.(execute|executemany|executescript)\(")


def test_no_module_outside_review_db_executes_sql():
    offenders = []
    for path in sorted((ROOT / "review").rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[:2] == ("review", "db") or "build" in rel.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if CALL.search(line):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert not offenders, "SQL outside review/db/:\n" + "\n".join(offenders)


def test_the_check_sees_a_call():
    assert CALL.search('conn.execute("SELECT 1")') and not CALL.search("run_job(x)")
