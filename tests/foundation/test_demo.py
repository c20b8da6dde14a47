"""`review demo` builds the worked example offline, from the bundled data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_bundled_protocol_is_the_projects_protocol():
    bundled = ROOT / "review" / "demo_data" / "car-t-2025.toml"
    assert bundled.read_bytes() == (ROOT / "protocols" / "car-t-2025.toml").read_bytes()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo, built once for this module's tests."""
    target = tmp_path_factory.mktemp("demo") / "demo"
    result = CliRunner().invoke(main, ["demo", "--dir", str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_demo_builds_a_project(demo):
    db = demo / "screening_db" / "car-t-2025.db"
    assert db.exists()
    st = CliRunner().invoke(main, ["--db", str(db), "status", "--json"])
    assert st.exit_code == 0, st.output
    doc = json.loads(st.output)
    assert doc["protocol"]["id"] == "car-t-2025"
    # the bundled CNKI (5) and Wanfang (4) exports share 3 papers, one only by its translated title
    assert doc["identification"]["by_source"] == {"CNKI": 5, "Wanfang": 4}
    assert doc["deduplication"]["unique"] == 6


def test_demo_pools_the_seed_studies_as_the_paper_reports(demo):
    import csv

    exports = demo / "exports"
    rows = {(r["outcome"], r["by"], r["group"]): r
            for r in csv.DictReader((exports / "pooled.csv").open(encoding="utf-8"))}
    # The seed paper: dead rate 0.19 (95% CI 0.11-0.32), 27 studies, 206/868, I2 77%.
    dr = rows[("DR", "", "all")]
    assert (int(dr["k"]), int(dr["events"]), int(dr["n"])) == (27, 206, 868)
    assert round(float(dr["estimate"]), 2) == 0.19
    assert (round(float(dr["lower"]), 2), round(float(dr["upper"]), 2)) == (0.11, 0.32)
    assert round(100 * float(dr["I2"])) == 77
    # its subgroup test by cancer type: Q = 19.14
    assert float(rows[("DR", "cancer", "all")]["between_Q"]) == pytest.approx(19.14, abs=0.005)
    for name in ("ORR", "CRR", "DR"):
        for suffix in ("", "_by_cancer", "_by_country"):
            assert (exports / f"forest_{name}{suffix}.png").stat().st_size > 10_000
            assert (exports / f"forest_{name}{suffix}.svg").read_text().lstrip().startswith("<?xml")
        assert (exports / f"funnel_{name}.png").exists()
    doc = json.loads((exports / "pooled.json").read_text())
    assert doc["CRR_by_country"]["between"]["df"] == 1


def test_demo_can_be_run_twice(demo):
    """A second run over an existing demo replaces it (the fixture made the first)."""
    result = CliRunner().invoke(main, ["demo", "--dir", str(demo)])
    assert result.exit_code == 0, result.output
    st = CliRunner().invoke(main, ["--db", str(demo / "screening_db" / "car-t-2025.db"), "status", "--json"])
    assert json.loads(st.output)["identification"]["by_source"] == {"CNKI": 5, "Wanfang": 4}
