"""Fixtures for PubMed tests: a local E-utilities replay server and a project."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from replay_server import ReplayServer, Synthetic  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def eutils(monkeypatch):
    """Factory: ``eutils(synthetic=None, rate=50, give_up=5)`` starts a server and
    points REVIEW_EUTILS_URL at it (fast backoff so retries take milliseconds)."""
    started: list[ReplayServer] = []

    def start(synthetic: Synthetic | None = None, *, rate: int = 50, give_up: float = 5.0,
              rate_limit: int | None = None) -> ReplayServer:
        srv = ReplayServer(synthetic=synthetic, rate_limit=rate_limit).start()
        started.append(srv)
        monkeypatch.setenv("REVIEW_EUTILS_URL", srv.url)
        monkeypatch.setenv("REVIEW_EUTILS_RATE", str(rate))
        monkeypatch.setenv("REVIEW_EUTILS_GIVE_UP", str(give_up))
        monkeypatch.setenv("REVIEW_EUTILS_BACKOFF", "0.05")
        monkeypatch.setenv("REVIEW_EUTILS_TIMEOUT", "5")
        monkeypatch.delenv("NCBI_API_KEY", raising=False)
        monkeypatch.setenv("NCBI_EMAIL", "tests@example.org")
        return srv

    yield start
    for srv in started:
        srv.stop()


@pytest.fixture
def project(tmp_path):
    """A project database made from the seed protocol; returns its path."""
    from review.project import init_project

    res = init_project(ROOT / "protocols" / "car-t-2025.toml", tmp_path / "project.db")
    return res.db_path
