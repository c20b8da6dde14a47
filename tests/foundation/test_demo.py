"""`review demo` builds the worked example offline, from the bundled data."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from review.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_bundled_protocol_is_the_projects_protocol():
    bundled = ROOT / "review" / "demo_data" / "car-t-2025.toml"
    assert bundled.read_bytes() == (ROOT / "protocols" / "car-t-2025.toml").read_bytes()


def test_demo_builds_a_project(tmp_path):
    target = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--dir", str(target)])
    assert result.exit_code == 0, result.output
    db = target / "screening_db" / "car-t-2025.db"
    assert db.exists()
    st = CliRunner().invoke(main, ["--db", str(db), "status", "--json"])
    assert st.exit_code == 0, st.output
    doc = json.loads(st.output)
    assert doc["protocol"]["id"] == "car-t-2025"
    # the bundled CNKI (5) and Wanfang (4) exports share 3 papers, one only by its translated title
    assert doc["identification"]["by_source"] == {"CNKI": 5, "Wanfang": 4}
    assert doc["deduplication"]["unique"] == 6


def test_demo_can_be_run_twice(tmp_path):
    target = tmp_path / "demo"
    for _ in range(2):
        result = CliRunner().invoke(main, ["demo", "--dir", str(target)])
        assert result.exit_code == 0, result.output
