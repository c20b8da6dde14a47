"""Time a GLMM fit with k = 30 and a DL fit with k = 10,000; print the figures.

Run by hand: python bench/bench_pooling.py  (also times R via Rscript when installed).
"""

from __future__ import annotations

import shutil
import subprocess
import time

import numpy as np

from review.pooling import metaprop


def data(k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = rng.integers(10, 200, k)
    p = 1 / (1 + np.exp(-rng.normal(-0.5, 0.8, k)))
    return rng.binomial(n, p), n


def timed(label: str, f, repeat: int) -> None:
    best = min(_once(f) for _ in range(repeat))
    print(f"{label:<40} best of {repeat}: {best * 1000:9.1f} ms")


def _once(f) -> float:
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


def main() -> None:
    x30, n30 = data(30, 1)
    x10k, n10k = data(10_000, 2)
    timed("Python GLMM (ML, nAGQ=7), k=30", lambda: metaprop(x30, n30), 5)
    timed("Python Inverse DL + QP CI, k=10,000", lambda: metaprop(x10k, n10k, method="Inverse", method_tau="DL"), 3)
    if shutil.which("Rscript"):
        np.savetxt("/tmp/bench30.csv", np.column_stack([x30, n30]), fmt="%d", delimiter=",")
        np.savetxt("/tmp/bench10k.csv", np.column_stack([x10k, n10k]), fmt="%d", delimiter=",")
        script = (
            "suppressMessages(library(metafor));"
            "a<-read.csv('/tmp/bench30.csv',header=FALSE);b<-read.csv('/tmp/bench10k.csv',header=FALSE);"
            "t1<-system.time(rma.glmm(measure='PLO',xi=a$V1,ni=a$V2,method='ML'))[['elapsed']];"
            "es<-escalc('PLO',xi=b$V1,ni=b$V2);"
            "t2<-system.time(rma(es$yi,es$vi,method='DL'))[['elapsed']];"
            "cat(sprintf('R metafor rma.glmm, k=30: %.1f ms\\nR metafor rma DL, k=10,000: %.1f ms\\n',1000*t1,1000*t2))"
        )
        print(subprocess.run(["Rscript", "-e", script], capture_output=True, text=True).stdout, end="")


if __name__ == "__main__":
    main()
