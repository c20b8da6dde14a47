"""`review survival`: patients from published Kaplan-Meier curves; curves, log-rank, Cox.

\b
  review survival reconstruct --curve POINTS.csv --at-risk RISK.csv --out IPD.csv
  review survival km --data IPD.csv --by curve --plot km.png
"""

from __future__ import annotations

import click

from review.cli.common import command, emit_json, json_option
from review.errors import BadInput


def _per_curve(value: str | None, labels: list[str], option: str) -> dict[str, int]:
    """'N' (one curve) or 'LABEL=N,LABEL=N' as {label: N}."""
    if value is None:
        return {}
    value = value.strip()
    if "=" not in value:
        try:
            n = int(value)
        except ValueError:
            raise BadInput(f"{option} must be a whole number or LABEL=N,...; got {value!r}") from None
        if len(labels) > 1:
            raise BadInput(f"{option} {n}: the file has {len(labels)} curves ({', '.join(labels)}): "
                           f"give one number per curve as LABEL=N,LABEL=N")
        return {labels[0]: n}
    out = {}
    for part in value.split(","):
        label, _, num = part.rpartition("=")
        label = label.strip()
        if label not in labels:
            raise BadInput(f"{option}: no curve {label!r} (curves: {', '.join(labels)})")
        try:
            out[label] = int(num)
        except ValueError:
            raise BadInput(f"{option}: {num.strip()!r} for {label!r} is not a whole number") from None
    return out


