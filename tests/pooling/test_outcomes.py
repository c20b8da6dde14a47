"""Protocol outcomes from a study table: percent x n, events/n, missing values."""

from __future__ import annotations

import pytest

from review.errors import BadInput
from review.pooling.outcomes import find_outcome, outcome_data, read_study_table
from review.protocol import Outcome

ORR = Outcome(name="ORR", label="Objective response rate", n="n", percent="orr")
EVENTS = Outcome(name="AE", label="Adverse events", n="n", events="ae")


def test_percent_times_n_rounded_and_missing_studies_listed():
    rows = [
        {"study": "A", "n": "17", "orr": "71.00", "cancer": "myeloma"},
        {"study": "B", "n": "33", "orr": "NA", "cancer": "myeloma"},
        {"study": "C", "n": "23", "orr": "87%", "cancer": "leukemia"},
    ]
    d = outcome_data(ORR, rows, by="cancer")
    assert d.studies == ("A", "C")
    assert d.events == (12, 20)  # 71% of 17 = 12.07; 87% of 23 = 20.01
    assert d.n == (17, 23)
    assert d.groups == ("myeloma", "leukemia")
    assert d.left_out == (("B", "not reported"),)


def test_events_field_and_errors_name_the_study():
    d = outcome_data(EVENTS, [{"study": "A", "n": 10, "ae": 3}])
    assert (d.events, d.n) == ((3,), (10,))
    with pytest.raises(BadInput, match="study 'X'.*not a number"):
        outcome_data(EVENTS, [{"study": "X", "n": "ten", "ae": "3"}], where="t.tsv")
    with pytest.raises(BadInput, match="study 'Y'.*positive whole number"):
        outcome_data(EVENTS, [{"study": "Y", "n": "2.5", "ae": "1"}])
    with pytest.raises(BadInput, match="subgroup field 'cancer'"):
        outcome_data(EVENTS, [{"study": "Z", "n": "5", "ae": "1"}], by="cancer")


def test_seed_table_and_protocol_outcomes(tmp_path):
    from pathlib import Path

    from review.protocol import load_protocol

    root = Path(__file__).resolve().parents[2]
    protocol = load_protocol(root / "protocols" / "car-t-2025.toml")
    rows = read_study_table(root / "tests" / "data" / "seed_studies.tsv")
    assert len(rows) == 32
    d = outcome_data(find_outcome(protocol, "dr"), rows)
    assert (len(d.studies), sum(d.events), sum(d.n)) == (27, 206, 868)
    with pytest.raises(BadInput, match="no outcome 'PFS'"):
        find_outcome(protocol, "PFS")
