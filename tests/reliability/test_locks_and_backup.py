"""Long locks and backups, with real processes: a write waiting for another
process's lock says so and completes when the lock is freed, or gives up with
the tool's own message (exit 3) and changes nothing; a backup taken while a
reviewer keeps deciding is consistent and restores."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from review.db import open_db
from tests.reliability.project import build, cli, dump, review_process

HOLD = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def hold_lock(db, seconds: float) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "locked"
    return p


def test_a_decision_waits_for_a_long_lock_says_so_and_lands(tmp_path):
    db = build(tmp_path)
    holder = hold_lock(db, 5)
    p = review_process(db, "decide", "3", "include", "--stage", "title_abstract", env={"REVIEW_LOCK_WAIT": "60"})
    out, err = p.communicate(timeout=90)
    holder.wait(timeout=30)
    assert p.returncode == 0, err
    assert "waiting for the project database" in err and "giving up after 60 s" in err
    assert "Traceback" not in err and "database is locked" not in err
    queue = json.loads(cli(db, "queue", "--reviewer", "QZ", "--stage", "title_abstract", "--json").output)
    assert {q["id"]: q["decision"] for q in queue}[3] == "include"


def test_a_decision_gives_up_with_its_own_message_and_changes_nothing(tmp_path):
    db = build(tmp_path)
    before = dump(db)
    holder = hold_lock(db, 12)
    p = review_process(db, "decide", "3", "include", "--stage", "title_abstract", env={"REVIEW_LOCK_WAIT": "3"})
    out, err = p.communicate(timeout=60)
    holder.wait(timeout=30)
    assert p.returncode == 3, (out, err)
    assert "the project database is busy" in err and "nothing was changed" in err and "Traceback" not in err
    assert dump(db) == before


WRITER = """
import sys
from review.db import open_db
from review.project import project_protocol
from review.screening.decisions import decide
conn = open_db(sys.argv[1])
protocol = project_protocol(conn)
print("go", flush=True)
n = 0
for i in range(200):
    decide(conn, protocol, 1 + i % 6, ("include", "exclude")[i % 2], reviewer="XJZ", stage="title_abstract",
           note=f"round {i}")
    n += 1
print(n, flush=True)
"""


def test_a_backup_while_a_reviewer_decides_is_consistent_and_restores(tmp_path):
    db = build(tmp_path)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "go"
    time.sleep(0.3)
    r = cli(db, "backup", str(tmp_path / "b.db"), "--json", user="JM")
    assert writer.wait(timeout=120) == 0
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["checks"]["ok"]
    copy = open_db(tmp_path / "b.db")
    live = open_db(db)
    n_copy = copy.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    n_live = live.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    copy.close()
    live.close()
    assert 3 <= n_copy <= n_live == 3 + 200
    # the backup is a consistent prefix: every chain in it verifies (checked above) and it restores
    before = dump(db)
    assert cli(db, "restore", str(tmp_path / "b.db"), user="QZ").exit_code == 2  # a reviewer may not
    r = cli(db, "restore", str(tmp_path / "b.db"), user="JM")
    assert r.exit_code == 0, r.output
    kept = next(tmp_path.glob("p.before-restore-*.db"))
    assert dump(kept) == before
    after = open_db(db)
    assert after.execute("SELECT COUNT(*) FROM events").fetchone()[0] == n_copy
    after.close()
    assert cli(db, "doctor").exit_code == 0


def test_restore_refuses_a_damaged_or_foreign_file(tmp_path):
    db = build(tmp_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    before = dump(db)
    r = cli(db, "restore", str(junk), user="JM")
    assert r.exit_code == 2 and "not a review project" in r.stderr
    assert dump(db) == before
