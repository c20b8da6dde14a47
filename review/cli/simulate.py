"""`review simulate`: replay prioritised screening on a labelled set."""

from __future__ import annotations

import os
from pathlib import Path

import click

from review.cli.common import command, emit_json, json_option
from review.errors import BadInput


def _check_out(path: str | None, option: str, suffixes: tuple[str, ...] | None = None) -> Path | None:
    if path is None:
        return None
    p = Path(path)
    if suffixes and p.suffix.lower() not in suffixes:
        raise BadInput(f"{option} file must end in {' or '.join(suffixes)}: {path}")
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise BadInput(f"{option}: no folder {folder}")
    if p.is_dir():
        raise BadInput(f"{option}: {path} is a folder")
    return p


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def register(main: click.Group) -> None:
    @command(main, "simulate")
    @click.option("--data", "data", required=True, type=click.Path(dir_okay=False), metavar="LABELLED.csv",
                  help="Labelled set: columns record_id, title, abstract, included (0/1); "
                       "optional keywords, mesh (';'-separated).")
    @click.option("--prior", metavar="ID,ID,...",
                  help="Records screened first, in this order (at least one relevant). "
                       "Without it: random order until the first relevant record.")
    @click.option("--seed", type=int, default=0, show_default=True, help="Seed for ties and the random start.")
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False), metavar="ORDER.csv",
                  help="Write the screening order: header record_id, then one id per line.")
    @click.option("--curve", type=click.Path(dir_okay=False), metavar="CURVE.csv",
                  help="Write the recall curve: screened, record_id, included, found, recall.")
    @click.option("--plot", type=click.Path(dir_okay=False), metavar="FILE.png",
                  help="Draw the recall curve (.png or .svg).")
    @json_option
    def simulate_cmd(data, prior, seed, out, curve, plot, as_json) -> None:
        """Replay title/abstract screening on a labelled set, ranked as review ranks.

        The prior records are screened first; then the model (TF-IDF 1-2 grams,
        linear SVM, balanced weights: ASReview's ELAS u4 settings) is refitted
        after every record and the highest-ranked unscreened record is screened
        next. Prints WSS@95 (Cohen et al. 2006: share of records left unscreened
        at 95% recall, minus 0.05; the asreview-insights variant is given too),
        recall after 10% of records screened and ATD (mean rank of the relevant
        records), priors counted as screened.

        \b
        Examples:
          review simulate --data past_review.csv --prior 17,204 --seed 1 --out order.csv
          review simulate --data past_review.csv --prior 17,204 --out order.csv \\
              --curve curve.csv --plot curve.png --json
        """
        from review.ranking.metrics import summary
        from review.ranking.simulate import parse_priors, read_labelled, simulate

        out_p = _check_out(out, "--out")
        curve_p = _check_out(curve, "--curve")
        plot_p = _check_out(plot, "--plot", (".png", ".svg"))
        ds = read_labelled(data)
        priors = parse_priors(prior, ds)
        n = len(ds.docs)
        click.echo(f"replaying {n} records ({sum(ds.included.values())} relevant) from "
                   f"{len(priors)} prior record{'s' if len(priors) != 1 else ''} ...", err=True)
        step = max(100, (n // 10) // 100 * 100)

        def progress(done: int, total: int) -> None:
            if done % step == 0:
                click.echo(f"  {done}/{total} screened", err=True)

        sim = simulate(ds, priors, seed=seed, progress=progress)
        figures = summary(sim.labels)
        from review.ranking.stopping import stopping_points

        stops = stopping_points(sim.labels)
        _write_atomic(out_p, "record_id\n" + "".join(f"{i}\n" for i in sim.order))
        if curve_p is not None:
            found = sim.labels.cumsum()
            lines = ["screened,record_id,included,found,recall"]
            r = int(found[-1])
            lines += [f"{k + 1},{_csv(i)},{int(y)},{int(f)},{f / r:.6f}"
                      for k, (i, y, f) in enumerate(zip(sim.order, sim.labels, found))]
            _write_atomic(curve_p, "\n".join(lines) + "\n")
        if plot_p is not None:
            from review.ranking.chart import recall_chart

            recall_chart(sim.labels, plot_p, n_relevant=figures["relevant"],
                         title=f"Replay of {Path(data).name} (seed {seed})")
        doc = {
            "data": str(data), "seed": seed, "prior": list(priors), "out": str(out_p),
            "curve": str(curve_p) if curve_p else None, "plot": str(plot_p) if plot_p else None,
            "model": "tfidf(1,2)+linear SVM C=0.11, balanced 9.8, max querying",
            "wss_definition": "Cohen et al. 2006: (TN+FN)/N - 0.05 at the first point recall >= 0.95",
            **figures,
            "stop_50_irrelevant_at": stops.heuristic_at, "stop_50_irrelevant_recall": stops.heuristic_recall,
            "stop_hypergeometric_at": stops.test_at, "stop_hypergeometric_recall": stops.test_recall,
        }
        if as_json:
            emit_json(doc)
            return
        click.echo(f"records {figures['records']}, relevant {figures['relevant']}, priors {len(priors)}, seed {seed}")
        click.echo(f"WSS@95   {figures['wss_95']:.3f}  (Cohen 2006; asreview-insights: "
                   f"{figures['wss_95_insights']:.3f})")
        click.echo(f"recall@10% {figures['recall_at_10']:.3f}  (ERF@10% {figures['erf_10']:.3f})")
        click.echo(f"ATD      {figures['atd']:.1f}  (mean rank of the relevant records)")
        click.echo(f"95% of relevant found after {figures['screened_for_95']} records, "
                   f"all after {figures['screened_for_100']}")
        for label, at, rec in (("50 irrelevant in a row", stops.heuristic_at, stops.heuristic_recall),
                               ("hypergeometric test (recall 95%, p < 0.05)", stops.test_at, stops.test_recall)):
            click.echo(f"stopping rule {label}: " + (f"after {at} records, recall {rec:.3f}" if at else "never"))
        for p in (out_p, curve_p, plot_p):
            if p is not None:
                click.echo(f"wrote {p}")


def _csv(value: str) -> str:
    s = str(value)
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n') else s
