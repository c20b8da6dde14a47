"""Issue 15: a re-run of a completed PubMed search fetches only PMIDs not yet
stored, and a search retrying an unreachable NCBI says what it waits for."""

from __future__ import annotations

import json
import re
import sqlite3

from click.testing import CliRunner
from replay_server import Synthetic

from review.cli import main

ARGS = ("--query", "synthetic", "--mindate", "2000/01/01", "--maxdate", "2019/12/31")


def cli(db, *args):
    return CliRunner().invoke(main, ["--db", str(db), "search", "pubmed", *args])


def test_rerun_of_a_completed_search_fetches_nothing_already_stored(eutils, project):
    srv = eutils(Synthetic(1200))
    first = cli(project, *ARGS, "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["added"] == 1200
    fetched_first = [r for r in srv.log if r.endpoint == "efetch.fcgi"]
    assert fetched_first  # the first run fetched them
    n = len(srv.log)

    again = cli(project, *ARGS, "--json")
    assert again.exit_code == 0, again.output
    doc = json.loads(again.stdout)
    new = srv.log[n:]
    assert [r.endpoint for r in new] == ["esearch.fcgi"]  # the hit list only: no efetch at all
    assert doc["added"] == 0 and doc["already_present"] == 1200 and doc["not_refetched"] == 1200
    conn = sqlite3.connect(project)
    assert conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 1200
    # every record is linked to both searches (PRISMA counts what each search found)
    assert conn.execute("SELECT COUNT(*) FROM record_searches").fetchone()[0] == 2400
    assert conn.execute("SELECT count_found FROM searches ORDER BY id DESC LIMIT 1").fetchone()[0] == 1200


def test_rerun_after_new_hits_fetches_only_the_new_pmids(eutils, project):
    srv = eutils(Synthetic(500))
    assert cli(project, *ARGS).exit_code == 0
    srv.state.synthetic = Synthetic(650)  # 150 new records appeared in PubMed
    n = len(srv.log)
    res = cli(project, *ARGS, "--json")
    assert res.exit_code == 0, res.output
    fetched = [i for r in srv.log[n:] if r.endpoint == "efetch.fcgi"
               for i in (r.params.get("id") or "").split(",") if i]
    history = [r for r in srv.log[n:] if r.endpoint == "efetch.fcgi" and not r.params.get("id")]
    assert not history  # part of the window is stored: fetched by PMID list, not the whole window
    stored_before = {str(i) for i in range(1, 651)} - set(fetched)
    assert len(fetched) == len(set(fetched)) and len(stored_before) == 650 - len(fetched)
    doc = json.loads(res.stdout)
    assert doc["added"] == len(fetched) and doc["added"] + doc["not_refetched"] == 650


def test_each_retry_prints_what_it_waits_for_and_when_it_gives_up(eutils, project):
    srv = eutils(give_up=5)
    srv.fail("500", "esearch.fcgi", times=2)
    res = CliRunner().invoke(main, ["--db", str(project), "search", "pubmed", "--query", "recorded[all]"])
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.stderr.splitlines() if "try" in ln and "failed" in ln]
    assert len(lines) == 2
    pattern = (r"PubMed esearch try (\d) failed \(HTTP 500 .*\); next try at \d\d:\d\d:\d\d \(in \d+ s\);"
               r" giving up at \d\d:\d\d:\d\d if it keeps failing")
    assert [re.search(pattern, ln).group(1) for ln in lines] == ["1", "2"]
