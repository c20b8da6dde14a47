"""Screening prioritisation bench: our replay beside ASReview's on the same sets,
the same prior records and the same seeds; classifier comparison; fit times.

Run by hand (figures, not tests):

    python bench/bench_ranking.py                       # ours vs ASReview (recorded figures)
    python bench/bench_ranking.py --asreview .venv-asreview/bin/python   # rerun ASReview too
    python bench/bench_ranking.py --extra /path/Cohen_2006_ACEInhibitors.csv
    python bench/bench_ranking.py --compare             # classifier / feature variants
    python bench/bench_ranking.py --fit-times           # retraining cost at 1k/10k/100k records

Sets: bench/data/ranking/*.csv.gz (see PROVENANCE.md there). For each set and
seed s the prior records are one relevant and one irrelevant record drawn with
numpy.random.default_rng(s); both tools start from them and replay to the end.
Metrics (review.ranking.metrics) are computed identically for both orders,
priors counted as screened: WSS@95 as Cohen et al. 2006 defined it, recall
after 10% of records, ATD. ASReview's runs stop at the last relevant record
(its default), which leaves every metric here unchanged.

ASReview is run from a separate virtualenv (never a dependency of review):
``python3 -m venv .venv-asreview && .venv-asreview/bin/pip install asreview``;
this script then calls itself under that interpreter with ``--asreview-worker``
and records the figures in bench/data/ranking/asreview_figures.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "ranking"
FIGURES = DATA / "asreview_figures.json"
SEEDS = (0, 1, 2, 3, 4)


# --------------------------------------------------------------------------- ASReview side
def asreview_worker(argv: list[str]) -> None:
    """Run under the ASReview virtualenv: replay like ``asreview simulate`` does
    (default AI, given priors by row number, --seed), print the screening order
    (row numbers) and the ASReview version as JSON."""
    import numpy as np
    import asreview
    from asreview import load_dataset
    from asreview.learner import ActiveLearningCycle
    from asreview.models.models import get_ai_config
    from asreview.models.queriers import TopDown
    from asreview.models.stoppers import IsFittable, LastRelevant
    from asreview.simulation.simulate import Simulate

    path, seed, prior = argv[0], int(argv[1]), [int(x) for x in argv[2].split(",")]
    np.random.seed(seed)
    db = load_dataset(path, dataset_id=Path(path).name)
    with db:
        ai = get_ai_config()
        cycles = [
            ActiveLearningCycle(querier=TopDown(), stopper=IsFittable()),
            ActiveLearningCycle.from_meta(ai["value"]),
        ]
        sim = Simulate(db.input.get_df(), db.input["included"], cycles, stopper=LastRelevant(),
                       print_progress=False)
        sim.label(prior)
        sim.review()
        order = [int(x) for x in sim._results["record_id"].tolist()]
        labels = [int(x) for x in sim._results["label"].tolist()]
    print(json.dumps({"version": asreview.__version__, "ai": ai["name"], "order": order, "labels": labels}))


def run_asreview(python: str, dataset, prior_rows: list[int], seed: int) -> dict:
    import numpy as np

    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / (Path(dataset.path).name.replace(".gz", "").replace(".csv", "") + ".csv")
        _write_plain_csv(dataset, csv)
        t = time.perf_counter()
        out = subprocess.run(
            [python, __file__, "--asreview-worker", str(csv), str(seed), ",".join(map(str, prior_rows))],
            capture_output=True, text=True, check=True,
        )
        elapsed = time.perf_counter() - t
    doc = json.loads(out.stdout.strip().splitlines()[-1])
    truth = np.array([dataset.included[i] for i in dataset.ids])
    got = np.array(doc["labels"])
    assert (truth[doc["order"]] == got).all(), "ASReview row numbers do not match the file order"
    assert doc["order"][: len(prior_rows)] == prior_rows
    # ASReview stops at the last relevant record: the rest are irrelevant in any order.
    labels = np.concatenate([got, np.zeros(len(truth) - len(got), dtype=int)])
    return {"version": doc["version"], "ai": doc["ai"], "labels": labels.tolist(), "seconds": elapsed}


def _write_plain_csv(dataset, dest: Path) -> None:
    import csv

    with open(dest, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["record_id", "title", "abstract", "included"])
        for d in dataset.docs:
            w.writerow([d.id, d.title, d.abstract, dataset.included[d.id]])


# --------------------------------------------------------------------------- our side
def priors_for(dataset, seed: int) -> list:
    """One relevant and one irrelevant id, drawn with default_rng(seed)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    rel = [i for i in dataset.ids if dataset.included[i] == 1]
    irr = [i for i in dataset.ids if dataset.included[i] == 0]
    return [rel[rng.integers(len(rel))], irr[rng.integers(len(irr))]]


def figures(labels) -> dict:
    from review.ranking import metrics

    return {
        "wss95": metrics.wss(labels, 0.95),
        "wss95_insights": metrics.wss_insights(labels, 0.95),
        "recall10": metrics.recall_at(labels, 10.0),
        "atd": metrics.atd(labels),
    }


