"""A search killed by a signal is resumed, once, by the same command.

Real ``python -m review ... search pubmed`` processes against the replay server,
killed with real signals once they have staged records (the db is polled, never a
fixed sleep). At 2 requests/s a 4,000-hit search needs 8 efetch batches, so it is
still fetching when the first batch is staged.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from replay_server import Synthetic

from review.cli import main

ROOT = Path(__file__).resolve().parents[2]
TOTAL = 4000
ARGS = ("--query", "synthetic", "--mindate", "2000/01/01", "--maxdate", "2019/12/31")


def spawn(db, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "review", "--db", str(db), "search", "pubmed", *ARGS, *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def q(db, sql, *params):
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def staged(db) -> set[str]:
    return {r[0] for r in q(db, "SELECT pmid FROM search_staged")}


def wait_until_staged(db, proc, timeout=30.0) -> None:
    """Poll until the process has staged at least one batch (and is still running)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        assert proc.poll() is None, f"search ended early: {proc.communicate()}"
        if q(db, "SELECT COUNT(*) FROM search_staged")[0][0] > 0:
            return
        time.sleep(0.02)
    proc.kill()
    proc.wait()
    pytest.fail("nothing staged in time")


def search_rows(db) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM searches ORDER BY id")]
    finally:
        conn.close()


def killed_search(eutils, db, sig) -> tuple[object, int, set[str]]:
    """Start a slow search, kill it with ``sig`` once it staged records; return
    (server, exit code, PMIDs staged at death)."""
    srv = eutils(Synthetic(TOTAL), rate=2)
    proc = spawn(db)
    wait_until_staged(db, proc)
    proc.send_signal(sig)
    proc.communicate(timeout=30)  # reaps it: a zombie's pid would still answer kill(pid, 0)
    got = staged(db)
    assert 0 < len(got) < TOTAL
    return srv, proc.returncode, got


def assert_stored_once(db, sid=1) -> dict:
    assert q(db, "SELECT COUNT(*), COUNT(DISTINCT pmid) FROM records")[0] == (TOTAL, TOTAL)
    rows = search_rows(db)
    assert [(r["id"], r["status"]) for r in rows] == [(sid, "complete")]
    row = rows[0]
    assert (row["count_reported"], row["count_found"], row["count_added"]) == (TOTAL, TOTAL, TOTAL)
    assert json.loads(row["details"])["windows"], "the log lost its windows"
    for table in ("search_staged", "search_pmids", "search_windows"):
        assert q(db, f"SELECT COUNT(*) FROM {table}")[0][0] == 0, table
    return row


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP],
                         ids=["SIGKILL", "SIGTERM", "SIGHUP"])
def test_a_killed_search_is_resumed_by_the_same_command(eutils, project, monkeypatch, sig):
    srv, code, at_death = killed_search(eutils, project, sig)
    status = search_rows(project)[0]["status"]
    if sig == signal.SIGKILL:
        assert code == -signal.SIGKILL and status == "running"
    else:  # handled like Ctrl-C: marked interrupted, staging kept
        assert code == 128 + sig and status == "interrupted"
        assert staged(project) == at_death
    assert q(project, "SELECT COUNT(*) FROM records")[0][0] == 0

    monkeypatch.setenv("REVIEW_EUTILS_RATE", "50")
    n_before = len(srv.log)
    res = CliRunner().invoke(main, ["--db", str(project), "search", "pubmed", *ARGS, "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["search_id"] == 1 and doc["resumed"] is True and doc["added"] == TOTAL
    new = srv.log[n_before:]
    assert not [r for r in new if r.endpoint == "esearch.fcgi"]  # the window was already listed
    fetched = [i for r in new if r.endpoint == "efetch.fcgi" for i in r.params["id"].split(",")]
    assert len(fetched) == len(set(fetched)) == TOTAL - len(at_death)
    assert not set(fetched) & at_death  # nothing fetched twice
    assert_stored_once(project)


def test_two_concurrent_resumes_one_does_the_work(eutils, project):
    srv, _, at_death = killed_search(eutils, project, signal.SIGKILL)
    n_before = len(srv.log)
    a = spawn(project, "--resume", "--json")
    b = spawn(project, "--resume", "--json")
    outs = {p.pid: (p.communicate(timeout=60), p.returncode) for p in (a, b)}
    codes = sorted(code for _, code in outs.values())
    assert codes[0] == 0 and codes[1] in (1, 2), outs  # exactly one did the work
    (winner_out, _), _ = next(v for v in outs.values() if v[1] == 0)
    (_, loser_err), loser_code = next(v for v in outs.values() if v[1] != 0)
    if loser_code == 1:  # refused while the winner ran
        assert "search 1 is being run by process" in loser_err, loser_err
    else:  # started after the winner had finished: nothing left to resume
        assert "no unfinished PubMed search" in loser_err, loser_err
    doc = json.loads(winner_out)
    assert doc["search_id"] == 1 and doc["resumed"] is True and doc["added"] == TOTAL
    fetched = [i for r in srv.log[n_before:] if r.endpoint == "efetch.fcgi"
               for i in r.params["id"].split(",")]
    assert len(fetched) == len(set(fetched)) == TOTAL - len(at_death)
    assert_stored_once(project)


def test_a_live_search_is_not_run_twice(eutils, project):
    eutils(Synthetic(TOTAL), rate=1)  # ~8 s of fetching: still running when the second starts
    first = spawn(project)
    try:
        wait_until_staged(project, first)
        second = spawn(project)
        _, err = second.communicate(timeout=30)
        assert second.returncode == 1, err
        assert f"search 1 is being run by process {first.pid}" in err
        assert first.poll() is None and len(search_rows(project)) == 1
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=30)
    assert first.returncode == 128 + signal.SIGTERM
    assert [r["status"] for r in search_rows(project)] == ["interrupted"]
    assert os.path.exists(project)
