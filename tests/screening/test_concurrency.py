"""Two reviewers' processes deciding on one database at the same time lose
nothing: a thousand decisions each through the core (real processes), and a
few through the real `review decide` command; every event is there, with its
audit entry, and the hash chains hold."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from review.db import audit, open_db
from review.db import events as ev
from review.project import project_protocol
from review.screening.view import stage_view
from tests.screening.helpers import TA, new_project

ROOT = Path(__file__).resolve().parents[2]
N = 1000
CHOICES = ("include", "exclude", "maybe")

WORKER = """
import sys, time
from pathlib import Path
from review.db import open_db
from review.project import project_protocol
from review.screening.decisions import decide
db, who, go, n = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
conn = open_db(db)
protocol = project_protocol(conn)
records = range(1, n + 1) if who == "ANA" else range(n, 0, -1)
while not go.exists():
    time.sleep(0.005)
for r in records:
    d = ("include", "exclude", "maybe")[(r + (who == "BEN")) % 3]
    decide(conn, protocol, r, d, reviewer=who, stage="title_abstract",
           reason="wrong population" if d == "exclude" else None, note=f"{who} on {r}")
print("done", who)
"""


def expected(who: str, r: int) -> str:
    return CHOICES[(r + (who == "BEN")) % 3]


def start(args: list[str]) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def test_two_reviewers_a_thousand_decisions_each_at_once(tmp_path):
    db = new_project(tmp_path, n=N)
    go = tmp_path / "go"
    procs = [start([sys.executable, "-c", WORKER, str(db), who, str(go), str(N)]) for who in ("ANA", "BEN")]
    time.sleep(0.5)
    go.touch()
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    conn = open_db(db)
    decisions = ev.events(conn, stage=TA, kinds=("decision",))
    assert len(decisions) == 2 * N
    for who in ("ANA", "BEN"):
        mine = [e for e in decisions if e.actor == who]
        assert sorted(e.record_id for e in mine) == list(range(1, N + 1))
    # the two processes really interleaved
    actors = [e.actor for e in decisions]
    switches = sum(1 for a, b in zip(actors, actors[1:]) if a != b)
    assert switches > 10, switches
    view = stage_view(conn, project_protocol(conn), TA)
    for u, rec in view.units.items():
        for who in ("ANA", "BEN"):
            st = view.reviewers[u][who]
            assert st.decision == expected(who, rec) and st.note == f"{who} on {rec}"
    assert ev.verify_chain(conn, "events").ok
    check = audit.verify(conn)
    assert check.ok
    logged = conn.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'title_abstract.decision'").fetchone()[0]
    assert logged == 2 * N


def test_the_real_command_in_two_processes_at_once(tmp_path):
    n = 15
    db = new_project(tmp_path, n=n)
    script = ("import sys, subprocess\n"
              "for r in sys.argv[2:]:\n"
              "    subprocess.run([sys.executable, '-m', 'review', '--db', sys.argv[1], 'decide', r, 'include',"
              " '--stage', 'title_abstract'], check=True)\n")
    procs = []
    for who in ("ANA", "BEN"):
        env = dict(os.environ, PYTHONPATH=str(ROOT), REVIEW_USER=who)
        order = [str(r) for r in (range(1, n + 1) if who == "ANA" else range(n, 0, -1))]
        procs.append(subprocess.Popen([sys.executable, "-c", script, str(db), *order], env=env, cwd=ROOT,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    conn = open_db(db)
    view = stage_view(conn, project_protocol(conn), TA)
    assert view.with_state("include") == sorted(view.units) and len(view.units) == n
    assert len(ev.events(conn, stage=TA, kinds=("decision",))) == 2 * n
    assert ev.verify_chain(conn, "events").ok and audit.verify(conn).ok
