"""Journal-metric lookup speed: every record of a 100,000-record project
against 20,000 journals, as the rules engine asks for it.

Writes a JCR-shaped export of 20,000 journals (banner, footer, one row per
journal and category: 30,000 rows) and a SCImago-shaped download of the same
journals, imports both through `review journals import`'s code, stores
100,000 records (ISSN 55 %, eISSN only 15 %, ISSN-L only 5 %, NLM id only
5 %, full title only 10 %, NLM abbreviation only 5 %, unknown journal 5 %),
then times ``metrics_for_units`` (loading included) and prints how the
records matched. Goal: well under 5 s.
Run: python bench/bench_journals.py [RECORDS] [JOURNALS]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

from review.db import open_db, transaction
from review.db.records import finish_search, start_search, store_records
from review.journals.importer import import_metric_files
from review.journals.match import metrics_for_units, summary
from review.models import Record
from review.project import init_project

WORDS = ("Cancer Clinical Research Immunology Haematology Oncology Cellular Molecular Medicine Therapy "
         "Translational Experimental Surgical Paediatric Nursing Genetics Biology Pathology Radiology "
         "Cardiology Neurology Endocrinology Pharmacology Virology Transplantation").split()
ABBR = {"Journal": "J", "Cancer": "Cancer", "Clinical": "Clin", "Research": "Res", "Immunology": "Immunol",
        "Haematology": "Haematol", "Oncology": "Oncol", "Cellular": "Cell", "Molecular": "Mol",
        "Medicine": "Med", "Therapy": "Ther", "Translational": "Transl", "Experimental": "Exp",
        "Surgical": "Surg", "Paediatric": "Paediatr", "Nursing": "Nurs", "Genetics": "Genet",
        "Biology": "Biol", "Pathology": "Pathol", "Radiology": "Radiol", "Cardiology": "Cardiol",
        "Neurology": "Neurol", "Endocrinology": "Endocrinol", "Pharmacology": "Pharmacol",
        "Virology": "Virol", "Transplantation": "Transplant", "Annals": "Ann", "Reports": "Rep"}


def issn(n: int) -> str:
    """A well-formed ISSN (with its check digit) for number n."""
    d = f"{n:07d}"
    s = sum(int(c) * w for c, w in zip(d, range(8, 1, -1)))
    check = (11 - s % 11) % 11
    return f"{d[:4]}-{d[4:]}{'X' if check == 10 else check}"


def journals(n: int, rng: random.Random) -> list[dict]:
    out, seen = [], set()
    while len(out) < n:
        k = rng.randint(2, 4)
        words = rng.sample(WORDS, k)
        head = rng.choice(("Journal of", "Annals of", "", "", "Reports in"))
        title = " ".join(([head] if head else []) + words)
        if title.lower() in seen:
            continue
        seen.add(title.lower())
        i = len(out)
        out.append({"title": title, "issn": issn(1000000 + 2 * i), "eissn": issn(1000001 + 2 * i),
                    "nlm": f"10{i:07d}", "jif": round(rng.uniform(0.2, 60), 1),
                    "abbrev": " ".join(ABBR.get(w, w) for w in title.replace(" of", "").replace(" in", "").split())})
    return out


def jcr_csv(js: list[dict], path: Path) -> None:
    lines = ['"Journal Data Filtered By:  Selected JCR Year: 2023 Selected Editions: SCIE,SSCI"', "",
             "Journal name,JCR Abbreviation,Publisher,ISSN,eISSN,Category,Edition,Total Citations,2023 JIF,"
             "JIF Quartile,2023 JCI,% of OA Gold"]
    for i, j in enumerate(js):
        cats = ("ONCOLOGY", "HEMATOLOGY") if i % 2 else ("ONCOLOGY",)
        for c in cats:
            lines.append(f'"{j["title"].upper()}","{j["abbrev"].upper()[:20]}","PUBLISHER","{j["issn"]}",'
                         f'"{j["eissn"]}","{c}","SCIE","{1000 + i:,}","{j["jif"]}","Q1","1.2","12.5"%,')
    lines += ["", "Copyright (c) 2024 Clarivate", "By exporting the selected data, you agree to the Terms of Use."]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def scimago_csv(js: list[dict], path: Path) -> None:
    lines = ["Rank;Sourceid;Title;Type;Issn;SJR;SJR Best Quartile;H index;Total Docs. (2023);Cites / Doc. (2years)"]
    for i, j in enumerate(js):
        lines.append(f'{i + 1};{i + 7};"{j["title"]}";journal;"{j["eissn"].replace("-", "")}, '
                     f'{j["issn"].replace("-", "")}";1,2;Q1;50;100;{str(j["jif"] * 0.9).replace(".", ",")[:6]}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def records(n: int, js: list[dict], rng: random.Random) -> list[Record]:
    out = []
    for i in range(n):
        j = js[rng.randrange(len(js))]
        r = rng.random()
        kw = {"title": f"Study {i}", "year": 2020}
        if r < 0.55:
            kw.update(journal=j["title"], issn_print=j["issn"], nlm_id=j["nlm"])
        elif r < 0.70:
            kw.update(journal=j["title"].lower(), issn_electronic=j["eissn"])
        elif r < 0.75:
            kw.update(issn_linking=j["issn"])
        elif r < 0.80:
            kw.update(nlm_id=j["nlm"])
        elif r < 0.90:
            kw.update(journal=f"The {j['title'].lower()}" if i % 3 == 0 else j["title"])
        elif r < 0.95:
            kw.update(journal_abbrev=j["abbrev"])
        else:
            kw.update(journal=f"Unlisted Journal {i % 500}", issn_print=issn(5000000 + i % 500))
        out.append(Record(**kw))
    return out


def main(n_records: int = 100_000, n_journals: int = 20_000) -> None:
    rng = random.Random(1)
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        init_project(root / "protocols" / "car-t-2025.toml", db)
        js = journals(n_journals, rng)
        jcr, sci = Path(tmp) / "JCR_2023.csv", Path(tmp) / "scimagojr 2023.csv"
        jcr_csv(js, jcr)
        scimago_csv(js, sci)
        conn = open_db(db)
        t0 = time.perf_counter()
        res = import_metric_files(conn, [jcr, sci], actor="bench")
        t_import = time.perf_counter() - t0
        print(f"import: JCR {res[0].rows:,} rows -> {res[0].journals:,} journals, SCImago {res[1].rows:,} rows;"
              f" {t_import:.2f} s for both")
        recs = records(n_records, js, rng)
        with transaction(conn):
            sid = start_search(conn, kind="import", source="bench", actor="bench")
            store_records(conn, "bench", sid, recs)
            finish_search(conn, sid)
        times, cpu = [], []
        for _ in range(3):
            t0, c0 = time.perf_counter(), time.process_time()
            got = metrics_for_units(conn)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        s = summary(got)
        print(f"metrics_for_units: {len(got):,} records against {n_journals:,} journals: "
              f"{min(times):.2f} s wall, {min(cpu):.2f} s CPU (best of 3; wall "
              f"{', '.join(f'{t:.2f}' for t in times)}), goal < 5 s; load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} CPUs")
        print(f"matched {s['with_metric']:,}: " + ", ".join(f"{k} {v:,}" for k, v in s["matched_by"].items())
              + f"; without: " + ", ".join(f"{k} {v:,}" for k, v in s["without_metric"].items()))
        conn.close()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
