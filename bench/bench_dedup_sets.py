"""Score every labelled dedup set: sensitivity, false merges, possible queue.

Reads each set's records_pre_merged.csv the way ``review dedup FILE... --out``
does (review.dedup.files.read_inputs), groups them with find_duplicates, and
scores the certain tier against gold_groups.csv as shared/data/dedup/README.md
says (possible pairs count as not merged). Sets are looked up in
tests/data/dedup (always) and ../shared/data/dedup (when present; a set found
in both is scored once, from tests/data).

    python bench/bench_dedup_sets.py [--reader dedup|import] [DIR ...]

``--reader import`` reads the CSV as ``review import`` does
(review.sources.readers.read_file) instead; record ids come from the ID column
in both cases.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BASES = (ROOT / "tests" / "data" / "dedup", ROOT.parent.parent / "shared" / "data" / "dedup",
         ROOT.parent / "shared" / "data" / "dedup")


def find_sets(bases) -> list[Path]:
    """Set folders (holding records_pre_merged.csv and gold_groups.csv), first base wins per name."""
    found: dict[str, Path] = {}
    for base in bases:
        if not base.is_dir():
            continue
        for d in sorted(base.iterdir()):
            if (d / "records_pre_merged.csv").exists() and (d / "gold_groups.csv").exists():
                found.setdefault(d.name, d)
    return list(found.values())


def read_records(path: Path, reader: str):
    """(record ids, Records) of one set's records_pre_merged.csv."""
    if reader == "import":
        from review.sources.readers import read_file

        recs = read_file(path, "csv")
        return [dict(r.raw).get("record_id", "") for r in recs], recs
    from review.dedup.files import read_inputs

    rows = read_inputs([str(path)])
    return [rid for rid, _, _ in rows], [rec for _, _, rec in rows]


def score_set(d: Path, reader: str) -> dict:
    from review.dedup.engine import find_duplicates
    from review.dedup.evaluate import read_gold, score

    ids, recs = read_records(d / "records_pre_merged.csv", reader)
    gold = read_gold(d / "gold_groups.csv")
    t0 = time.perf_counter()
    res = find_duplicates(recs)
    seconds = time.perf_counter() - t0
    predicted = {rid: res.labels[k] for k, rid in enumerate(ids)}
    if set(predicted) != set(gold):
        raise SystemExit(f"{d}: record ids differ from gold_groups.csv")
    s = score(predicted, gold)
    possible = res.possible()
    true_possible = sum(gold[ids[p.i]] == gold[ids[p.j]] for p in possible)
    return {"set": d.name, "records": len(recs), "sensitivity": s.sensitivity,
            "false_merges": s.false_merges, "false_per_1000": s.false_per_1000,
            "possible": len(possible), "possible_true": true_possible, "seconds": seconds,
            "where": str(d.parent)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reader", choices=("dedup", "import"), default="dedup")
    ap.add_argument("dirs", nargs="*", type=Path, help="folders holding labelled sets (default: the known ones)")
    args = ap.parse_args(argv)
    sets = find_sets(args.dirs or BASES)
    if not sets:
        raise SystemExit("no labelled sets found")
    print(f"reader: {args.reader}")
    print(f"{'set':20s} {'records':>7s} {'sensitivity':>11s} {'false merges':>12s} {'per 1,000':>9s} "
          f"{'possible':>8s} {'(true dups)':>11s} {'time s':>7s}")
    for d in sets:
        r = score_set(d, args.reader)
        print(f"{r['set']:20s} {r['records']:7d} {r['sensitivity']:11.4f} {r['false_merges']:12d} "
              f"{r['false_per_1000']:9.2f} {r['possible']:8d} {r['possible_true']:11d} {r['seconds']:7.2f}")
    print("sets read from: " + ", ".join(sorted({str(d.parent) for d in sets})))
    print("possible: pairs left for a person (not merged); (true dups): how many of them the gold groups pair")


if __name__ == "__main__":
    main()
