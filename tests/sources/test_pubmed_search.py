"""`review search pubmed` against a real HTTP server on 127.0.0.1 (replay_server)."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3

import pytest
from click.testing import CliRunner
from replay_server import RECORDED_QUERY, Synthetic

from review.cli import main
from review.db import open_db
from review.sources.eutils import EutilsClient
from review.sources.pubmed import run_search

RECORDED_PMIDS = {"12091962", "9997", "11748933", "11700088", "27797938", "28775130", "30108519"}


def cli(db, *args):
    res = CliRunner().invoke(main, ["--db", str(db), "search", "pubmed", *args])
    return res


def snapshot(db) -> tuple:
    conn = sqlite3.connect(db)
    try:
        recs = conn.execute("SELECT * FROM records ORDER BY id").fetchall()
        links = conn.execute("SELECT * FROM record_searches ORDER BY record_id, search_id").fetchall()
        return recs, links
    finally:
        conn.close()


def searches(db) -> list[dict]:
    conn = open_db(db)
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM searches ORDER BY id")]
    finally:
        conn.close()


def test_recorded_search_stores_every_field_and_logs_the_search(eutils, project):
    srv = eutils()
    res = cli(project, "--query", RECORDED_QUERY, "--mindate", "1970/01/01", "--maxdate", "2020/12/31", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["count_reported"] == 7 and doc["count_fetched"] == 7 and doc["added"] == 7
    conn = open_db(project)
    rows = {r["pmid"]: dict(r) for r in conn.execute("SELECT * FROM records")}
    assert set(rows) == RECORDED_PMIDS
    gut = rows["27797938"]
    assert (gut["doi"], gut["issn_electronic"], gut["issn_linking"], gut["nlm_id"]) == (
        "10.1136/gutjnl-2016-312510", "1468-3288", "0017-5749", "2985108R")
    assert json.loads(gut["authors"])[0] == "Bao Y" and gut["year"] == 2017
    (s,) = searches(project)
    assert (s["kind"], s["source"], s["query"], s["status"]) == ("search", "PubMed", RECORDED_QUERY, "complete")
    assert (s["mindate"], s["maxdate"], s["count_reported"], s["count_found"], s["count_added"]) == (
        "1970/01/01", "2020/12/31", 7, 7, 7)
    assert s["tool_version"] and json.loads(s["details"])["windows"] == [
        {"mindate": "1970/01/01", "maxdate": "2020/12/31", "count": 7}]
    # staging is emptied once the records are stored
    assert conn.execute("SELECT COUNT(*) FROM search_staged").fetchone()[0] == 0
    # tool and email went with every request; history used for the fetch
    assert all(r.params.get("tool") == "review" and r.params.get("email") == "tests@example.org" for r in srv.log)
    es = [r for r in srv.log if r.endpoint == "esearch.fcgi"]
    assert es[0].params["usehistory"] == "y" and es[0].params["mindate"] == "1970/01/01"
    assert any("WebEnv" in r.params for r in srv.log if r.endpoint == "efetch.fcgi")
    conn.close()

    again = cli(project, "--query", RECORDED_QUERY, "--mindate", "1970/01/01", "--maxdate", "2020/12/31")
    assert again.exit_code == 0, again.output
    assert "added 0, already stored 7" in again.stdout
    assert open_db(project).execute("SELECT COUNT(*) FROM records").fetchone()[0] == 7


def test_protocol_query_is_the_default(eutils, project):
    srv = eutils()
    res = cli(project)
    assert res.exit_code == 0, res.output
    es = srv.log[0]
    assert es.params["term"].startswith('("CAR-T"[tiab]')
    assert (es.params["mindate"], es.params["maxdate"]) == ("1900/01/01", "2025/01/01")
    assert "0 hits" in res.stdout


@pytest.mark.parametrize("kind", ["429", "500", "truncate", "badxml", "drop"])
def test_each_fault_is_retried(eutils, project, kind):
    srv = eutils()
    srv.fail(kind, "efetch.fcgi", times=2)
    res = cli(project, "--query", RECORDED_QUERY, "--mindate", "1970/01/01", "--maxdate", "2020/12/31")
    assert res.exit_code == 0, res.output
    answers = [r.answer for r in srv.log if r.endpoint == "efetch.fcgi"]
    assert answers == [kind, kind, "200"]
    assert "2 retries" in res.stdout
    assert open_db(project).execute("SELECT COUNT(*) FROM records").fetchone()[0] == 7


def test_a_transient_service_error_is_retried(eutils, project):
    srv = eutils()
    srv.fail("error", "esearch.fcgi", times=1)
    res = cli(project, "--query", RECORDED_QUERY)
    assert res.exit_code == 0, res.output
    assert [r.answer for r in srv.log[:2]] == ["error", "200"]


def test_a_refused_query_fails_fast_as_bad_input(eutils, project):
    srv = eutils(give_up=60.0)
    before = snapshot(project)
    srv.fail("error", "esearch.fcgi", times=100)
    res = cli(project, "--query", "bad[[query")
    assert res.exit_code == 2, res.output
    assert "PubMed refused the request 3 times" in res.stderr and "bad[[query" in res.stderr
    assert len(srv.log) == 3
    assert snapshot(project) == before


def test_retry_after_is_honoured(eutils, project):
    srv = eutils()
    srv.fail("429", "esearch.fcgi", times=1, retry_after="1")
    res = cli(project, "--query", RECORDED_QUERY)
    assert res.exit_code == 0, res.output
    first, second = srv.log[0], srv.log[1]
    assert first.answer == "429" and second.answer == "200"
    assert second.t - first.t >= 0.95


def test_persistent_failure_exits_3_and_leaves_records_unchanged(eutils, project):
    srv = eutils(give_up=0.5)
    assert cli(project, "--query", RECORDED_QUERY, "--max", "2").exit_code == 0
    before = snapshot(project)
    srv.fail("500", "efetch.fcgi", times=10_000)
    res = cli(project, "--query", RECORDED_QUERY, "--mindate", "1970/01/01", "--maxdate", "2020/12/31")
    assert res.exit_code == 3
    assert "review: error: PubMed E-utilities" in res.stderr and "giving up" in res.stderr
    assert "HTTP 500" in res.stderr
    assert snapshot(project) == before
    assert searches(project)[-1]["status"] == "failed"
    tries = [r for r in srv.log if r.endpoint == "efetch.fcgi" and r.answer == "500"]
    assert len(tries) >= 2


def test_resume_fetches_only_what_is_missing(eutils, project, monkeypatch):
    import review.sources.pubmed as pubmed

    monkeypatch.setattr(pubmed, "BATCH_SIZE", 100)
    srv = eutils(Synthetic(1000), give_up=0.3)
    # let three efetch batches through, then fail every request
    calls = {"n": 0}
    real = srv.state.efetch

    def flaky(p):
        calls["n"] += 1
        if calls["n"] > 3:  # answer this one with a cut-off body, then 500s
            srv.fail("500", None, times=10_000)
            return b"<PubmedArticleSet><PubmedArticle>"
        return real(p)

    srv.state.efetch = flaky
    args = ("--query", "synthetic", "--mindate", "2000/01/01", "--maxdate", "2019/12/31")
    res = cli(project, *args)
    assert res.exit_code == 3, res.output
    assert snapshot(project) == ([], [])
    assert searches(project)[0]["status"] == "failed"

    srv.state.faults.clear()
    srv.state.efetch = real
    n_before = len(srv.log)
    res = cli(project, *args, "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["resumed"] is True and doc["added"] == 1000 and doc["count_reported"] == 1000
    new = srv.log[n_before:]
    assert not [r for r in new if r.endpoint == "esearch.fcgi"]  # the window was already listed
    fetched = [i for r in new if r.endpoint == "efetch.fcgi" for i in r.params["id"].split(",")]
    assert len(fetched) == 700 and len(set(fetched)) == 700
    assert not set(fetched) & {str(i) for i in range(1, 301)}
    conn = open_db(project)
    assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT pmid) FROM records").fetchone()[:] == (1000, 1000)
    assert [s["status"] for s in searches(project)] == ["complete"]


def test_explicit_resume_needs_an_unfinished_search(eutils, project):
    eutils()
    res = cli(project, "--query", RECORDED_QUERY, "--resume")
    assert res.exit_code == 2 and "no unfinished PubMed search" in res.stderr


def test_25000_hits_are_split_by_date_and_stored_once(eutils, tmp_path):
    srv = eutils(Synthetic(25_000), rate=30, rate_limit=30)
    conn = open_db(tmp_path / "big.db", create=True)
    out = run_search(conn, EutilsClient(), query="synthetic", mindate="2000/01/01", maxdate="2019/12/31")
    assert out.count_reported == 25_000 and out.added == 25_000
    assert len(out.windows) >= 3 and all(w["count"] <= 9999 for w in out.windows)
    assert sum(w["count"] for w in out.windows) == 25_000
    got = conn.execute("SELECT COUNT(*), COUNT(DISTINCT pmid), MIN(CAST(pmid AS INT)),"
                       " MAX(CAST(pmid AS INT)) FROM records").fetchone()[:]
    assert got == (25_000, 25_000, 1, 25_000)
    assert srv.max_in_any_second() <= 30
    assert not [r for r in srv.log if r.answer == "429-enforced"]


def test_three_requests_per_second_without_a_key(eutils, project, monkeypatch):
    import review.sources.pubmed as pubmed

    monkeypatch.setattr(pubmed, "BATCH_SIZE", 2)
    srv = eutils(rate_limit=3)
    monkeypatch.delenv("REVIEW_EUTILS_RATE")
    res = cli(project, "--query", RECORDED_QUERY, "--mindate", "1970/01/01", "--maxdate", "2020/12/31")
    assert res.exit_code == 0, res.output
    assert len(srv.log) == 5  # 1 esearch + 4 efetch batches of 2
    assert srv.max_in_any_second() <= 3
    assert not [r for r in srv.log if r.answer == "429-enforced"]


def test_a_single_day_with_too_many_hits_is_reported(eutils, project):
    srv = eutils(Synthetic(100, day_burst=(dt.date(2010, 6, 1), 10_000)))
    res = cli(project, "--query", "synthetic", "--mindate", "2000/01/01", "--maxdate", "2019/12/31")
    assert res.exit_code == 1, res.output
    m = re.search(r"PubMed reports (\d+) hits for the single day 2010/06/01", res.stderr)
    assert m and int(m.group(1)) >= 10_000 and "narrow the query" in res.stderr
    assert snapshot(project) == ([], [])
    assert not [r for r in srv.log if r.endpoint == "efetch.fcgi"]


def test_bad_dates_are_bad_input(eutils, project):
    eutils()
    res = cli(project, "--query", "x", "--mindate", "2020/13/01")
    assert res.exit_code == 2 and "--mindate" in res.stderr
    res = cli(project, "--query", "x", "--mindate", "2021/01/01", "--maxdate", "2020/01/01")
    assert res.exit_code == 2 and "after maxdate" in res.stderr


def test_api_key_is_sent_and_raises_the_default_rate(eutils, project, monkeypatch):
    srv = eutils()
    monkeypatch.delenv("REVIEW_EUTILS_RATE")
    monkeypatch.setenv("NCBI_API_KEY", "secret-key")
    client = EutilsClient()
    assert client.limiter.rate == 10
    conn = open_db(project)
    run_search(conn, client, query=RECORDED_QUERY)
    assert srv.log and all(r.params.get("api_key") == "secret-key" for r in srv.log)


def test_interrupt_marks_the_search_and_keeps_records_unchanged(eutils, project, monkeypatch):
    import review.sources.pubmed as pubmed

    monkeypatch.setattr(pubmed, "BATCH_SIZE", 2)
    eutils()
    client = EutilsClient()
    real = client.efetch_history
    seen = []

    def interrupted(*a):
        if seen:
            raise KeyboardInterrupt
        seen.append(a)
        return real(*a)

    client.efetch_history = interrupted
    conn = open_db(project)
    with pytest.raises(KeyboardInterrupt):
        run_search(conn, client, query=RECORDED_QUERY)
    assert searches(project)[0]["status"] == "interrupted"
    assert snapshot(project) == ([], [])
    assert conn.execute("SELECT COUNT(*) FROM search_staged").fetchone()[0] == 2
    out = run_search(conn, EutilsClient(), query=RECORDED_QUERY)
    assert out.resumed and out.added == 7 and out.requests == 3  # 5 missing PMIDs, batches of 2
