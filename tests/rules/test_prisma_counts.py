"""What the rules report is what PRISMA 2020 counts before screening
(review/prisma/counts.py reads the rule events): each excluded unit once,
under the box its rule's ``prisma`` setting names."""

from __future__ import annotations

import json

from review.db import open_db
from review.prisma.counts import compute
from review.project import project_protocol
from tests.rules.helpers import DATA, build, record_id, run, run_json


def _flow(db):
    conn = open_db(db)
    try:
        return compute(conn, project_protocol(conn))
    finally:
        conn.close()


def _check(db, doc):
    flow = _flow(db)
    assert flow.excluded_automatic == doc["prisma"]["automatic"]
    assert flow.excluded_other == doc["prisma"]["other"]
    assert flow.excluded_automatic + flow.excluded_other == sum(doc["excluded"].values())
    first = flow.checks()[0]
    assert first.holds, first
    assert flow.records_screened == doc["units"] - sum(doc["excluded"].values())
    by_box = {}
    for u, box in flow.box_of_unit.items():
        by_box[box] = by_box.get(box, 0) + 1
    assert by_box.get("automatic", 0) == doc["prisma"]["automatic"]
    assert by_box.get("other", 0) == doc["prisma"]["other"]
    return flow


def test_prisma_counts_equal_the_rules_report(tmp_path):
    db = build(tmp_path, replace={"humans_only = true": 'humans_only = true\nprisma_other = ["language", "date_window"]'})
    dry = run_json(db, "rules", "--dry-run")
    assert _flow(db).excluded_automatic == 0                          # nothing written yet
    doc = run_json(db, "rules")
    assert doc["prisma"] == {"automatic": 14, "other": 2} == dry["prisma"]
    flow = _check(db, doc)
    assert flow.records_screened == 27 - 16 and flow.duplicates == 3

    # an adjudicator overrules one exclusion; a reviewer's decision stops another from being made
    run(db, "resolve", record_id(db, "Neurologic events"), "include", "--stage", "title_abstract", user="CAL")
    run(db, "journals", "import", DATA / "metrics_2024.csv", "--kind", "jif")
    run(db, "decide", record_id(db, "Outcomes of axicabtagene"), "maybe", "--stage", "title_abstract", user="BEN")
    doc = run_json(db, "rules")
    assert doc["overruled"] == {"publication_type": 1}
    assert doc["flagged"]["decided by a person: min_impact_factor"] == 1
    _check(db, doc)
    text = run(db, "prisma", "--json").stdout
    p = json.loads(text)
    assert p["excluded_automatic"] + p["excluded_other"] == sum(doc["excluded"].values())
