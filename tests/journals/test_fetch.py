"""`review journals fetch` against a local OpenAlex: gaps filled by ISSN,
answers cached, faults retried, a network failure exits 3 storing nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from review.db import audit, open_db
from review.journals.match import metrics_for_units
from review.models import Record

from .conftest import DATA, add_records, dump, run

RECORDS = [
    Record(title="f1", journal="Frontiers in physiology", issn_print="1664-042X"),
    Record(title="f2", journal="J Magn Reson", issn_print="1090-7807"),
    Record(title="f3", journal="Social justice (San Francisco, Calif.)", issn_print="1043-1578"),
    Record(title="f4", journal="Biochimica et biophysica acta", issn_print="0006-3002"),
    Record(title="f5", journal="Occupational and environmental medicine", issn_electronic="1470-7926",
           issn_linking="1351-0711"),
    Record(title="f6", journal="Blood", issn_print="0006-4971"),
    Record(title="f7", journal="A journal nobody lists"),
    Record(title="f8", journal="Int Arch Allergy Immunol", issn_print="1018-2438"),
]


@pytest.fixture
def gaps(project):
    assert run(project, "journals", "import", DATA / "JCR_JournalResults_2023.csv").exit_code == 0
    ids = add_records(project, RECORDS)
    return project, ids


def asked(srv) -> set[str]:
    return {i for r in srv.log for i in r.params.get("filter", "issn:")[5:].split("|") if i}


def test_fetch_fills_gaps_by_issn(gaps, openalex):
    db, ids = gaps
    srv = openalex()
    res = run(db, "journals", "fetch", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    year = dt.datetime.now(dt.timezone.utc).year - 1
    assert (doc["gaps_before"], doc["no_issn"], doc["asked"], doc["requests"], doc["year"]) == (7, 1, 7, 1, year)
    assert doc["unknown"] == ["1351-0711", "1470-7926"]
    assert doc["ambiguous"] == 1  # 0006-3002 is listed by two OpenAlex sources with different figures
    assert (doc["journals"], doc["metrics"], doc["without_value"]) == (4, 4, 1)
    assert doc["gaps_after"] == 4
    [req] = srv.log
    assert req.path == "/sources" and req.params["mailto"] == "tests@example.org"
    assert "summary_stats" in req.params["select"].split(",") and req.params["per_page"] == "200"
    assert "0006-4971" not in asked(srv)  # Blood has a JIF: not asked
    conn = open_db(db)
    got = metrics_for_units(conn)
    fp = got[ids[0]]
    assert (fp.kind, fp.value, fp.year, fp.matched_by) == ("openalex_2yr_mean_citedness", 3.7182, year, "issn")
    assert fp.source == srv.url + "sources"
    assert got[ids[1]].value == 2.0531 and got[ids[7]].value == 2.6712
    assert got[ids[2]].reason == "no_value"  # OpenAlex's 0: not a figure
    assert got[ids[3]].reason == "unmatched" and got[ids[4]].reason == "unmatched"
    assert got[ids[5]].kind == "jif"
    [entry] = [e for e in audit.entries(conn) if e["action"] == "journals.fetch"]
    assert entry["details"]["asked"] == 7 and audit.verify(conn).ok


def test_a_second_fetch_asks_nothing_and_changes_nothing(gaps, openalex):
    db, _ = gaps
    srv = openalex()
    assert run(db, "journals", "fetch").exit_code == 0
    before, n = dump(db), len(srv.log)
    res = run(db, "journals", "fetch")
    assert res.exit_code == 0
    assert "asked OpenAlex for 0 ISSNs (0 requests, 0 retries); 4 answered from the cache" in res.output
    assert "OpenAlex does not know 2 ISSNs: 1351-0711, 1470-7926" in res.output
    assert len(srv.log) == n and dump(db) == before


def test_refresh_asks_again_and_keeps_history(gaps, openalex):
    db, ids = gaps
    srv = openalex()
    assert run(db, "journals", "fetch").exit_code == 0
    res = run(db, "journals", "fetch", "--refresh", "--json")
    assert res.exit_code == 0
    doc = json.loads(res.output)
    assert doc["asked"] == 7  # the gaps' 4 ISSNs again, and those filled from OpenAlex (3)
    assert asked(srv) >= {"1664-042X", "1090-7807", "1018-2438", "1470-7926"}
    conn = open_db(db)
    n = conn.execute("SELECT COUNT(*) FROM journal_metrics WHERE kind = 'openalex_2yr_mean_citedness'").fetchone()[0]
    assert n == 8 and len(conn.execute("SELECT id FROM journal_imports WHERE format = 'openalex'").fetchall()) == 2
    m = metrics_for_units(conn)[ids[0]]
    assert m.source == srv.url + "sources" and m.value == 3.7182


@pytest.mark.parametrize("faults", [["429"], ["500"], ["drop"], ["badjson"], ["429", "500", "drop"]])
def test_faults_are_retried(gaps, openalex, faults):
    db, ids = gaps
    srv = openalex()
    for f in faults:
        srv.fail(f, retry_after="0" if f == "429" else None)
    res = run(db, "journals", "fetch", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["retries"] == len(faults) and doc["metrics"] == 4
    assert [r.answer for r in srv.log] == [*faults, "200"]


def test_retry_after_is_honoured(gaps, openalex):
    db, _ = gaps
    srv = openalex(give_up=0.5)
    srv.fail("429", retry_after="1")  # waiting 1 s would pass the 0.5 s allowed: give up
    before = dump(db)
    res = run(db, "journals", "fetch")
    assert res.exit_code == 3 and "HTTP 429" in res.output
    assert dump(db) == before


def test_network_failure_exits_3_and_stores_nothing(gaps, openalex):
    db, _ = gaps
    srv = openalex(give_up=0.3)
    srv.fail("500", times=1000)
    before = dump(db)
    res = run(db, "journals", "fetch")
    assert res.exit_code == 3
    assert "OpenAlex" in res.output and "giving up" in res.output and "Nothing was stored" in res.output
    assert len(srv.log) >= 2 and dump(db) == before


def test_many_issns_are_asked_in_batches_and_pages(project, openalex, monkeypatch):
    issns = [f"{n:07d}" for n in range(1000000, 1000120)]
    issns = [f"{s[:4]}-{s[4:]}X" for s in issns]
    sources = [{"id": f"https://openalex.org/S{i}", "display_name": f"Journal {i}", "issn_l": s, "issn": [s],
                "summary_stats": {"2yr_mean_citedness": 1 + i / 100, "h_index": 3, "i10_index": 1}}
               for i, s in enumerate(issns)]
    add_records(project, [Record(title=f"t{i}", journal=f"Journal {i}", issn_print=s) for i, s in enumerate(issns)])
    import review.journals.openalex as oa

    monkeypatch.setattr(oa, "PER_PAGE", 20)
    srv = openalex(sources)
    res = run(project, "journals", "fetch", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["asked"] == 120 and doc["metrics"] == 120 and doc["gaps_after"] == 0
    batches = {r.params["filter"] for r in srv.log}
    assert len(batches) == 3 and all(len(b[5:].split("|")) <= 50 for b in batches)
    assert sorted(int(r.params["page"]) for r in srv.log if r.params["filter"] == min(batches)) == [1, 2, 3]


def test_an_unknown_filter_answer_is_a_network_error_not_a_retry(gaps, openalex, monkeypatch):
    """OpenAlex answers 403 to a query it refuses: reported at once (exit 3), not retried."""
    db, _ = gaps
    srv = openalex()
    import review.journals.openalex as oa

    monkeypatch.setattr(oa.OpenAlexClient, "sources_by_issn",
                        lambda self, issns: self._get("sources", {"filter": "issnx:" + "|".join(issns)}))
    res = run(db, "journals", "fetch")
    assert res.exit_code == 3 and "HTTP 403" in res.output and len(srv.log) == 1
