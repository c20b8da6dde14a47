"""A small protocol with a form of every field type (two reviewers, ANA and
BEN, and an adjudicator, CAL) and projects whose records both reviewers
included at both stages, shared by the extraction and TUI tests."""

from __future__ import annotations

from pathlib import Path

from tests.screening.helpers import FT, PROTOCOL, TA, new_project, run

FIELDS = """
[[fields]]
name = "n"
label = "Patients"
type = "int"
required = true

[[fields]]
name = "responders"
label = "Responders"
type = "int"

[[fields]]
name = "dr"
label = "Dead rate"
type = "percent"

[[fields]]
name = "age"
label = "Age"
type = "median_range"
unit = "years"

[[fields]]
name = "dose"
label = "Dose"
type = "float"
unit = "10^6 cells/kg"

[[fields]]
name = "cancer"
label = "Cancer"
type = "choice"
choices = ["myeloma", "leukemia", "lymphoma"]
required = true

[[fields]]
name = "randomised"
label = "Randomised"
type = "bool"

[[fields]]
name = "vector"
label = "Vector"
type = "text"

[[outcomes]]
name = "ORR"
events = "responders"
n = "n"

[[outcomes]]
name = "DR"
percent = "dr"
n = "n"
"""
PROTO = PROTOCOL + FIELDS
S1, S2 = "Zhang W 2000", "Zhang W 2001"


def included_project(tmp_path: Path, n: int = 2, protocol: str = PROTO) -> Path:
    """``n`` records (studies "Zhang W 2000", "Zhang W 2001", ...) included by ANA and BEN."""
    db = new_project(tmp_path, n=n, protocol=protocol)
    for stage in (TA, FT):
        for who in ("ANA", "BEN"):
            for r in range(1, n + 1):
                run(db, "decide", r, "include", "--stage", stage, user=who)
    return db
