"""Bench: a 25,000-hit PubMed search against the local replay server at 3 requests/s.

Prints the requests made, the wall time, the minimum the rate limit allows
(requests / rate) and their ratio (goal: within 10%), and the most requests the
server saw in any one-second window. Run: python bench/bench_search.py [--rate 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "sources"))
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rate", type=int, default=3, help="requests per second (NCBI: 3 without a key)")
    ap.add_argument("--hits", type=int, default=25_000, help="synthetic hits")
    args = ap.parse_args()

    from replay_server import ReplayServer, Synthetic

    from review.db import open_db
    from review.sources.eutils import EutilsClient, EutilsSettings
    from review.sources.pubmed import BATCH_SIZE, run_search

    srv = ReplayServer(Synthetic(args.hits), rate_limit=args.rate).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            conn = open_db(Path(tmp) / "bench.db", create=True)
            settings = EutilsSettings(base_url=srv.url, rate=args.rate, email=os.environ.get("NCBI_EMAIL", ""))
            client = EutilsClient(settings)
            t0 = time.monotonic()
            out = run_search(conn, client, query="synthetic", mindate="2000/01/01", maxdate="2019/12/31")
            wall = time.monotonic() - t0
            stored = conn.execute("SELECT COUNT(DISTINCT pmid) FROM records").fetchone()[0]
            conn.close()
    finally:
        srv.stop()
    n = len(srv.log)
    floor = n / args.rate  # the least time n requests take at the allowed rate
    print(f"hits reported        {out.count_reported}")
    print(f"records stored       {stored} (added {out.added})")
    print(f"windows              {len(out.windows)}")
    print(f"efetch batch size    {BATCH_SIZE}")
    print(f"requests made        {n} (client count {out.requests}, retries {out.retries})")
    print(f"server 429s          {sum(1 for r in srv.log if r.answer.startswith('429'))}")
    print(f"wall time            {wall:.2f} s")
    print(f"rate-limit minimum   {floor:.2f} s ({n} requests at {args.rate}/s)")
    print(f"ratio                {wall / floor:.3f}")
    print(f"max requests in any 1 s window (server clock): {srv.max_in_any_second()}")


if __name__ == "__main__":
    main()
