"""A small real project for the reliability tests: two imports, a dedup run,
screening decisions, a duplicate decision, a study with an extraction value
and a MINORS score."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from review.cli import main
from review.db import events, open_db, transaction
from tests.sources.import_helpers import dump  # noqa: F401  (used by the tests)

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL = ROOT / "protocols" / "car-t-2025.toml"
RIS = ROOT / "tests" / "data" / "formats" / "ris"


def cli(db: Path, *args, user: str = "QZ"):
    return CliRunner().invoke(main, ["--db", str(db), *map(str, args)], env={"REVIEW_USER": user})


def build(tmp: Path) -> Path:
    db = tmp / "p.db"
    for args in (("init", PROTOCOL), ("import", RIS / "asreview_embase.ris"),
                 ("import", RIS / "asreview_pubmed_zotero.ris"), ("dedup",)):
        r = cli(db, *args)
        assert r.exit_code == 0, r.output
    for rec, who, dec in ((1, "QZ", "include"), (2, "QZ", "exclude"), (1, "XJZ", "include")):
        r = cli(db, "decide", rec, dec, "--stage", "title_abstract", user=who)
        assert r.exit_code == 0, r.output
    conn = open_db(db)
    try:
        from review.dedup.store import decide_records

        decide_records(conn, 3, 4, "keep", "JM")
        with transaction(conn):
            study = events.create_study(conn, "Smith 2020", "QZ")
            events.link_report(conn, 1, study, "QZ")
            events.append_values(conn, [{"study_id": study, "field": "n", "kind": "entry", "value": "12"}],
                                 "QZ", "extraction.entry")
            events.append_scores(conn, [{"study_id": study, "tool": "MINORS", "item": 1, "kind": "entry",
                                         "score": 2}], "QZ", "minors.entry")
    finally:
        conn.close()
    return db


def raw(db: Path, *sql: str) -> None:
    """Change the file behind review's back (plain sqlite3, triggers dropped first)."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for s in sql:
            conn.execute(s)
    finally:
        conn.close()


def review_process(db: Path, *args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    """`review ARGS` as a real process."""
    full_env = {**os.environ, "REVIEW_USER": "QZ", **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "review", "--db", str(db), *args], env=full_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
