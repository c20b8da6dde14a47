"""Fixtures for the journal-metric tests: a project, records stored through
the core API, the CLI, a full dump of the database, and a local OpenAlex."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from review.cli import main
from review.db import open_db, transaction
from review.db.records import finish_search, start_search, store_records
from review.models import Record

from .openalex_server import OpenAlexServer

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "journals"
PROTOCOL = ROOT / "protocols" / "car-t-2025.toml"


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *map(str, args)])


def dump(db: Path) -> str:
    """SHA-256 of the database's content (schema and every row, as SQL): what
    'unchanged' is compared on."""
    conn = sqlite3.connect(db)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode("utf-8")).hexdigest()
    finally:
        conn.close()


def add_records(db: Path, records: list[Record], source: str = "test") -> list[int]:
    """Store records as one import of ``source``; returns their ids in order."""
    conn = open_db(db)
    try:
        with transaction(conn):
            sid = start_search(conn, kind="import", source=source, actor="tester", file=f"{source}.txt")
            store_records(conn, source, sid, records)
            finish_search(conn, sid, count_found=len(records))
            ids = [r[0] for r in conn.execute(
                "SELECT record_id FROM record_searches WHERE search_id = ? ORDER BY record_id", (sid,))]
    finally:
        conn.close()
    return ids


def group(db: Path, members: list[int]) -> None:
    """Put records in one duplicate group as a person would (dedup merge
    decisions), the smallest id as representative; units follow."""
    from review.dedup.store import decide_records

    conn = open_db(db)
    try:
        for m in members[1:]:
            decide_records(conn, members[0], m, "merge", "t")
    finally:
        conn.close()


@pytest.fixture
def project(tmp_path) -> Path:
    from review.project import init_project

    return init_project(PROTOCOL, tmp_path / "p.db").db_path


@pytest.fixture
def openalex(monkeypatch):
    """Start a local OpenAlex and point REVIEW_OPENALEX_URL at it (fast retries)."""
    started: list[OpenAlexServer] = []

    def start(sources: list[dict] | None = None, *, give_up: float = 5.0) -> OpenAlexServer:
        srv = OpenAlexServer(sources).start()
        started.append(srv)
        monkeypatch.setenv("REVIEW_OPENALEX_URL", srv.url)
        monkeypatch.setenv("REVIEW_OPENALEX_RATE", "50")
        monkeypatch.setenv("REVIEW_OPENALEX_GIVE_UP", str(give_up))
        monkeypatch.setenv("REVIEW_OPENALEX_BACKOFF", "0.02")
        monkeypatch.setenv("REVIEW_OPENALEX_TIMEOUT", "5")
        monkeypatch.setenv("OPENALEX_EMAIL", "tests@example.org")
        return srv

    yield start
    for srv in started:
        srv.stop()
