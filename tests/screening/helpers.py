"""Shared helpers for the screening tests: a small protocol with two
reviewers and an adjudicator, projects filled by real imports, the CLI run
as a given person, and a full dump of a database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from review.cli import main
from tests.sources.import_helpers import dump  # noqa: F401  (re-exported for the screening tests)

TA, FT = "title_abstract", "full_text"
MARK_REASON = "MARKER-REASON-7Q"

PROTOCOL = f"""
id = "blind-test"
title = "Screening tests"

[people]
reviewers = ["ANA", "BEN"]
adjudicators = ["CAL"]

[screening]
exclusion_reasons = ["{MARK_REASON}", "wrong population", "not a clinical study"]
"""


def write_protocol(tmp_path: Path, text: str = PROTOCOL) -> Path:
    p = tmp_path / "protocol.toml"
    p.write_text(text, encoding="utf-8")
    return p


def ris(n: int, start: int = 0, title: str = "Trial {i} of CAR-T cells in lymphoma",
        abstract: str = "Patients {i} received lentiviral CD19 CAR-T cells.") -> str:
    out = []
    for i in range(start, start + n):
        out += ["TY  - JOUR", f"TI  - {title.format(i=i)}", "AU  - Zhang, Wei", f"AU  - Author{i}, A",
                f"PY  - {2000 + i % 25}", "JO  - Blood", f"VL  - {i}", f"SP  - {i * 10}",
                f"DO  - 10.1000/test.{i}", f"AB  - {abstract.format(i=i)}", "ER  - ", ""]
    return "\n".join(out)


def run(db: Path, *args, user: str | None = "ANA", ok: bool = True, cwd: Path | None = None) -> Result:
    """Run the CLI on ``db`` as ``user``; ``ok``: expect exit 0."""
    env = {"REVIEW_USER": user} if user else {}
    r = CliRunner().invoke(main, ["--db", str(db), *map(str, args)], env=env)
    if ok:
        assert r.exit_code == 0, (args, r.output, r.exception)
    return r


def run_json(db: Path, *args, user: str | None = "ANA"):
    r = run(db, *args, "--json", user=user)
    return json.loads(r.stdout)


def new_project(tmp_path: Path, n: int = 10, protocol: str = PROTOCOL) -> Path:
    """A project with ``n`` imported records (ids 1..n, one unit each)."""
    db = tmp_path / "p.db"
    run(db, "init", write_protocol(tmp_path, protocol))
    if n:
        f = tmp_path / "records.ris"
        f.write_text(ris(n), encoding="utf-8")
        run(db, "import", f, "--source", "Embase")
    return db
