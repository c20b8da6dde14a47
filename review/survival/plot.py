"""Kaplan-Meier plot with a numbers-at-risk table under it, as survminer's
``ggsurvplot(fit, conf.int = TRUE, pval = TRUE, risk.table = TRUE)`` draws it.

Steps with shaded confidence bands and '+' at censoring times, the log-rank p
in the corner, the groups' legend above, and below the curves one row per
group with the number at risk (time >= t, R's n.risk) at each tick of the
time axis. matplotlib (Agg); SVG or PNG by the file's extension.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from review.errors import BadInput
from review.survival.km import KMResult

# ggplot2's default hue palette for 1-4 groups (survminer's colours)
_HUE = {1: ["#F8766D"], 2: ["#F8766D", "#00BFC4"], 3: ["#F8766D", "#00BA38", "#619CFF"],
        4: ["#F8766D", "#7CAE00", "#00BFC4", "#C77CFF"]}


def _colours(k: int) -> list[str]:
    if k in _HUE:
        return _HUE[k]
    import matplotlib

    cmap = matplotlib.colormaps["tab10" if k <= 10 else "tab20"]
    return [matplotlib.colors.to_hex(cmap(i % cmap.N)) for i in range(k)]


def _p_text(p: float) -> str:
    return "Log-rank p < 0.0001" if p < 1e-4 else f"Log-rank p = {p:.2g}" if p < 0.01 else f"Log-rank p = {p:.2f}"


def check_plot_path(path: str | Path) -> Path:
    """BadInput unless the file ends in .png or .svg and its folder exists."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise BadInput(f"plot file must end in .svg or .png: {path}")
    if not path.parent.is_dir():
        raise BadInput(f"folder {str(path.parent)!r} does not exist (create it first)", where=str(path))
    return path


def km_plot(res: KMResult, path: str | Path, *, time_label: str | None = None, title: str | None = None,
            break_time: float | None = None) -> Path:
    """Draw ``res`` (from km_analysis) to ``path``; ``break_time`` spaces the time
    ticks and the numbers-at-risk columns (survminer's break.time.by)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    path = check_plot_path(path)
    k = len(res.groups)
    colours = _colours(k)
    fig = plt.figure(figsize=(7.5, 5.2 + 0.28 * k))
    grid = fig.add_gridspec(2, 1, height_ratios=[4.2, 0.55 + 0.3 * k], hspace=0.42)
    ax = fig.add_subplot(grid[0])
    tab = fig.add_subplot(grid[1], sharex=ax)
    tmax = max(max(g.time) for g in res.groups) or 1.0
    for g, c in zip(res.groups, colours):
        t = np.asarray(g.time)
        s, lo, hi = (np.asarray(v, dtype=float) for v in (g.survival, g.lower, g.upper))
        ok = np.isfinite(lo) & np.isfinite(hi)
        ax.fill_between(t[ok], lo[ok], hi[ok], step="post", color=c, alpha=0.2, linewidth=0)
        ax.step(t, s, where="post", color=c, linewidth=1.6, label=g.name)
        if g.censor_times:
            ax.plot(g.censor_times, [g.at(x)[0] for x in g.censor_times], linestyle="none", marker="+",
                    color=c, markersize=7, markeredgewidth=1.3)
    ax.set_ylim(0, 1.03)
    ax.set_xlim(0, tmax * 1.02)
    if break_time:
        from matplotlib.ticker import MultipleLocator

        if tmax / break_time > 60:
            raise BadInput(f"--break-time {break_time:g} gives more than 60 ticks up to {tmax:g}")
        ax.xaxis.set_major_locator(MultipleLocator(break_time))
    else:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 2.5, 5, 10], integer=tmax >= 8))
    ax.set_ylabel("Survival probability")
    ax.set_xlabel(time_label or "Time")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if k > 1 or res.by:
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(k, 4), frameon=False,
                  title=res.by, fontsize=9, title_fontsize=9)
    if res.logrank is not None:
        ax.text(0.03, 0.05, _p_text(res.logrank.p), transform=ax.transAxes, fontsize=10,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 2})
    if title:
        fig.suptitle(title)
    # numbers at risk at each tick of the time axis
    ticks = [x for x in ax.get_xticks() if 0 <= x <= tmax * 1.02]
    for row, (g, c) in enumerate(zip(res.groups, colours)):
        y = k - 1 - row
        for x in ticks:
            tab.text(x, y, str(g.at(x)[3]), ha="center", va="center", color=c, fontsize=9)
    tab.set_ylim(-0.6, k - 0.4)
    tab.set_yticks(range(k))
    tab.set_yticklabels([g.name for g in reversed(res.groups)])
    for lab, c in zip(tab.get_yticklabels(), reversed(colours)):
        lab.set_color(c)
    tab.set_title("Number at risk", loc="left", fontsize=10)
    tab.set_xlabel(time_label or "Time")
    tab.tick_params(axis="y", length=0, pad=22)  # clear of the counts at time 0
    for side in ("top", "right", "left"):
        tab.spines[side].set_visible(False)
    try:
        fig.savefig(path, format=path.suffix.lower().lstrip("."), dpi=110, bbox_inches="tight", pad_inches=0.3)
    finally:
        plt.close(fig)
    return path
