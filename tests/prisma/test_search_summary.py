"""The PRISMA-S search summary (items 1, 8, 9, 13, 15, 16) from a project with
a real PubMed search (a local E-utilities replay server on 127.0.0.1), a
MEDLINE export of PubMed that repeats two of its records, an Embase export, a
register, and a deduplication run; and the PRISMA counts of that project."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from review.db import open_db
from review.prisma.counts import compute
from review.prisma.search_summary import summarise
from review.project import project_protocol
from tests.prisma import scenario as sc

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sources"))
from replay_server import RECORDED_QUERY, ReplayServer  # noqa: E402


@pytest.fixture
def eutils(monkeypatch):
    srv = ReplayServer().start()
    for k, v in {"REVIEW_EUTILS_URL": srv.url, "REVIEW_EUTILS_RATE": "50", "REVIEW_EUTILS_GIVE_UP": "5",
                 "REVIEW_EUTILS_BACKOFF": "0.05", "REVIEW_EUTILS_TIMEOUT": "5", "NCBI_EMAIL": "t@example.org"}.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    yield srv
    srv.stop()


def medline(*records: dict) -> str:
    """A MEDLINE export (PubMed's .nbib) of records given as their stored fields."""
    out = []
    for r in records:
        authors = "".join(f"AU  - {a}\n" for a in json.loads(r["authors"]))
        out.append(f"PMID- {r['pmid']}\nTI  - {r['title']}\n{authors}DP  - {r['year']}\nTA  - {r['journal_abbrev']}\n"
                   f"JT  - {r['journal']}\nAB  - {r['abstract'] or 'Text.'}\n")
    return "\n".join(out)


@pytest.fixture
def project(tmp_path, eutils):
    db = tmp_path / "p.db"
    sc.cli(db, "init", sc.protocol_file(tmp_path))
    sc.cli(db, "search", "pubmed", "--query", RECORDED_QUERY, "--mindate", "1970/01/01", "--maxdate", "2020/12/31")
    conn = open_db(db)
    again = [dict(r) for r in conn.execute("SELECT * FROM records WHERE pmid IN ('27797938', '11748933')")]
    gut = again[0] if again[0]["pmid"] == "27797938" else again[1]
    conn.close()
    in_embase = dict(title=gut["title"], doi=gut["doi"], authors=tuple(json.loads(gut["authors"])),
                     year=gut["year"], journal=gut["journal"], volume=gut["volume"], sp="", ep="")
    new = dict(pmid="39999999", title="A new PubMed record on CAR-T cells", authors='["Sun L"]', year=2024,
               journal="Blood", journal_abbrev="Blood", abstract="")
    nbib = tmp_path / "pubmed_export.nbib"
    nbib.write_text(medline(*again, new), encoding="utf-8")
    sc.cli(db, "import", nbib)                                          # filed under 'PubMed'
    sc.import_ris(db, tmp_path, "embase.ris", "Embase", sc.A, sc.B, in_embase)   # one PubMed paper again
    sc.import_ris(db, tmp_path, "ctgov.ris", "ClinicalTrials.gov", sc.REG)
    return db


def flow_of(db):
    conn = open_db(db)
    try:
        return compute(conn, project_protocol(conn))
    finally:
        conn.close()


def test_the_search_summary_items(project):
    sc.cli(project, "dedup")
    conn = open_db(project)
    doc = summarise(conn, project_protocol(conn))
    conn.close()
    by = {s["name"]: s for s in doc["sources"]}
    assert list(by) == ["PubMed", "Embase", "ClinicalTrials.gov"]           # most records first
    pubmed = by["PubMed"]
    # item 1: name and platform; item 8: the query as run; item 9: its limits; item 13: when it ran
    assert pubmed["kind"] == "database" and "NCBI E-utilities" in pubmed["platform"]
    assert pubmed["strategies"] == [RECORDED_QUERY] and pubmed["strategy_from"] == "search log (as run)"
    assert pubmed["limits"] == ["publication date from 1970/01/01 to 2020/12/31"]
    assert pubmed["last_search"] and len(pubmed["imported"]) == 1
    # item 15: the search's 7 and the export's 3 records, of which 2 are the same PubMed records
    assert pubmed["records"] == 8
    assert [(e["kind"], e["found"], e["added"]) for e in pubmed["searches"]] == [("search", 7, 7), ("import", 3, 1)]
    assert [e["reported"] for e in pubmed["searches"]] == [7, 3]
    embase = by["Embase"]
    assert embase["records"] == 3 and embase["strategy_from"] == "not recorded"
    assert embase["platform"].startswith("not recorded by review")
    reg = by["ClinicalTrials.gov"]
    assert (reg["kind"], reg["strategies"], reg["strategy_from"], reg["searched"]) == (
        "register", ["CAR-T AND lymphoma"], "protocol", "2025-01-02")
    assert doc["records"] == 12
    # item 16: the process, the software and its version, what it did; the PubMed
    # export's two repeats are the same PubMed records (not counted twice), the
    # Embase copy of a PubMed paper is the one duplicate removed
    d = doc["deduplication"]
    assert d["software"].startswith("review ") and d["runs"] == 1
    assert (d["records_identified"], d["unique_records"], d["duplicates_removed"]) == (12, 11, 1)
    assert d["certain_pairs_last_run"] == 1                                 # the Embase copy
    items = doc["items"]
    assert set(items) == {"1", "8", "9", "13", "15", "16"}
    assert any(RECORDED_QUERY in x for x in items["8"])
    assert any("ClinicalTrials.gov (register)" in x for x in items["1"])
    assert items["15"][-1] == "Total: 12 records"
    assert "searched 2025-01-02 (protocol)" in " ".join(items["13"])


def test_a_pubmed_search_and_a_pubmed_export_share_their_records(project):
    """A PubMed search and a PubMed (MEDLINE) export file their records under one
    name, so the export's two repeats of searched records are the same records,
    linked to both, and PRISMA counts each once."""
    flow = flow_of(project)
    assert flow.database_results == {"PubMed": 8, "Embase": 3}
    assert flow.register_results == {"ClinicalTrials.gov": 1}
    assert (flow.records, flow.copies, flow.duplicates, flow.records_screened) == (12, 0, 0, 12)
    sc.cli(project, "dedup")                 # only the Embase copy of a PubMed paper is a duplicate
    flow = flow_of(project)
    assert flow.database_results == {"PubMed": 8, "Embase": 3}
    assert (flow.records, flow.identified, flow.duplicates, flow.records_screened) == (12, 12, 1, 11)
    assert flow.checks()[0].holds


def test_the_command_prints_the_summary(project):
    text = sc.cli(project, "prisma", "--search-summary").output
    for k in ("1", "8", "9", "13", "15", "16"):
        assert f"Item {k}." in text
    doc = json.loads(sc.cli(project, "prisma", "--search-summary", "--json").output)
    assert doc["records"] == 12 and doc["items"]["16"][-1] == "12 records identified, 12 unique: 0 duplicates removed."
