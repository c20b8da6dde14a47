"""Two `review rules` processes started at once on one project (and a reviewer
deciding meanwhile) write the rules' events once: the second run waits for
the first and finds nothing left to change; the chains hold."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from review.db import audit, open_db
from review.db import events as ev
from tests.rules.helpers import audit_count, automation, in_force, record_id, run

ROOT = Path(__file__).resolve().parents[2]


def _start(db: Path, *args: str, user: str = "QZ") -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), REVIEW_USER=user)
    return subprocess.Popen([sys.executable, "-m", "review", "--db", str(db), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def test_two_runs_at_once_write_the_events_once(project):
    keep = record_id(project, "Efficacy of CD19 CAR-T cells in relapsed")
    procs = [_start(project, "rules", "--json"), _start(project, "rules", "--json"),
             _start(project, "decide", str(keep), "include", "--stage", "title_abstract", user="ANA")]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        outs.append(out)
    docs = [json.loads(o) for o in outs[:2]]
    assert sorted(d["changes"]["events"] for d in docs) == [0, 25]
    assert docs[0]["excluded"] == docs[1]["excluded"]
    assert audit_count(project) == 1
    rules = [e for e in automation(project) if e.kind == "rule"]
    assert len(rules) == len({e.unit_id for e in rules}) == len(in_force(project)) == 16
    conn = open_db(project)
    try:
        assert ev.verify_chain(conn, "events").ok and audit.verify(conn).ok
    finally:
        conn.close()
    assert run(project, "rules", "--json").stdout.count('"events": 0') == 1
