"""Shared helpers for the import tests: fixture paths, a fresh project and a
full dump of a database to compare before and after a command."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner, Result

from review.cli import main

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ROOT / "tests" / "data" / "formats"
PROTOCOL = ROOT / "protocols" / "car-t-2025.toml"
SHARED = Path("/work/shared/data/formats")


def run(db: Path, *args: str) -> Result:
    """Run the CLI against the project database ``db``."""
    return CliRunner().invoke(main, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def new_project(tmp_path: Path) -> Path:
    """A freshly initialised project database."""
    db = tmp_path / "p.db"
    res = run(db, "init", PROTOCOL)
    assert res.exit_code == 0, res.output
    return db


def dump(db: Path) -> list[str]:
    """Every row of every table, as SQL text (what 'unchanged' is compared on)."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()
