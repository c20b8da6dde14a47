"""PRISMA 2020 counts from the project, checked after every stage of a review
built for real (tests/prisma/scenario.py): every record is counted exactly
once, the PRISMA identities hold (with what is pending accounted for, and
exactly once nothing is pending), the numbers are those the stage must give,
and `review prisma --json` prints the same."""

from __future__ import annotations

import json
from collections import Counter

from review.db import units
from review.project import project_protocol
from review.prisma.counts import KEYS, compute
from tests.prisma import scenario as sc
from tests.prisma.scenario import INCOMPLETE, NO_ORR, NOT_MALIGNANT, NOT_VECTOR

EMPTY = {"database_results": {}, "register_results": {}, "duplicates": 0, "excluded_automatic": 0,
         "excluded_other": 0, "records_screened": 0, "records_excluded": 0, "dbr_sought_reports": 0,
         "dbr_notretrieved_reports": 0, "dbr_assessed": 0, "dbr_excluded": {}, "new_studies": 0,
         "new_reports": 0}
ALL_SOURCES = {"database_results": {"Embase": 7, "Scopus": 4}, "register_results": {"ClinicalTrials.gov": 1}}
REASONS = {NOT_MALIGNANT: 1, NOT_VECTOR: 1, NO_ORR: 1}

# stage -> (expected counts that differ from EMPTY, units pending at title/abstract, at full text)
EXPECTED = {
    "first import": (dict(database_results={"Embase": 6}, records_screened=6), 6, 0),
    "all imports": (dict(ALL_SOURCES, records_screened=12), 12, 0),
    "screened before dedup": (dict(ALL_SOURCES, records_screened=12, dbr_sought_reports=3), 9, 3),
    "dedup": (dict(ALL_SOURCES, duplicates=2, records_screened=10, dbr_sought_reports=1), 9, 1),
    "rules": (dict(ALL_SOURCES, duplicates=2, excluded_automatic=2, excluded_other=1, records_screened=7,
                   dbr_sought_reports=1), 6, 1),
    "rule overruled": (dict(ALL_SOURCES, duplicates=2, excluded_automatic=1, excluded_other=1,
                            records_screened=8, dbr_sought_reports=2), 6, 2),
    "title/abstract with a conflict": (dict(ALL_SOURCES, duplicates=2, excluded_automatic=1, excluded_other=1,
                                            records_screened=8, records_excluded=1, dbr_sought_reports=6), 1, 6),
    "title/abstract done": (dict(ALL_SOURCES, duplicates=2, excluded_automatic=1, excluded_other=1,
                                 records_screened=8, records_excluded=1, dbr_sought_reports=7), 0, 7),
    "split": (dict(ALL_SOURCES, duplicates=1, excluded_automatic=1, excluded_other=1, records_screened=9,
                   records_excluded=1, dbr_sought_reports=8), 0, 8),
    "full text": (dict(ALL_SOURCES, duplicates=1, excluded_automatic=1, excluded_other=1, records_screened=9,
                       records_excluded=1, dbr_sought_reports=8, dbr_notretrieved_reports=1, dbr_assessed=7,
                       dbr_excluded=REASONS, new_studies=2, new_reports=4), 0, 0),
    "re-merged": (dict(ALL_SOURCES, duplicates=2, excluded_automatic=1, excluded_other=1, records_screened=8,
                       records_excluded=1, dbr_sought_reports=7, dbr_notretrieved_reports=1, dbr_assessed=6,
                       dbr_excluded=REASONS, new_studies=2, new_reports=3), 0, 0),
}


def check_every_record_counted_once(conn, flow) -> None:
    """Each record is identified once (or is a second copy of one database's
    record); each active unit ends in exactly one box; each box's count is the
    number of units in it; duplicates are the records beyond one per unit."""
    records = conn.execute("SELECT COUNT(*) FROM records").fetchone()[0]
    membership = units.membership(conn)
    assert len(membership) == records == flow.records
    assert flow.identified == records - flow.copies
    active = units.active_units(conn)
    assert set(flow.box_of_unit) == set(active)                      # every unit in one box, no other
    assert sum(flow.unit_size.values()) == records
    assert flow.duplicates == flow.identified - len(active)
    boxes = Counter(b if not b.startswith("excluded: ") else "excluded" for b in flow.box_of_unit.values())
    assert boxes["automatic"] == flow.excluded_automatic
    assert boxes["other"] == flow.excluded_other
    assert boxes["records_excluded"] == flow.records_excluded
    assert boxes["not_retrieved"] == flow.dbr_notretrieved_reports
    assert boxes["excluded"] == sum(flow.dbr_excluded.values())
    assert boxes["included"] == flow.new_reports
    assert boxes["pending_title_abstract"] == flow.pending["title_abstract"]["units"]
    assert boxes["pending_full_text"] == flow.pending["full_text"]["units"]
    reasons = Counter(b[len("excluded: "):] for b in flow.box_of_unit.values() if b.startswith("excluded: "))
    assert reasons == Counter(flow.dbr_excluded)