def register(main: click.Group) -> None:
    @main.group("survival", help=__doc__)
    def survival_group() -> None:
        pass

    @command(survival_group, "reconstruct", short_help="Rebuild patients from a digitised curve and its risk table.")
    @click.option("--curve", "curve", required=True, type=click.Path(dir_okay=False), metavar="POINTS.csv",
                  help="Digitised points: time,survival[,curve] (WebPlotDigitizer CSV accepted).")
    @click.option("--at-risk", "at_risk", type=click.Path(dir_okay=False), metavar="RISK.csv",
                  help="Numbers at risk under the figure: time,n (or a column per curve, or time,n,curve).")
    @click.option("--total-events", "total_events", metavar="N|LABEL=N,...",
                  help="Reported total number of events (one per curve for several curves).")
    @click.option("--n-start", "n_start", metavar="N|LABEL=N,...",
                  help="Patients at time 0, needed without --at-risk (then the result is less reliable).")
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False), metavar="IPD.csv",
                  help="Where to write the patients: time,event[,curve] (1 = event, 0 = censored).")
    @click.option("--scale", type=click.Choice(("auto", "percent", "fraction")), default="auto",
                  show_default=True, help="Survival in percent or as a fraction (auto: percent if any value > 1.5).")
    @click.option("--months-to-days", is_flag=True,
                  help="Write times in days as months x 30 (the seed paper's convention).")
    @json_option
    def reconstruct_cmd(curve, at_risk, total_events, n_start, out, scale, months_to_days, as_json) -> None:
        """Rebuild patient data from a digitised Kaplan-Meier curve (Guyot et al. 2012).

        POINTS.csv holds the digitised points (in any order, survival in percent
        or as a fraction, several curves told apart by a label column); they are
        cleaned (sorted, made non-increasing, started at (0, 1)) and what was
        changed is reported. RISK.csv is the numbers-at-risk table, in the same
        time unit. Nothing is written if anything is wrong.

        \b
        Examples:
          review survival reconstruct --curve os.csv --at-risk os_risk.csv --out os_ipd.csv
          review survival reconstruct --curve arms.csv --at-risk risk.csv \\
              --total-events pembro=126,placebo=107 --out ipd.csv --json
          review survival reconstruct --curve os.csv --n-start 24 --out ipd.csv
        """
        from review.survival.digitised import read_at_risk, read_curves
        from review.survival.guyot import combined_ipd, reconstruct_all
        from review.survival.ipd import MONTH_DAYS, write_csv_atomic
        from review.survival.report import reconstruction_json, reconstruction_text

        curves = read_curves(curve, scale=scale)
        labels = [c.label for c in curves]
        events = _per_curve(total_events, labels, "--total-events")
        starts = _per_curve(n_start, labels, "--n-start")
        tables = read_at_risk(at_risk, labels) if at_risk else None
        if tables is None:
            missing = [lab or "(the curve)" for lab in labels if lab not in starts]
            if missing:
                raise BadInput("without --at-risk give the number of patients at the start with --n-start "
                               f"(missing for {', '.join(missing)})")
        recs = reconstruct_all(curves, tables, events, starts)
        frame = combined_ipd(recs)
        if months_to_days:
            frame["time"] = frame["time"] * MONTH_DAYS
        write_csv_atomic(frame, out)
        if as_json:
            emit_json({"out": out, "columns": list(frame.columns),
                       "time_unit": "days" if months_to_days else None,
                       "curves": reconstruction_json(recs)})
            return
        click.echo(reconstruction_text(recs))
        click.echo(f"wrote {out}: {len(frame)} patients (columns {', '.join(frame.columns)})")

    @command(survival_group, "km", short_help="Kaplan-Meier, medians, log-rank, Cox; a plot with risk table.")
    @click.option("--data", "data", required=True, type=click.Path(dir_okay=False), metavar="IPD.csv",
                  help="One row per patient (CSV or TSV).")
    @click.option("--time", "time_col", default="time", show_default=True, metavar="COL", help="Time column.")
    @click.option("--event", "event_col", default="event", show_default=True, metavar="COL",
                  help="Event column: 1 event, 0 censored (1/2 and true/false accepted).")
    @click.option("--by", "by", metavar="COL", help="Group column: a curve per group, log-rank and Cox.")
    @click.option("--reference", metavar="GROUP", help="Reference group of the hazard ratios [default: first].")
    @click.option("--months-to-days", is_flag=True, help="Times are months: analyse in days (x 30).")
    @click.option("--conf-type", type=click.Choice(("log", "log-log", "plain")), default="log",
                  show_default=True, help="Confidence bands (log is R survfit's default).")
    @click.option("--level", type=float, default=0.95, show_default=True, help="Confidence level.")
    @click.option("--times", "times", metavar="T,T,...", help="Also report survival at these times (in days with --months-to-days).")
    @click.option("--plot", "plot", type=click.Path(dir_okay=False), metavar="FILE",
                  help="Kaplan-Meier plot with the numbers at risk under it (.png or .svg).")
    @click.option("--break-time", "break_time", type=click.FloatRange(min=0, min_open=True), metavar="T",
                  help="Time between ticks of the plot and its numbers-at-risk columns.")
    @json_option
    def km_cmd(data, time_col, event_col, by, reference, months_to_days, conf_type, level, times, plot,
               break_time, as_json) -> None:
        """Kaplan-Meier curves, median survival, log-rank test and Cox hazard ratios.

        Uses lifelines; the confidence bands and the median's confidence limits
        are those of R's survfit (conf.type "log" by default).

        \b
        Examples:
          review survival km --data ipd.csv --by curve --plot km.png --break-time 3
          review survival km --data lung.csv --event status --by sex --times 180,365 --json
          review survival km --data ipd.csv --by curve --months-to-days
        """
        from review.survival.ipd import read_ipd
        from review.survival.km import km_analysis
        from review.survival.plot import check_plot_path, km_plot
        from review.survival.report import km_json, km_text

        if plot:
            check_plot_path(plot)  # a typo fails before any reading or computing
        at = []
        if times:
            try:
                at = [float(x) for x in times.split(",") if x.strip()]
            except ValueError:
                raise BadInput(f"--times must be numbers separated by commas, got {times!r}") from None
        frame = read_ipd(data, time_col, event_col, by, months_to_days=months_to_days)
        group_col = None if by is None else frame.columns[-1]
        unit = "days" if months_to_days else None
        res = km_analysis(frame, by=group_col, conf_type=conf_type, level=level, reference=reference,
                          time_unit=unit)
        if plot:
            label = f"Time ({unit})" if unit else "Time" if time_col == "time" else f"Time ({time_col})"
            km_plot(res, plot, time_label=label, break_time=break_time)
        if as_json:
            emit_json(km_json(res, at))
            return
        click.echo(km_text(res, at))
        if plot:
            click.echo(f"wrote {plot}")
