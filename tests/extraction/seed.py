"""The seed review as a project whose 32 included studies are real included
records: the seed protocol, a RIS file of the 32 reports written from the
seed paper's reference list (tests/data/extraction/seed_included.ris), both
reviewers including every record at title/abstract and full text through
review.screening.decisions.decide; and the seed's extraction table
(tests/data/seed_studies.tsv) with each study's DOI, as a reviewer's table."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from click.testing import CliRunner, Result

from review.cli import main
from review.db import open_db
from review.demo import demo_data
from review.project import project_protocol
from review.screening.decisions import decide

DATA = Path(__file__).resolve().parents[1] / "data"
SEED_TSV = DATA / "seed_studies.tsv"
SEED_RIS = DATA / "extraction" / "seed_included.ris"
REVIEWERS, ADJUDICATOR = ("QZ", "XJZ"), "JM"
COLUMNS = ["study", "doi", "n", "vector", "age_median", "age_range", "phase", "female", "male", "tumor",
           "cancer", "country", "orr", "crr", "dr", "cy", "ne", "an", "th", "g3", "neu"]


def cli(db: Path, *args, user: str | None = None, ok: bool = True, **kw) -> Result:
    env = {"REVIEW_USER": user} if user else {}
    r = CliRunner().invoke(main, ["--db", str(db), *map(str, args)], env=env, **kw)
    if ok:
        assert r.exit_code == 0, (args, r.output, r.exception)
    return r


def cli_json(db: Path, *args, user: str | None = None):
    return json.loads(cli(db, *args, "--json", user=user).stdout)


def seed_dois() -> dict[str, str]:
    """seed reference number -> DOI, from the RIS file."""
    out, doi = {}, None
    for line in SEED_RIS.read_text(encoding="utf-8").splitlines():
        if line.startswith("DO  - "):
            doi = line[6:].strip()
        m = re.match(r"N1  - seed reference (\d+)", line)
        if m:
            out[m.group(1)] = doi
    return out


def seed_rows() -> list[dict[str, str]]:
    """The seed's 32 studies as a reviewer's extraction table (with DOIs)."""
    dois = seed_dois()
    with SEED_TSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for r in rows:
        r["doi"] = dois[r["ref"]]
    return rows


def write_table(path: Path, rows: list[dict], columns: list[str] = COLUMNS) -> Path:
    """Write rows as CSV, TSV or XLSX (by suffix) with pandas, every cell as text."""
    import pandas as pd

    df = pd.DataFrame([[r.get(c, "") for c in columns] for r in rows], columns=columns, dtype=str)
    if path.suffix == ".xlsx":
        df.to_excel(path, index=False)
    else:
        df.to_csv(path, index=False, sep="\t" if path.suffix == ".tsv" else ",")
    return path


def seed_project(tmp_path: Path, n: int | None = None) -> Path:
    """A project of the seed protocol with the 32 reports (or the first n) included by both reviewers."""
    db = tmp_path / "seed.db"
    proto = tmp_path / "car-t-2025.toml"
    proto.write_text(demo_data("car-t-2025.toml").read_text(encoding="utf-8"), encoding="utf-8")
    cli(db, "init", proto)
    ris = tmp_path / "included.ris"
    text = SEED_RIS.read_text(encoding="utf-8")
    if n is not None:
        text = "\n\n".join(text.split("\n\n")[:n]) + "\n"
    ris.write_text(text, encoding="utf-8")
    cli(db, "import", ris, "--source", "PubMed")
    conn = open_db(db)
    try:
        protocol = project_protocol(conn)
        ids = [r[0] for r in conn.execute("SELECT id FROM records ORDER BY id")]
        for stage in ("title_abstract", "full_text"):
            for who in REVIEWERS:
                for rid in ids:
                    decide(conn, protocol, rid, "include", reviewer=who, stage=stage)
    finally:
        conn.close()
    return db