def check_identities(flow) -> None:
    """The PRISMA identities, with the pending units in their place; exact when nothing is pending."""
    ta, ft = flow.pending["title_abstract"]["units"], flow.pending["full_text"]["units"]
    assert flow.records_screened == (flow.identified - flow.duplicates - flow.excluded_automatic
                                     - flow.excluded_other)
    assert flow.dbr_sought_reports == flow.records_screened - flow.records_excluded - ta
    assert flow.dbr_assessed == flow.dbr_sought_reports - flow.dbr_notretrieved_reports - ft
    assert sum(flow.dbr_excluded.values()) == flow.dbr_assessed - flow.new_reports
    assert flow.new_studies <= flow.new_reports
    checks = flow.checks()
    assert [c.holds for c in checks] == [True, ta == 0, ft == 0, True]
    assert all(c.accounted for c in checks)


def test_counts_after_each_stage_of_a_review(tmp_path):
    seen = []

    def at_stage(name: str, conn) -> None:
        flow = compute(conn, project_protocol(conn))
        expected, ta, ft = EXPECTED[name]
        assert {k: getattr(flow, k) for k in KEYS} == {**EMPTY, **expected}, name
        assert (flow.pending["title_abstract"]["units"], flow.pending["full_text"]["units"]) == (ta, ft), name
        check_every_record_counted_once(conn, flow)
        check_identities(flow)
        # the command prints the same document
        out = json.loads(sc.cli(conn_path(conn), "prisma", "--json").output)
        assert out == json.loads(json.dumps(flow.to_json())), name
        seen.append(name)

    sc.build(tmp_path, at_stage)
    assert seen == list(EXPECTED)


def conn_path(conn) -> str:
    return conn.execute("PRAGMA database_list").fetchone()["file"]


def test_pending_units_are_listed_and_the_notes_say_why_identities_differ(tmp_path):
    states = {}

    def at_stage(name, conn):
        if name == "title/abstract with a conflict":
            states["flow"] = compute(conn, project_protocol(conn))
            states["j"] = sc.rid(conn, sc.J["title"])

    sc.build(tmp_path, at_stage)
    flow = states["flow"]
    assert flow.pending["title_abstract"] == {"units": 1, "undecided": 0, "conflict": 1, "records": [states["j"]]}
    assert flow.pending["full_text"]["undecided"] == 6
    assert "7 units are still pending or in conflict" in flow.notes[0]
    assert "hold only when nothing is pending" in flow.notes[0]


def test_finished_review_notes_the_different_reasons_and_the_study_with_two_reports(tmp_path):
    db = sc.build(tmp_path)
    from review.db import open_db

    conn = open_db(db)
    flow = compute(conn, project_protocol(conn))
    j = sc.rid(conn, sc.J["title"])
    conn.close()
    assert flow.notes[0] == "nothing is pending: the PRISMA identities hold"
    differing = [n for n in flow.notes if "different reasons" in n]
    assert len(differing) == 1 and f"record {j} " in differing[0]
    assert f"QZ: {INCOMPLETE}" in differing[0] and f"XJZ: {NOT_VECTOR}" in differing[0]
    assert f"counted under {NOT_VECTOR!r}" in differing[0]
    # the CD19 trial (two merged copies, links inherited through the re-merge) and the
    # lymphoma trial with its follow-up report: 2 studies, 3 reports
    assert (flow.new_studies, flow.new_reports) == (2, 3)
    assert list(flow.dbr_excluded) == [NOT_MALIGNANT, NOT_VECTOR, NO_ORR]   # the protocol's order
