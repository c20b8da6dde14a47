"""The stopping chart: relevant records found against records screened
(matplotlib, Agg backend; .png or .svg by the file name)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from review.ranking.metrics import recall_curve
from review.ranking.stopping import StoppingReport


def recall_chart(
    labels: Sequence[int],
    path: str | Path,
    *,
    n_total: int | None = None,
    n_relevant: int | None = None,
    report: StoppingReport | None = None,
    title: str | None = None,
) -> Path:
    """Draw found-vs-screened for ``labels`` (1/0 in screening order) to ``path``.

    ``n_total`` sets the x range (all records, screened or not); ``n_relevant``
    (known only in a simulation) adds the random-screening line and the 95%
    recall level; ``report`` marks the stopping aid's state in the legend.
    Written to a temporary file and renamed, so a failure leaves nothing.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    curve = recall_curve(labels)
    n_total = n_total or curve.n_total
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    try:
        ax.step(np.concatenate([[0], curve.screened]), np.concatenate([[0], curve.found]), where="post",
                color="#1f5fa8", label="ranked screening")
        if n_relevant:
            ax.plot([0, n_total], [0, n_relevant], color="0.55", ls="--", label="random order (expected)")
            ax.axhline(0.95 * n_relevant, color="#b03030", lw=0.8, ls=":", label="95% of relevant")
        if report is not None:
            h, t = report.heuristic, report.test
            ax.plot([], [], " ", label=f"last {h.run} irrelevant in a row (threshold {h.threshold})")
            ax.plot([], [], " ", label=f"H0 recall<{t.recall_target:.0%}: p = {t.p:.3g}"
                                       f"{' (stop)' if t.stop else ''}")
            ax.plot([], [], " ", label=f"relevant left: ~{report.remaining.estimate:.0f} "
                                       f"(<= {report.remaining.upper} at {report.remaining.confidence:.0%})")
        ax.set_xlim(0, n_total)
        ax.set_ylim(0, max(n_relevant or 0, int(curve.found[-1]) if len(curve.found) else 0, 1) * 1.05)
        ax.set_xlabel("records screened")
        ax.set_ylabel("relevant records found")
        ax.set_title(title or "Relevant records found")
        ax.legend(loc="lower right", fontsize=8)
        fig.tight_layout()
        tmp = path.with_name(f".{path.name}.tmp{path.suffix}")
        fig.savefig(tmp, dpi=120)
        tmp.replace(path)
    finally:
        plt.close(fig)
    return path
