"""Projects and helpers for the TUI tests.

``pairs_project`` stores six real records through the core and then writes one
dedup run with three possible pairs as ``review.dedup.store.run`` writes them
(the SQL is here, in the test, on purpose): the screens are tested against
pairs that do not move when the dedup engine's scores change. One test in
test_pair_view.py runs the real ``review dedup`` instead.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from review.db import open_db, transaction
from review.db.records import start_search, store_records
from review.models import Record
from review.tui.screens.base import ReviewScreen

T1 = "Long-term outcomes of CD19 CAR-T cell therapy in relapsed lymphoma: a cohort study"
T2 = "Cytokine release syndrome after CAR-T cell therapy: incidence and risk factors"
T3 = "CD19 CAR-T细胞治疗复发难治性B细胞急性淋巴细胞白血病的临床研究"

RECORDS = {
    "pubmed": [
        Record(title=T1, authors=("Zhang, W.", "Li, X."), year=2021, journal="Blood", volume="138",
               pages="100-110", pmid="111", abstract="Background: relapsed lymphoma. " * 4),
        Record(title=T2, authors=("Brown, K.", "Smith, A."), year=2020, journal="J Clin Oncol", volume="38",
               pages="2001-2010", pmid="333"),
    ],
    "embase": [
        Record(title=T1.upper(), authors=("Zhang, W.", "Li, X."), year=2021, journal="Blood", volume="138",
               pages="100-10", doi="10.1182/blood.2021.1", abstract="A much longer abstract. " * 40),
        Record(title="Cytokine release syndrome after CAR T therapy (conference abstract)",
               authors=("Brown, K.",), year=2019, journal="J Clin Oncol", volume="37", issue="15 suppl",
               pages="e12345"),
    ],
    "cnki": [Record(title=T3, authors=("王晓明", "李静"), year=2020, journal="中华血液学杂志", volume="41",
                    issue="5", pages="385-390")],
    "wanfang": [Record(title=T3, authors=("王晓明", "李静", "张伟"), year=2020, journal="中华血液学杂志",
                       volume="41", pages="385-390", doi="10.3760/cma.j.issn.0253-2727.2020.05.007")],
}
# record ids: pubmed 1, 2; embase 3, 4; cnki 5; wanfang 6
PAIRS = [  # (record_a, record_b, score, reasons): shown best score first: pairs 1, 3, 2
    (1, 3, 0.91, ["title 1.00 (full)", "different end pages"]),
    (2, 4, 0.72, ["title 0.81", "different years", "different volumes"]),
    (5, 6, 0.84, ["title 1.00 (cjk)", "different authors"]),
]


@pytest.fixture
def pairs_project(tmp_path):
    """A project database with three open possible pairs (ids 1, 2, 3)."""
    return make_pairs_project(tmp_path)


def make_pairs_project(tmp_path):
    db = tmp_path / "demo.db"
    conn = open_db(db, create=True)
    with transaction(conn):
        for source, recs in RECORDS.items():
            sid = start_search(conn, kind="import", source=source, actor="t")
            store_records(conn, source, sid, recs)
        run = conn.execute("INSERT INTO dedup_runs (started_at, finished_at, actor, tool_version, records, possible)"
                           " VALUES ('2025-01-01', '2025-01-01', 't', 'test', 6, 3)").lastrowid
        conn.executemany(
            "INSERT INTO dedup_pairs (run_id, record_a, record_b, tier, rule, score, reasons)"
            " VALUES (?, ?, ?, 'possible', 'test', ?, ?)",
            [(run, a, b, s, json.dumps(r)) for a, b, s, r in PAIRS])
    conn.close()
    return db


def decisions(db) -> list[tuple]:
    """(decision, record_a, record_b) of every dedup decision row, in order."""
    conn = open_db(db)
    try:
        return [tuple(r) for r in conn.execute("SELECT decision, record_a, record_b FROM dedup_decisions ORDER BY id")]
    finally:
        conn.close()


def review_screens(app) -> list[ReviewScreen]:
    return [s for s in app.screen_stack if isinstance(s, ReviewScreen)]


async def settle(pilot) -> None:
    """Wait until no database job is pending on any screen and the screen is painted."""
    app = pilot.app
    for _ in range(500):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if all(s.db.pending is None for s in review_screens(app)):
            return
    raise AssertionError("database jobs still pending")


def status(app) -> str:
    return str(review_screens(app)[-1].status.render())


def lock(db, *, readers: bool = False) -> sqlite3.Connection:
    """A second connection holding the write lock (``readers``: an exclusive lock
    that blocks reads too, as a program in exclusive locking mode does)."""
    holder = sqlite3.connect(str(db), isolation_level=None)
    if readers:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")  # held until the connection closes
    else:
        holder.execute("BEGIN IMMEDIATE")
    return holder


def release(holder: sqlite3.Connection, commit: bool = True) -> None:
    holder.execute("COMMIT" if commit else "ROLLBACK")
    holder.close()


@pytest.fixture
def notes(monkeypatch):
    """Every notification shown by any app during the test (message texts)."""
    from textual.app import App

    seen: list[str] = []
    original = App.notify

    def notify(self, message, *args, **kw):
        seen.append(str(message))
        return original(self, message, *args, **kw)

    monkeypatch.setattr(App, "notify", notify)
    return seen
