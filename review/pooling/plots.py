"""Forest and funnel plots (matplotlib, Agg backend), SVG or PNG by file extension.

The forest plot follows meta::forest's layout: study label, events, total,
proportion with CI and weights as columns; squares sized by the random-effects
weight; diamonds for subgroup and overall estimates; the prediction interval as
a bar; a heterogeneity line under each block.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from review.errors import BadInput
from review.pooling.results import MetaResult, Pooled


def _mpl():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _fmt_ci(p: float, lo: float, hi: float) -> str:
    return f"{p:.2f} [{lo:.2f}; {hi:.2f}]"


def _pct(v: float) -> str:
    return "NA" if not math.isfinite(v) else f"{100 * v:.0f}%"


def _het_text(r: MetaResult) -> str:
    if r.k < 2:
        return ""
    return (f"Heterogeneity: $I^2$ = {_pct(r.I2)}, $\\tau^2$ = {r.tau2:.4f}, "
            f"$\\chi^2_{{{r.Q_df}}}$ = {r.Q:.2f} (p = {r.Q_p:.2g})")


def _rows(res: MetaResult) -> list[tuple]:
    """Plot rows top to bottom: (kind, payload)."""
    rows: list[tuple] = []
    blocks = [(g.name, g.result) for g in res.subgroups] if res.subgroups else [(None, res)]
    for name, r in blocks:
        if name is not None:
            rows.append(("header", name))
        rows.extend(("study", s) for s in r.studies)
        if name is not None:
            rows.append(("diamond", (f"Random effects model ({name})", r.random, r.k)))
            if r.k >= 2:  # one study: no heterogeneity, so no (empty) line for it
                rows.append(("het", _het_text(r)))
            rows.append(("blank", None))
    rows.append(("diamond", ("Common effect model", res.common, res.k)))
    rows.append(("diamond", ("Random effects model", res.random, res.k)))
    if res.prediction is not None:
        rows.append(("pi", res.prediction))
    if res.k >= 2:
        rows.append(("het", _het_text(res)))
    if res.between is not None:
        b = res.between
        rows.append(("het", f"Test for subgroup differences: $\\chi^2_{{{b.df}}}$ = {b.Q:.2f} (p = {b.p:.2g})"))
    return rows


def forest_plot(res: MetaResult, path: str | Path, title: str | None = None) -> Path:
    """Write a forest plot of ``res`` to ``path`` (.svg or .png); returns the path."""
    plt = _mpl()
    rows = _rows(res)
    nrow = len(rows) + 2
    fig = plt.figure(figsize=(11, 0.28 * nrow + 1.0))
    ax = fig.add_axes((0.40, 0.6 / (0.28 * nrow + 1.0), 0.30, 1 - 1.0 / (0.28 * nrow + 1.0)))
    ax.set_ylim(len(rows) + 0.5, -1.5)
    ax.set_xlim(0, 1)
    trans = ax.get_yaxis_transform()
    cols = {"label": -1.30, "events": -0.42, "n": -0.22, "ci": 1.05, "wc": 1.75, "wr": 2.00}
    glmm = res.method == "GLMM"
    head = [("label", "Study", "left"), ("events", "Events", "right"), ("n", "Total", "right"),
            ("ci", "Proportion  95%-CI", "left")]
    if not glmm:
        head += [("wc", "Weight\n(common)", "right"), ("wr", "Weight\n(random)", "right")]
    for key, text, ha in head:
        ax.text(cols[key], -1.0, text, transform=trans, ha=ha, va="center", fontweight="bold", fontsize=9)
    wmax = max((s.weight_random or 0) for s in res.studies) or 1.0
    for y, (kind, item) in enumerate(rows):
        if kind == "header":
            ax.text(cols["label"], y, item, transform=trans, ha="left", va="center", fontweight="bold", fontsize=9)
        elif kind == "study":
            s = item
            ax.plot([s.lower, s.upper], [y, y], color="black", lw=0.8, clip_on=True)
            size = 4 + 8 * math.sqrt((s.weight_random or wmax / 2) / wmax)
            ax.plot([s.estimate], [y], marker="s", color="grey", markersize=size, markeredgecolor="black",
                    markeredgewidth=0.5)
            for key, text, ha in (("label", s.study, "left"), ("events", str(s.events), "right"),
                                  ("n", str(s.n), "right"), ("ci", _fmt_ci(s.estimate, s.lower, s.upper), "left")):
                ax.text(cols[key], y, text, transform=trans, ha=ha, va="center", fontsize=8.5)
            if not glmm:
                ax.text(cols["wc"], y, f"{s.weight_common:.1f}%", transform=trans, ha="right", va="center", fontsize=8.5)
                ax.text(cols["wr"], y, f"{s.weight_random:.1f}%", transform=trans, ha="right", va="center", fontsize=8.5)
        elif kind == "diamond":
            label, p, k = item
            _diamond(ax, p, y, "navy" if "Random" in label else "grey")
            ax.text(cols["label"], y, label, transform=trans, ha="left", va="center", fontweight="bold", fontsize=8.5)
            ax.text(cols["ci"], y, _fmt_ci(p.estimate, p.lower, p.upper), transform=trans, ha="left",
                    va="center", fontweight="bold", fontsize=8.5)
        elif kind == "pi":
            ax.plot([item.lower, item.upper], [y, y], color="firebrick", lw=3, solid_capstyle="butt")
            ax.text(cols["label"], y, "Prediction interval", transform=trans, ha="left", va="center", fontsize=8.5)
            ax.text(cols["ci"], y, f"     [{item.lower:.2f}; {item.upper:.2f}]", transform=trans, ha="left",
                    va="center", fontsize=8.5)
        elif kind == "het" and item:
            ax.text(cols["label"], y, item, transform=trans, ha="left", va="center", fontsize=8)
    ax.axvline(res.random.estimate, color="navy", lw=0.6, ls="--")
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_yticks([])
    ax.set_xlabel("Proportion", fontsize=9)
    ax.tick_params(axis="x", labelsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    return _save(fig, path, plt)


def _diamond(ax, p: Pooled, y: float, color: str) -> None:
    xs = [p.lower, p.estimate, p.upper, p.estimate]
    ys = [y, y - 0.35, y, y + 0.35]
    ax.fill(xs, ys, color=color, alpha=0.85, lw=0)


def funnel_plot(res: MetaResult, path: str | Path, title: str | None = None) -> Path:
    """Funnel plot: each study's TE (transformed scale) against its standard error.

    Dashed lines mark the pseudo 95% region around the common-effect estimate
    (as meta::funnel draws it); the y axis is inverted so precise studies sit on top.
    """
    plt = _mpl()
    te = np.array([s.TE for s in res.studies])
    se = np.array([s.se for s in res.studies])
    ok = np.isfinite(te) & np.isfinite(se)
    fig, ax = plt.subplots(figsize=(6, 5))
    ref = res.common.TE
    top = float(se[ok].max()) * 1.05 if ok.any() else 1.0
    s_grid = np.linspace(0, top, 50)
    ax.plot(ref - 1.96 * s_grid, s_grid, "k--", lw=0.7)
    ax.plot(ref + 1.96 * s_grid, s_grid, "k--", lw=0.7)
    ax.axvline(ref, color="grey", lw=0.8)
    ax.axvline(res.random.TE, color="navy", lw=0.8, ls=":")
    ax.scatter(te[ok], se[ok], s=25, facecolor="white", edgecolor="black", zorder=3)
    ax.set_ylim(top, 0)
    ax.set_xlabel(f"Transformed proportion ({res.sm})")
    ax.set_ylabel("Standard error")
    if title:
        ax.set_title(title)
    return _save(fig, path, plt)


def check_folder(path: str | Path) -> Path:
    """``path`` as a Path; BadInput unless its folder exists (no folders are created)."""
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise BadInput(f"folder {str(folder)!r} does not exist (create it first)", where=str(path))
    return path


def _save(fig, path: str | Path, plt) -> Path:
    try:
        path = check_folder(path)
    except BadInput:
        plt.close(fig)
        raise
    fig.savefig(path, format=path.suffix.lower().lstrip("."), dpi=110, bbox_inches="tight", pad_inches=0.3)
    plt.close(fig)
    return path
