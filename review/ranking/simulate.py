"""Replay title/abstract screening on a labelled set (``review simulate``).

The prior records are screened first, in the order given; then, one record at
a time, the model is refitted on every label so far and the unscreened record
it ranks highest is screened next (ASReview's "max" querying), until every
record is screened. The replay never looks at a label before its record is
screened.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from review.errors import BadInput
from review.ranking import metrics
from review.ranking.features import Corpus, Doc, FeatureSettings
from review.ranking.model import Ranker, RankSettings

REQUIRED = ("record_id", "title", "abstract", "included")
OPTIONAL = ("keywords", "mesh")


@dataclass(frozen=True)
class LabelledSet:
    """Records with their true labels, as read from a file; ``line[id]`` is the
    file line each record starts on."""

    docs: tuple[Doc, ...]
    included: dict
    line: dict
    path: str

    @property
    def ids(self) -> tuple:
        return tuple(d.id for d in self.docs)


@dataclass(frozen=True)
class Simulation:
    """A replay: ``order`` (ids in screening order, priors first), ``labels``
    (their true labels in that order), ``n_prior``, ``fits`` (models fitted)."""

    order: tuple
    labels: np.ndarray
    n_prior: int
    fits: int
    seed: int

    @property
    def curve(self) -> metrics.RecallCurve:
        return metrics.recall_curve(self.labels)

    def summary(self) -> dict:
        return metrics.summary(self.labels)


def _split_terms(value: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in value.replace("|", ";").split(";") if t.strip())


def read_labelled(path: str | Path) -> LabelledSet:
    """Read a labelled set: CSV (or .tsv; .gz compressed allowed) with columns
    record_id, title, abstract, included (0/1), and optionally keywords and
    mesh (terms separated by ';'). BadInput names the file and line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise BadInput(f"cannot read labelled set: {exc.strerror or exc}", where=str(path)) from None
    except UnicodeDecodeError as exc:
        raise BadInput(f"cannot read labelled set: not UTF-8 text ({exc.reason})", where=str(path)) from None
    name = path.name[:-3] if path.suffix == ".gz" else path.name
    delim = "\t" if name.lower().endswith((".tsv", ".tab")) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        header = next(reader)
    except StopIteration:
        raise BadInput("empty file (expected a header with record_id, title, abstract, included)", where=str(path)) from None
    except csv.Error as exc:
        raise BadInput(f"not a readable CSV file: {exc}", where=f"{path}:1") from None
    low = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in low]
    if missing:
        raise BadInput(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(need {', '.join(REQUIRED)}; found {', '.join(header) or 'none'})",
            where=f"{path}:1",
        )
    col = {c: low.index(c) for c in REQUIRED + OPTIONAL if c in low}
    docs: list[Doc] = []
    included: dict = {}
    line: dict = {}
    start = reader.line_num + 1
    try:
        for fields in reader:
            where = f"{path}:{start}"
            start = reader.line_num + 1
            if not any(f.strip() for f in fields):
                continue
            if len(fields) < len(header):
                raise BadInput(f"{len(fields)} fields, the header has {len(header)}", where=where)
            rid = fields[col["record_id"]].strip()
            if not rid:
                raise BadInput("empty record_id", where=where)
            if rid in line:
                raise BadInput(f"duplicate record_id {rid!r} (first on line {line[rid]})", where=where)
            inc = fields[col["included"]].strip()
            if inc not in ("0", "1"):
                raise BadInput(f"included must be 0 or 1, got {inc!r} (record {rid})", where=where)
            line[rid] = int(where.rsplit(":", 1)[1])
            included[rid] = int(inc)
            docs.append(
                Doc(
                    id=rid,
                    title=fields[col["title"]],
                    abstract=fields[col["abstract"]],
                    keywords=_split_terms(fields[col["keywords"]]) if "keywords" in col else (),
                    mesh=_split_terms(fields[col["mesh"]]) if "mesh" in col else (),
                )
            )
    except csv.Error as exc:
        raise BadInput(f"not a readable CSV file: {exc}", where=f"{path}:{reader.line_num}") from None
    if not docs:
        raise BadInput("no records", where=str(path))
    if not any(included.values()):
        raise BadInput("no record has included = 1: nothing to find", where=str(path))
    return LabelledSet(tuple(docs), included, line, str(path))