def load_sets(extra: list[str]):
    from review.ranking.simulate import read_labelled

    paths = sorted(DATA.glob("*.csv.gz")) + [Path(p) for p in extra]
    return [(p.name.split(".")[0], read_labelled(p)) for p in paths]


def compare_with_asreview(sets, seeds, asreview_python: str | None, refit: str = "adaptive") -> None:
    from review.ranking.simulate import simulate

    recorded = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    print(f"{'set':<26}{'N':>6}{'R':>5}{'seed':>5}  {'WSS@95 ours':>11}{'ASReview':>9}"
          f"  {'RRF@10 ours':>11}{'ASReview':>9}  {'ATD ours':>9}{'ASReview':>9}  {'fit s':>6}{'ASR s':>6}")
    totals = {"ours": [], "asr": []}
    for name, ds in sets:
        row_of = {i: k for k, i in enumerate(ds.ids)}
        for seed in seeds:
            prior = priors_for(ds, seed)
            t = time.perf_counter()
            ours = figures(simulate(ds, prior, seed=seed, stop_when_all_found=True, refit=refit).labels)
            ours_s = time.perf_counter() - t
            key = f"{name}/{seed}"
            if asreview_python:
                res = run_asreview(asreview_python, ds, [row_of[i] for i in prior], seed)
                recorded[key] = {"version": res["version"], "ai": res["ai"], "prior": prior,
                                 "seconds": round(res["seconds"], 1), **figures(res["labels"])}
                FIGURES.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
            asr = recorded.get(key)
            if asr and asr.get("prior") != prior:
                asr = None
            def a(k, fmt="9.3f", width=9):
                return format(asr[k], fmt) if asr else "-".rjust(width)

            print(f"{name:<26}{len(ds.ids):>6}{sum(ds.included.values()):>5}{seed:>5}  "
                  f"{ours['wss95']:11.3f}{a('wss95')}  {ours['recall10']:11.3f}{a('recall10')}  "
                  f"{ours['atd']:9.1f}{a('atd', '9.1f')}  {ours_s:6.1f}{a('seconds', '6.1f', 6)}", flush=True)
            totals["ours"].append(ours)
            if asr:
                totals["asr"].append(asr)
    for who, rows in totals.items():
        if rows:
            n = len(rows)
            print(f"mean {who:<5} over {n} runs: WSS@95 {sum(r['wss95'] for r in rows) / n:.3f}  "
                  f"RRF@10 {sum(r['recall10'] for r in rows) / n:.3f}  ATD {sum(r['atd'] for r in rows) / n:.1f}")
    versions = sorted({f"asreview {v['version']} ({v['ai']})" for v in recorded.values()})
    if versions:
        print("ASReview figures from:", ", ".join(versions))


VARIANTS = {
    "svm u4 (default)": ({}, {}),
    "svm u4, min_df 2": ({}, {"min_df": 2}),
    "svm C 0.5": ({"C": 0.5}, {}),
    "logistic C 1": ({"classifier": "logistic", "C": 1.0}, {}),
    "logistic C 10": ({"classifier": "logistic", "C": 10.0}, {}),
    "nb u3 (stop words, 1-grams)": ({"classifier": "nb", "balance_ratio": 1.2},
                                    {"ngram_max": 1, "sublinear_tf": False, "max_df": 1.0,
                                     "stop_words": "english"}),
    "nb, u4 features": ({"classifier": "nb", "balance_ratio": 1.2}, {}),
}


def compare_variants(sets, seeds, names: list[str] | None) -> None:
    from review.ranking.features import Corpus, FeatureSettings
    from review.ranking.model import RankSettings
    from review.ranking.simulate import simulate

    chosen = {k: v for k, v in VARIANTS.items() if not names or k in names}
    print(f"{'variant':<30}{'set':<26}{'WSS@95':>8}{'RRF@10':>8}{'ATD':>8}  (mean over seeds {list(seeds)})")
    overall = {}
    for label, (rank_kw, feat_kw) in chosen.items():
        for name, ds in sets:
            corpus = Corpus.build(ds.docs, FeatureSettings(**feat_kw))
            rows = [figures(simulate(ds, priors_for(ds, s), seed=s, rank_settings=RankSettings(**rank_kw),
                                     corpus=corpus, stop_when_all_found=True).labels) for s in seeds]
            m = {k: sum(r[k] for r in rows) / len(rows) for k in ("wss95", "recall10", "atd")}
            overall.setdefault(label, []).append(m)
            print(f"{label:<30}{name:<26}{m['wss95']:8.3f}{m['recall10']:8.3f}{m['atd']:8.1f}", flush=True)
    print()
    for label, ms in overall.items():
        n = len(ms)
        print(f"{label:<30}{'mean over sets':<26}{sum(m['wss95'] for m in ms) / n:8.3f}"
              f"{sum(m['recall10'] for m in ms) / n:8.3f}{sum(m['atd'] for m in ms) / n:8.1f}")


