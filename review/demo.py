"""The worked example: the seed CAR-T meta-analysis, built end to end offline.

``build_demo(target)`` makes a complete project in ``target``: the seed
protocol, a project database, the bundled database exports imported, the
duplicates grouped, and the 32 curated studies pooled as the seed paper did
(ORR, CRR and DR; overall, by cancer type and by country), with tables and
forest plots in ``target/exports/``. Every step calls the same core functions
as the CLI. The data it uses live in ``review/demo_data/`` (PROVENANCE.md).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable

from review.db import open_db
from review.project import format_status, init_project, status

PROTOCOL_NAME = "car-t-2025.toml"
OUTCOMES = ("orr", "crr", "dr")
SUBGROUPS = ("cancer", "country")


@dataclass
class DemoResult:
    """Where the demo put things, and what each step reported."""

    root: Path
    db: Path
    exports: Path
    steps: list[tuple[str, str]] = field(default_factory=list)


def demo_data(name: str) -> Path:
    """Path of a bundled demo file."""
    return Path(str(resources.files("review") / "demo_data" / name))


def build_demo(target: str | Path, echo: Callable[[str], None] = print) -> DemoResult:
    """Build the worked example in ``target`` (created; an earlier demo there is replaced)."""
    root = Path(target)
    db_file = root / "screening_db" / "car-t-2025.db"
    if db_file.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_file) + suffix).unlink(missing_ok=True)
    (root / "protocols").mkdir(parents=True, exist_ok=True)
    exports = root / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    protocol = root / "protocols" / PROTOCOL_NAME
    shutil.copyfile(demo_data(PROTOCOL_NAME), protocol)

    result = DemoResult(root=root, db=db_file, exports=exports)

    def step(name: str, summary: str) -> None:
        result.steps.append((name, summary))
        echo(f"[{len(result.steps)}] {name}: {summary}")

    init = init_project(protocol, db_file)
    step("init", f"project {init.protocol.id} in {db_file}")
    conn = open_db(db_file)
    try:
        for name, run in _STEPS:
            step(name, run(conn, root, exports))
        echo("")
        echo(format_status(status(conn)))
    finally:
        conn.close()
    return result


def _import(conn, root: Path, exports: Path) -> str:
    """Import the bundled CNKI and Wanfang exports (as a reviewer would download them)."""
    from review.importer import import_files

    src = root / "downloads"
    src.mkdir(exist_ok=True)
    paths = []
    for name in EXPORT_FILES:
        dest = src / name
        shutil.copyfile(demo_data(f"exports/{name}"), dest)
        paths.append(dest)
    done = import_files(conn, paths, actor=DEMO_ACTOR)
    return "; ".join(f"{f.source} {f.found} records ({f.added} new)" for f in done)


def _dedup(conn, root: Path, exports: Path) -> str:
    """Group duplicates; settle the doubtful pairs as the adjudicator would."""
    from review.dedup import store

    s = store.run(conn, DEMO_ACTOR)
    settled = 0
    for pair in store.open_pairs(conn):
        store.decide(conn, pair["pair_id"], "merge", DEMO_ADJUDICATOR,
                     note="demo: the same paper in CNKI and Wanfang (translated title)")
        settled += 1
    dd = status(conn)["deduplication"]
    return (f"{s.records} records, {s.certain} certain duplicate pair(s), {settled} possible "
            f"pair(s) merged by {DEMO_ADJUDICATOR} after review: {dd['unique']} unique records")


def _pool(conn, root: Path, exports: Path) -> str:
    """Pool the curated studies for each outcome of the primary analysis:
    overall and by each subgroup, with tables and forest/funnel plots."""
    import csv
    import json

    from review.pooling import metaprop
    from review.pooling.outcomes import find_outcome, outcome_data, read_study_table
    from review.pooling.plots import forest_plot, funnel_plot
    from review.pooling.report import to_json
    from review.project import project_protocol

    protocol = project_protocol(conn)
    analysis = next(a for a in protocol.analyses if a.name == "primary")
    table = demo_data("seed_studies.tsv")
    rows = read_study_table(table)
    curated = exports / "curated_studies.tsv"
    shutil.copyfile(table, curated)
    docs, lines, summary = {}, [], []
    for name in analysis.outcomes:
        outcome = find_outcome(protocol, name)
        for by in (None, *analysis.subgroups):
            data = outcome_data(outcome, rows, by=by, where=str(table))
            res = metaprop(data.events, data.n, data.studies, by=data.groups)
            tag = name if by is None else f"{name}_by_{by}"
            docs[tag] = to_json(res)
            title = outcome.label + ("" if by is None else f", by {by}")
            for ext in ("png", "svg"):
                forest_plot(res, exports / f"forest_{tag}.{ext}", title=title)
            if by is None:
                funnel_plot(res, exports / f"funnel_{name}.png", title=outcome.label)
            for label, r in [("all", res), *[(g.name, g.result) for g in res.subgroups]]:
                lines.append({
                    "outcome": name, "by": by or "", "group": label, "k": r.k,
                    "events": r.events, "n": r.n, "estimate": round(r.random.estimate, 4),
                    "lower": round(r.random.lower, 4), "upper": round(r.random.upper, 4),
                    "I2": round(r.I2, 4), "tau2": round(r.tau2, 4),
                    "between_Q": "" if by is None or label != "all" else round(res.between.Q, 3),
                    "between_p": "" if by is None or label != "all" else round(res.between.p, 4),
                })
            if by is None:
                summary.append(f"{name} {100 * res.random.estimate:.0f}% [{100 * res.random.lower:.0f}-"
                               f"{100 * res.random.upper:.0f}], k={res.k}, I2 {100 * res.I2:.0f}%")
    with (exports / "pooled.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(lines[0]))
        w.writeheader()
        w.writerows(lines)
    (exports / "pooled.json").write_text(json.dumps(docs, indent=2), encoding="utf-8")
    return f"{len(rows)} curated studies, GLMM (metaprop defaults): " + "; ".join(summary)


EXPORT_FILES = ("cnki_car_t_noteexpress.net", "wanfang_car_t_noteexpress.net")
DEMO_ACTOR = "QZ"
DEMO_ADJUDICATOR = "JM"

# Steps after init: (name, function(conn, root, exports) -> one-line summary).
_STEPS: list[tuple[str, Callable]] = [("import", _import), ("dedup", _dedup), ("pool", _pool)]