def parse_priors(value: str | None, data: LabelledSet) -> list:
    """``--prior ID,ID,...`` as a list of ids of ``data``; BadInput for an
    unknown or repeated id, or when none of them is relevant."""
    if not value:
        return []
    ids = [v.strip() for v in value.split(",") if v.strip()]
    seen: set = set()
    for i in ids:
        if i not in data.included:
            raise BadInput(f"unknown prior record {i!r}: no such record_id in {data.path}", where="--prior")
        if i in seen:
            raise BadInput(f"prior record {i!r} given twice", where="--prior")
        seen.add(i)
    if not any(data.included[i] for i in ids):
        lines = ", ".join(f"{i} (line {data.line[i]}, included=0)" for i in ids)
        raise BadInput(
            f"no relevant prior: the replay needs at least one prior with included = 1 in {data.path}; got {lines}",
            where="--prior",
        )
    return ids


def simulate(
    data: LabelledSet,
    prior: Sequence = (),
    *,
    seed: int = 0,
    rank_settings: RankSettings | None = None,
    feature_settings: FeatureSettings | None = None,
    include_terms: Sequence[str] = (),
    exclude_terms: Sequence[str] = (),
    corpus: Corpus | None = None,
    progress: Callable[[int, int], None] | None = None,
    stop_when_all_found: bool = False,
    refit: str = "adaptive",
) -> Simulation:
    """Replay screening of ``data`` from the ``prior`` ids (screened first).

    Without priors the replay starts as screening does: random order (seeded)
    until the first relevant record, then ranked. ``stop_when_all_found`` (for
    benches, as ASReview's default stopper) ends the replay at the last
    relevant record and appends the rest in seeded random order: every metric
    of the order is unchanged, the fits after that point are saved.

    ``refit``: "every" refits after every record (as ASReview's simulate);
    "adaptive" (the default) refits after every record until 2,000 are
    labelled, then after every L // 1000 records (L labelled so far) and at
    once after each relevant record, which keeps long replays to a few
    thousand fits (the screening screen's background worker lags the same
    way). On sets of up to 2,000 records the two are the same.
    """
    from dataclasses import replace

    settings = replace(rank_settings or RankSettings(), seed=seed)
    corpus = corpus or Corpus.build(data.docs, feature_settings)
    ranker = Ranker(corpus, settings)
    truth = np.array([data.included[i] for i in corpus.ids], dtype=np.int8)
    n = len(corpus.ids)
    unscreened = np.ones(n, dtype=bool)
    order: list[int] = []
    labels: dict = {}
    for i in prior:
        r = corpus.row[i]
        if not unscreened[r]:
            raise ValueError(f"prior record {i!r} given twice")
        unscreened[r] = False
        order.append(r)
        labels[i] = int(truth[r])
    if refit not in ("every", "adaptive"):
        raise ValueError("refit must be 'every' or 'adaptive'")
    fits = 0
    neg_inf = -np.inf
    model = None
    since = 0  # records screened since the last fit
    last_relevant = False
    n_relevant = int(truth.sum())
    while len(order) < n:
        if stop_when_all_found and sum(labels.values()) == n_relevant:
            rest = np.flatnonzero(unscreened)
            order.extend(int(r) for r in rest[np.argsort(ranker._tiebreak[rest])])
            break
        due = 1 if refit == "every" or len(labels) < 2000 else len(labels) // 1000
        if model is None or since >= due or last_relevant:
            model = ranker.fit(labels, include_terms=include_terms, exclude_terms=exclude_terms)
            fits += 1
            since = 0
        s = np.where(unscreened, model._scores, neg_inf)
        best = np.flatnonzero(s == s.max())
        r = int(best[np.argmin(model._tiebreak[best])]) if best.size > 1 else int(best[0])
        unscreened[r] = False
        order.append(r)
        labels[corpus.ids[r]] = int(truth[r])
        since += 1
        last_relevant = bool(truth[r])
        if progress is not None and len(order) % 100 == 0:
            progress(len(order), n)
    return Simulation(
        order=tuple(corpus.ids[r] for r in order),
        labels=truth[np.asarray(order, dtype=np.int64)].astype(np.int64),
        n_prior=len(prior),
        fits=fits,
        seed=seed,
    )
