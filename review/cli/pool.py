"""`review pool`: meta-analysis of proportions (R meta::metaprop parity)."""

from __future__ import annotations

import dataclasses

import click

from review.cli.common import command, emit_json, json_option, project_db
from review.errors import BadInput

SM_CHOICES = ("PLOGIT", "PFT", "PAS", "PRAW", "PLN")
TAU_CHOICES = ("DL", "REML", "PM", "ML", "HE", "SJ")
CI_CHOICES = ("CP", "WS", "WSCC", "AC", "SA", "SACC", "NAsm")


def register(main: click.Group) -> None:
    @command(main, "pool")
    @click.option("--data", "data", type=click.Path(dir_okay=False), metavar="FILE",
                  help="CSV or TSV file with one row per study (else the project's reconciled data).")
    @click.option("--events", "events_col", metavar="COLUMN", help="Column with the number of events (with --data).")
    @click.option("--n", "n_col", metavar="COLUMN", help="Column with the number of participants (with --data).")
    @click.option("--study", "study_col", metavar="COLUMN", help="Column with study labels (default: row numbers).")
    @click.option("--drop-missing", is_flag=True,
                  help="Leave out studies whose events or n is missing (else an error); "
                       "they are listed on stderr and in the notes.")
    @click.option("--by", "by", metavar="COLUMN", help="Column (or project field) defining subgroups.")
    @click.option("--outcome", metavar="NAME", help="Protocol outcome to pool (project data only).")
    @click.option("--all", "every", is_flag=True,
                  help="Project: pool every outcome of the protocol's [[analyses]], overall and by their subgroups.")
    @click.option("--out", "out_dir", type=click.Path(file_okay=False), metavar="DIR",
                  help="With --all: write pooled.csv, pooled.json and forest/funnel plots here.")
    @click.option("--sm", type=click.Choice(SM_CHOICES), default="PLOGIT", show_default=True,
                  help="Transformation of the proportions.")
    @click.option("--method", type=click.Choice(("GLMM", "Inverse")), default=None,
                  help="Pooling method [default: GLMM for PLOGIT, else Inverse].")
    @click.option("--tau", "method_tau", type=click.Choice(TAU_CHOICES), default=None,
                  help="tau^2 estimator [default: ML for GLMM, REML for Inverse].")
    @click.option("--hakn", is_flag=True, help="Hartung-Knapp CI for the random-effects estimate.")
    @click.option("--ci", "method_ci", type=click.Choice(CI_CHOICES), default="CP", show_default=True,
                  help="Confidence interval for each study's proportion.")
    @click.option("--level", type=float, default=0.95, show_default=True, help="Confidence level.")
    @click.option("--forest", type=click.Path(dir_okay=False), metavar="FILE", help="Write a forest plot (.svg or .png).")
    @click.option("--funnel", type=click.Path(dir_okay=False), metavar="FILE", help="Write a funnel plot (.svg or .png).")
    @json_option
    def pool_cmd(data, events_col, n_col, study_col, drop_missing, by, outcome, every, out_dir, sm, method,
                 method_tau, hakn, method_ci, level, forest, funnel, as_json) -> None:
        """Pool proportions (events/n) as R meta::metaprop does.

        With --data FILE pools the studies in a CSV/TSV file (--events and --n
        name its columns); otherwise pools the project's settled extraction
        values for --outcome (naming every study left out, and why), or with
        --all every outcome of the protocol's analyses. Defaults follow meta >= 8: PLOGIT, GLMM, ML tau^2,
        Clopper-Pearson study CIs, prediction interval with t(k-1).
        A missing events or n is an error naming the file, line and study
        (--drop-missing leaves such studies out and lists them).

        \b
        Examples:
          review pool --data counts.csv --events events --n n --study study
          review pool --data counts.csv --events events --n n --study study \\
              --by cancer --method Inverse --tau DL --forest forest.png
          review pool --outcome DR --by cancer              # the project's settled values
          review pool --all --out exports                   # every analysis of the protocol
        """
        from review.pooling import metaprop
        from review.pooling.plots import check_folder
        from review.pooling.report import summary_text, to_json

        # Plot paths first: a typo must fail before any reading or computing.
        for path in (forest, funnel):
            if path:
                if not path.lower().endswith((".svg", ".png")):
                    raise BadInput(f"plot file must end in .svg or .png: {path}")
                check_folder(path)
        dropped: tuple[str, ...] = ()
        left: tuple[tuple[str, str], ...] = ()
        if every:
            _pool_all(data, outcome, by, out_dir, sm, method, method_tau, hakn, method_ci, level, as_json)
            return
        if out_dir:
            raise BadInput("--out DIR goes with --all (use --forest/--funnel for one outcome)")
        if data is not None:
            from review.pooling.data import read_counts

            if not events_col or not n_col:
                raise BadInput("--data needs --events COLUMN and --n COLUMN")
            d = read_counts(data, events_col, n_col, study_col, by, drop_missing=drop_missing)
            studies, events, n, groups, dropped = d.studies, d.events, d.n, d.groups, d.skipped
        else:
            from review.pooling import project_data

            with project_db() as conn:
                d = project_data(conn, outcome, by)
            studies, events, n, groups, left = d.studies, d.events, d.n, d.groups, d.left_out
            if not studies:
                raise BadInput(f"no study can be pooled for {d.outcome.name} yet ({len(left)} left out: "
                               + "; ".join(f"{s}: {w}" for s, w in left[:5]) + ("; ..." if len(left) > 5 else "")
                               + ")")
        res = metaprop(events, n, studies, by=groups, sm=sm, method=method, method_tau=method_tau,
                       hakn=hakn, level=level, method_ci=method_ci)
        if dropped:
            note = (f"left out {len(dropped)} {'study' if len(dropped) == 1 else 'studies'} "
                    f"with missing events or n: {', '.join(dropped)}")
            click.echo(f"note: {note}", err=True)
            res = dataclasses.replace(res, notes=(note, *res.notes))
        if left:
            note = f"left out {len(left)} {'study' if len(left) == 1 else 'studies'}: " + \
                "; ".join(f"{s} ({w})" for s, w in left)
            res = dataclasses.replace(res, notes=(note, *res.notes))
        if forest or funnel:
            from review.pooling.plots import forest_plot, funnel_plot

            if forest:
                forest_plot(res, forest)
            if funnel:
                funnel_plot(res, funnel)
        if as_json:
            doc = to_json(res)
            if data is None:
                doc["left_out"] = [{"study": s, "why": w} for s, w in left]
            emit_json(doc)
            return
        click.echo(summary_text(res))
        for path in (forest, funnel):
            if path:
                click.echo(f"wrote {path}")


