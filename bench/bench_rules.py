"""`review rules` speed: a 100,000-record project against 20,000 journals.

Uses bench/bench_journals.py's generator (a JCR-shaped export and a SCImago
download of 20,000 journals, imported through `review journals import`'s code;
records matching by ISSN, eISSN, ISSN-L, NLM id, title, abbreviation, or not at
all), and gives the records what real exports say: PubMed publication types
and MeSH (Review, Case Reports, Letter ...), RIS/EndNote reference types
(JOUR, CONF, THES ...), CNKI document types (期刊, 硕士, 会议), languages (eng,
English, chi, 中文, ger), years 1990-2026, and titles that only suggest a type.
The protocol is the seed's (publication types, year_max, IF >= 10) with
year_min, languages and humans_only added.

Times ``review.rules.engine.run`` (everything: reading, matching journals,
checking, writing the events and the audit entry) on the first run, then a
second run that finds nothing changed (and writes nothing), then a dry run.
Goal: under 5 s. Run: python bench/bench_rules.py [RECORDS] [JOURNALS]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_journals import jcr_csv, journals, records, scimago_csv  # noqa: E402

from review.db import open_db, transaction  # noqa: E402
from review.db.records import finish_search, start_search, store_records  # noqa: E402
from review.journals.importer import import_metric_files  # noqa: E402
from review.project import init_project, project_protocol  # noqa: E402
from review.rules.engine import run  # noqa: E402

EXTRA_RULES = 'year_min = 1995\nlanguages = ["English", "Chinese"]\nhumans_only = true\n'

PUBMED_TYPES = [(["Journal Article"], 0.70), (["Journal Article", "Review"], 0.10),
                (["Case Reports", "Journal Article"], 0.05), (["Letter"], 0.03),
                (["Journal Article", "Randomized Controlled Trial"], 0.07), (["Editorial"], 0.02),
                (["Journal Article", "Practice Guideline"], 0.03)]
RIS_TYPES = [("JOUR", 0.8), ("CONF", 0.1), ("THES", 0.03), ("ABST", 0.05), ("GEN", 0.02)]
CNKI_TYPES = [("期刊", 0.85), ("硕士", 0.08), ("博士", 0.03), ("中国会议", 0.04)]
LANGS = [("eng", 0.6), ("English", 0.15), ("chi", 0.1), ("中文", 0.08), ("ger", 0.04), ("", 0.03)]
TITLES = ["Outcomes of CAR-T cell therapy in cohort {i}", "A case report of cytokine release syndrome {i}",
          "CAR-T细胞治疗淋巴瘤的研究进展 {i}", "Lentiviral CD19 CAR-T: a narrative review {i}",
          "Phase 2 trial of anti-BCMA CAR-T cells {i}"]


def pick(rng: random.Random, table):
    r, acc = rng.random(), 0.0
    for value, p in table:
        acc += p
        if r < acc:
            return value
    return table[-1][0]


def dress(recs, rng: random.Random):
    """Give the bench_journals records real-shaped types, languages, years, MeSH and titles."""
    out = []
    for i, r in enumerate(recs):
        kind = rng.random()
        kw = {"year": rng.randint(1990, 2026), "language": pick(rng, LANGS),
              "title": TITLES[i % 5].format(i=i) if rng.random() < 0.2 else f"Study {i} of CAR-T cells"}
        if kind < 0.5:  # PubMed
            kw["publication_types"] = tuple(pick(rng, PUBMED_TYPES))
            kw["mesh"] = ("Humans", "Neoplasms") if rng.random() < 0.9 else ("Animals", "Mice")
        elif kind < 0.85:  # RIS (Embase, Scopus ...)
            kw["raw"] = (("type", pick(rng, RIS_TYPES)),)
        else:  # CNKI E-Study
            kw["raw"] = (("cnki_database", pick(rng, CNKI_TYPES)), ("database", "CNKI"))
        out.append(replace(r, **kw))
    return out


def main(n_records: int = 100_000, n_journals: int = 20_000) -> None:
    rng = random.Random(1)
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        proto = Path(tmp) / "bench.toml"
        text = (root / "protocols" / "car-t-2025.toml").read_text(encoding="utf-8")
        proto.write_text(text.replace("year_max = 2025\n", "year_max = 2025\n" + EXTRA_RULES), encoding="utf-8")
        init_project(proto, db)
        js = journals(n_journals, rng)
        jcr, sci = Path(tmp) / "JCR_2023.csv", Path(tmp) / "scimagojr 2023.csv"
        jcr_csv(js, jcr)
        scimago_csv(js, sci)
        conn = open_db(db)
        import_metric_files(conn, [jcr, sci], actor="bench")
        recs = dress(records(n_records, js, rng), rng)
        with transaction(conn):
            sid = start_search(conn, kind="import", source="bench", actor="bench")
            store_records(conn, "bench", sid, recs)
            finish_search(conn, sid)
        protocol = project_protocol(conn)
        print(f"{n_records:,} records, {n_journals:,} journals; load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} CPUs")
        for label, dry in (("first run", False), ("second run (nothing changed)", False), ("dry run", True)):
            t0, c0 = time.perf_counter(), time.process_time()
            r = run(conn, protocol, dry_run=dry, actor="bench")
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            print(f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU; wrote {len(r.events):,} events; "
                  f"excluded {sum(r.excluded.values()):,} ({', '.join(f'{k} {v:,}' for k, v in r.excluded.items())}); "
                  f"flagged {sum(r.flagged.values()):,} ({len(r.flagged)} reasons); goal < 5 s")
        conn.close()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
