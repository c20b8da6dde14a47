"""Benchmark: the screening queue at 100,000 units (the screen's budgets: start-up
to the first record under 1 s; key press to the next record under 50 ms).

Builds a project of N synthetic records (default 100,000) with half of them
decided by each reviewer (bulk events), then measures, for reviewer ANA at
title/abstract:

- start-up: open the database, read the protocol, build the Queue, read the
  first page (what the screen needs before it paints the first record);
- a key press as the screen handles it: record the decision (its own
  transaction, committed: ``record_decision``), bring the queue up to date
  (``apply``), read the next record (``page``);
- filter changes, a search (the first one indexes every record), full text.

Prints median and p95 of each.

    python bench/bench_screening.py [N] [--db PATH]   (--db keeps the project for re-runs)
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROTOCOL = """
id = "bench"
title = "Screening benchmark"
[people]
reviewers = ["ANA", "BEN"]
adjudicators = ["CAL"]
[screening]
exclusion_reasons = ["wrong population", "not a clinical study"]
"""
WORDS = ("car t cell lymphoma myeloma leukemia trial phase response vector lentiviral retroviral cd19 bcma "
         "patients outcome safety toxicity cytokine release syndrome neurotoxicity").split()


def build(db: Path, n: int) -> None:
    from review.db import open_db, transaction
    from review.db import events as ev
    from review.db.records import finish_search, start_search, store_records
    from review.models import Record
    from review.project import init_project

    proto = db.with_suffix(".toml")
    proto.write_text(PROTOCOL, encoding="utf-8")
    init_project(proto, db)
    conn = open_db(db)
    rnd = random.Random(1)

    def rec(i: int) -> Record:
        return Record(title=f"Study {i}: " + " ".join(rnd.choice(WORDS) for _ in range(12)),
                      abstract=" ".join(rnd.choice(WORDS) for _ in range(220)),
                      authors=("Zhang, W", "Li, X", "Wang, Y"), year=2000 + i % 25, journal="Blood",
                      publication_types=("Journal Article",), doi=f"10.1/{i}")

    t = time.perf_counter()
    with transaction(conn):
        sid = start_search(conn, kind="import", source="bench", actor="bench")
        store_records(conn, "bench", sid, (rec(i) for i in range(n)))
        finish_search(conn, sid)
    rows = []
    for who, start in (("ANA", 1), ("BEN", n // 4)):
        for u in range(start, start + n // 2):
            d = ("include", "exclude", "maybe")[u % 3]
            rows.append({"actor": who, "stage": "title_abstract", "unit_id": u, "kind": "decision", "record_id": u,
                         "decision": d, "reason": "wrong population" if d == "exclude" else None})
    with transaction(conn):
        ev.append_events(conn, rows, "bench", "bench.decisions")
    conn.close()
    print(f"built {n} records and {len(rows)} decisions in {time.perf_counter() - t:.1f} s", file=sys.stderr)


def figures(name: str, times: list[float]) -> None:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    print(f"{name:<52} median {statistics.median(ms):8.1f} ms   p95 {p95:8.1f} ms   (n={len(ms)})")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 100_000
    if "--db" in sys.argv:
        db = Path(sys.argv[sys.argv.index("--db") + 1])
    else:
        db = Path(tempfile.mkdtemp()) / "bench.db"
    if not db.exists():
        build(db, n)

    from review.db import open_db
    from review.project import project_protocol
    from review.screening.queue import Queue

    startup, first_page = [], []
    for _ in range(7):
        t = time.perf_counter()
        conn = open_db(db)
        protocol = project_protocol(conn)
        q = Queue(conn, protocol, "ANA", "title_abstract")
        t1 = time.perf_counter()
        i = q.next_undecided()
        q.page(i, 1)
        t2 = time.perf_counter()
        startup.append(t2 - t)
        first_page.append(t2 - t1)
        conn.close()
    print(f"{len(q.units)} units at title/abstract; ANA: {q.progress()}")
    figures("start-up to first record (open, queue, page)", startup)
    figures("  of which: first page", first_page)

    conn = open_db(db)
    protocol = project_protocol(conn)
    q = Queue(conn, protocol, "ANA", "title_abstract")
    q.filter("undecided")
    decide, nxt = [], []
    pos = 0
    for k in range(300):
        u = q.selection[pos]
        t = time.perf_counter()
        rec = q.record_decision(conn, u, ("include", "exclude", "maybe")[k % 3],
                                reason="wrong population" if k % 3 == 1 else None)
        q.apply(rec)
        t1 = time.perf_counter()
        pos += 1
        q.page(pos, 1)
        t2 = time.perf_counter()
        decide.append(t1 - t)
        nxt.append(t2 - t)
    figures("key press: decision committed + queue updated", decide)
    figures("key press to next record (decide + update + page)", nxt)
    undo = []
    for _ in range(50):
        t = time.perf_counter()
        q.apply(q.record_undo(conn))
        undo.append(time.perf_counter() - t)
    figures("undo + queue update", undo)

    filt = []
    for show in ("undecided", "mine", "maybe", "all") * 3:
        t = time.perf_counter()
        q.filter(show)
        filt.append(time.perf_counter() - t)
    figures("filter change (undecided/mine/maybe/all)", filt)

    t = time.perf_counter()
    q.filter("all", "lymphoma cd19")
    figures("first search (indexes records not indexed yet)", [time.perf_counter() - t])
    searches = []
    for words in ("lymphoma", "study 4711", "bcma neurotox", "myeloma vector response", "retrovir") * 2:
        t = time.perf_counter()
        q.filter("all", words)
        searches.append(time.perf_counter() - t)
    figures("search (FTS5, index up to date)", searches)

    ft = []
    for _ in range(3):
        t = time.perf_counter()
        Queue(conn, protocol, "ANA", "full_text")
        ft.append(time.perf_counter() - t)
    figures("full-text queue build (title/abstract outcomes first)", ft)
    conn.close()


if __name__ == "__main__":
    main()
