"""Benchmark: deduplicate 10k, 30k and 100k records built by perturbing the
real records of the labelled sets (typos, case, punctuation, missing fields,
truncated titles, translated-title suffixes, CJK titles); prints time, peak
memory (resource.getrusage maxrss) and candidate pairs per size.

    python bench/bench_dedup.py [SIZE ...]

Each size runs in a fresh process so that peak memory is per size.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SETS = ["diabetes", "cytology_screening", "stroke"]
CJK = "嵌合抗原受体细胞治疗复发难治性弥漫大淋巴瘤临床研究急性白血病疗效分析中国患者安全性"


def base_records():
    from review.sources.csv_table import read_records

    out = []
    for s in SETS:
        for base in (ROOT / "tests" / "data" / "dedup", ROOT.parent / "shared" / "data" / "dedup"):
            f = base / s / "records_pre_merged.csv"
            if f.exists():
                out += [r for _, r in read_records(f)]
                break
    return out


def perturb(rec, rnd: random.Random, serial: int):
    """A new publication (serial-tagged title) or a noisy copy of one."""
    t = rec.title
    k = rnd.random()
    if k < 0.15 and len(t) > 10:
        i = rnd.randrange(len(t))
        t = t[:i] + rnd.choice("abcdefghij") + t[i + 1:]
    elif k < 0.25:
        t = t.upper()
    elif k < 0.35:
        t = t.replace(":", " -").replace(",", "")
    elif k < 0.42:
        t = t[: max(30, len(t) * 2 // 3)]
    elif k < 0.5:
        t = t + " [Chinese]"
    changes = {"title": t}
    if rnd.random() < 0.2:
        changes["doi"] = ""
    if rnd.random() < 0.2:
        changes["pages"] = ""
    if rnd.random() < 0.1:
        changes["authors"] = ()
    return replace(rec, **changes)


def build(n: int, seed: int = 7):
    rnd = random.Random(seed)
    base = base_records()
    recs = []
    serial = 0
    while len(recs) < n:
        serial += 1
        src = rnd.choice(base)
        if rnd.random() < 0.05:
            cjk = "".join(rnd.choice(CJK) for _ in range(rnd.randint(12, 24)))
            new = replace(src, title=cjk, doi="")
        else:
            # a distinct publication: a varied title and identifiers made unique
            # a distinct publication: half its title words swapped with another record's, new identifiers
            other = rnd.choice(base).title.split()
            words = src.title.split()
            for i in rnd.sample(range(len(words)), len(words) // 2):
                words[i] = rnd.choice(other) if other else words[i]
            new = replace(src, title=" ".join(words) + f" {serial}", doi=f"10.9999/b{serial}" if src.doi else "",
                          pmid="", pages=str(serial), volume=str(serial % 300))
        recs.append(new)
        for _ in range(rnd.choice((0, 0, 1, 1, 2))):
            if len(recs) < n:
                recs.append(perturb(new, rnd, serial))
    return recs[:n]


def run_one(n: int) -> None:
    from review.dedup.engine import find_duplicates

    recs = build(n)
    t0 = time.perf_counter()
    res = find_duplicates(recs)
    dt = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    groups = res.groups()
    print(f"{n:>7} records: {dt:6.1f} s  peak {peak_mb:7.0f} MB  candidates {res.candidates:>9}  "
          f"compared {res.compared:>8}  groups {len(groups):>6}  possible {len(res.possible()):>6}", flush=True)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        run_one(int(argv[1]))
        return
    sizes = [int(a) for a in argv] or [10_000, 30_000, 100_000]
    for n in sizes:
        subprocess.run([sys.executable, __file__, "--one", str(n)], check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