# --------------------------------------------------------------------------- fit times
def synthetic_docs(n: int, seed: int = 0):
    """n title/abstract records from a 5,000-word vocabulary (Zipf-like), 2% relevant
    sharing topic words; used only to time fitting."""
    import numpy as np

    from review.ranking.features import Doc

    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{k}" for k in range(5000)])
    p = 1 / np.arange(1, 5001)
    p /= p.sum()
    topic = vocab[rng.choice(5000, 30, replace=False)]
    docs, labels = [], {}
    for i in range(n):
        rel = rng.random() < 0.02
        words = list(rng.choice(vocab, 180, p=p))
        if rel:
            words += list(rng.choice(topic, 15))
        rng.shuffle(words)
        docs.append(Doc(id=i, title=" ".join(words[:12]), abstract=" ".join(words[12:])))
        labels[i] = int(rel)
    return docs, labels


def _stall_while(done) -> float:
    """Wake every millisecond (as an event loop waiting for keys would) until
    ``done()``; the longest wake-up delay."""
    worst = 0.0
    while not done():
        t = time.perf_counter()
        time.sleep(0.001)
        worst = max(worst, time.perf_counter() - t - 0.001)
    return worst


def fit_times(sizes=(1_000, 10_000, 100_000)) -> None:
    """Fit time, and the longest delay a screen's event loop would see while the
    fit runs in a thread of its process or in the FitWorker process."""
    import numpy as np

    from review.ranking.features import Corpus
    from review.ranking.model import Ranker
    from review.ranking.worker import FitWorker

    print(f"{'records':>8}{'labelled':>10}{'build TF-IDF':>14}{'fit (median)':>14}{'next record':>13}"
          f"{'stall, thread':>15}{'stall, process':>16}")
    for n in sizes:
        docs, truth = synthetic_docs(n)
        t = time.perf_counter()
        corpus = Corpus.build(docs)
        build = time.perf_counter() - t
        ranker = Ranker(corpus)
        thread = FitWorker(ranker, processes=False)
        t = time.perf_counter()
        proc = FitWorker(ranker)
        proc.submit({}).result()  # start-up: the child receives the ranker once
        start = time.perf_counter() - t
        rng = np.random.default_rng(1)
        for n_lab in sorted({min(n, x) for x in (100, 1_000, n // 10, n // 2)}):
            lab_ids = rng.choice(n, n_lab, replace=False)
            labels = {int(i): truth[int(i)] for i in lab_ids}
            if not 0 < sum(labels.values()) < len(labels):
                labels[int(lab_ids[0])] = 1 - labels[int(lab_ids[0])]
            times, st_thread, st_proc = [], [], []
            for _ in range(3):
                t = time.perf_counter()
                fut = thread.submit(labels)
                st_thread.append(_stall_while(fut.done))
                times.append(time.perf_counter() - t)
                fut = proc.submit(labels)
                st_proc.append(_stall_while(fut.done))
            model = fut.result()
            rest = [i for i in corpus.ids if i not in labels]
            t = time.perf_counter()
            model.top(rest)
            nxt = time.perf_counter() - t
            print(f"{n:>8}{n_lab:>10}{build:>13.2f}s{np.median(times) * 1000:>12.0f}ms{nxt * 1000:>11.1f}ms"
                  f"{max(st_thread) * 1000:>13.1f}ms{max(st_proc) * 1000:>14.1f}ms", flush=True)
        print(f"{'':>8}(process worker start-up with {n} records: {start:.1f} s, once per screening session)")
        thread.close()
        proc.close()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--asreview-worker":
        asreview_worker(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--asreview", metavar="PYTHON", help="python of a virtualenv with asreview installed: rerun it")
    ap.add_argument("--extra", nargs="*", default=[], metavar="CSV", help="more labelled sets (not stored here)")
    ap.add_argument("--seeds", type=int, nargs="*", default=list(SEEDS))
    ap.add_argument("--sets", nargs="*", help="only these set names")
    ap.add_argument("--compare", nargs="*", metavar="VARIANT", help="compare classifier/feature variants")
    ap.add_argument("--refit", choices=("adaptive", "every"), default="adaptive",
                    help="our refit schedule (review.ranking.simulate); ASReview refits every record")
    ap.add_argument("--fit-times", action="store_true", help="time Corpus.build and Ranker.fit at 1k/10k/100k")
    ap.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000], help="with --fit-times")
    args = ap.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    if args.fit_times:
        fit_times(args.sizes)
        return
    sets = [(n, d) for n, d in load_sets(args.extra) if not args.sets or n in args.sets]
    if args.compare is not None:
        compare_variants(sets, args.seeds, args.compare)
        return
    compare_with_asreview(sets, args.seeds, args.asreview, args.refit)


if __name__ == "__main__":
    main()