def _pool_all(data, outcome, by, out_dir, sm, method, method_tau, hakn, method_ci, level, as_json) -> None:
    """`review pool --all`: every outcome of the protocol's analyses, with the
    analyses' options unless given on the command line."""
    from review.extraction.pooling import pool_all, tag, write_pooled
    from review.project import project_protocol

    if data is not None or outcome or by:
        raise BadInput("--all pools the protocol's analyses: leave out --data, --outcome and --by")
    ctx = click.get_current_context()
    given = {k: v for k, v in (("sm", sm), ("method", method), ("method_tau", method_tau)) if
             ctx.get_parameter_source(k) == click.core.ParameterSource.COMMANDLINE}
    if hakn:
        given["hakn"] = True
    with project_db() as conn:
        protocol = project_protocol(conn)
        results = pool_all(conn, protocol, level=level, method_ci=method_ci, **given)
    files = write_pooled(results, out_dir, protocol) if out_dir else []
    if as_json:
        emit_json({"analyses": [p.to_json() for p in results], "files": [str(f) for f in files]})
        return
    for p in results:
        r = p.result
        head = f"{tag(p):<18} ({p.analysis})"
        if r is None:
            click.echo(f"{head}: no study to pool ({len(p.data.left_out)} left out)")
            continue
        click.echo(f"{head}: {100 * r.random.estimate:.1f}% [{100 * r.random.lower:.1f}-"
                   f"{100 * r.random.upper:.1f}], k={r.k}, {r.events}/{r.n}, I2 {100 * r.I2:.0f}%"
                   + (f"; between groups Q={r.between.Q:.2f}, p={r.between.p:.3f}" if p.by else "")
                   + (f"; left out {len(p.data.left_out)}" if p.data.left_out else ""))
    for f in files:
        click.echo(f"wrote {f}")
