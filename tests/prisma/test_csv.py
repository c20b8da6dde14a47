"""The PRISMA2020 R package's CSV, filled in: the template's rows exactly, only
the counts changed; it reads back through R's parsing rules (rparse.py, itself
checked against what the package's R code made of the same files) to the
project's counts, names R would misread replaced and noted."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from review.prisma import csv_template
from review.prisma.csv_template import TEMPLATE_CSV, encode_counts, render, safe_name
from tests.prisma import rparse
from tests.prisma import scenario as sc
from tests.prisma.flows import awkward

DATA = Path(__file__).resolve().parents[1] / "data" / "prisma"


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def normal(r_json: dict) -> dict:
    """R's JSON with length-one vectors unboxed: make every list a list."""
    out = {}
    for k, v in r_json.items():
        out[k] = {kk: vv if isinstance(vv, list) else [vv] for kk, vv in v.items()} if isinstance(v, dict) else v
    return out


@pytest.fixture(scope="module")
def scenario_csv(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("csv")
    db = sc.build(tmp)
    out = tmp / "prisma.csv"
    r = sc.cli(db, "prisma", "--csv", out)
    assert f"wrote {out}" in r.output
    return out.read_text(encoding="utf-8"), r.output


def test_the_embedded_template_is_the_package_file():
    assert TEMPLATE_CSV == (DATA / "PRISMA2020_template.csv").read_text(encoding="utf-8")
    assert len(csv_template.template_rows()) == 34


@pytest.mark.parametrize("text", ["scenario", "awkward"])
def test_the_csv_has_the_template_rows_with_only_counts_changed(text, scenario_csv):
    got = rows(scenario_csv[0] if text == "scenario" else render(awkward()))
    template = rows(TEMPLATE_CSV)
    assert got[0] == template[0] == ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
    assert len(got) == len(template) == 35
    for g, t in zip(got[1:], template[1:]):
        assert g[:7] == t[:7]                                     # key, node, box, labels, tooltips, url
    changed = {g[0] for g, t in zip(got, template) if g[7] != t[7]}
    assert changed <= set(csv_template.values(awkward()))       # only the keys review fills in
    assert "xxx" not in "".join(g[7] for g in got)               # no placeholder left for R to misread


def test_the_scenario_csv_is_the_one_r_read(scenario_csv):
    """The stored CSV R was run on is what the command writes for that review today."""
    assert scenario_csv[0] == (DATA / "scenario_prisma.csv").read_text(encoding="utf-8")
    assert "is written 'no ORR / CRR or dead rate reported' in the CSV" in scenario_csv[1]


@pytest.mark.parametrize("name", ["scenario", "awkward"])
def test_the_python_reading_matches_r(name):
    text = (DATA / f"{name}_prisma.csv").read_text(encoding="utf-8")
    r_out = normal(json.loads((DATA / f"R_PRISMA_data_{name}.json").read_text(encoding="utf-8")))
    assert rparse.prisma_data(text) == r_out


def test_the_awkward_flow_round_trips_through_r_parsing():
    flow = awkward()
    notes: list[str] = []
    text = render(flow, notes)
    assert text == (DATA / "awkward_prisma.csv").read_text(encoding="utf-8")
    got = rparse.prisma_data(text)
    comma = "{:,}".format
    assert got["database_results"] == comma(sum(flow.database_results.values()))
    assert got["register_results"] == comma(sum(flow.register_results.values()))
    for key in ("duplicates", "excluded_automatic", "excluded_other", "records_screened", "records_excluded",
                "dbr_sought_reports", "dbr_notretrieved_reports", "dbr_assessed", "new_studies", "new_reports"):
        assert got[key] == comma(getattr(flow, key)), key
    assert (got["total_studies"], got["total_reports"]) == (comma(flow.new_studies), comma(flow.new_reports))
    for key, counts in (("database_specific_results", flow.database_results),
                        ("register_specific_results", flow.register_results), ("dbr_excluded", flow.dbr_excluded)):
        assert got[key]["n"] == [comma(v) for v in counts.values()], key
        # every name comes back whole: the safe form, or the safe form numbered where two became one
        assert len(set(got[key]["reason"])) == len(counts)
        for back, name in zip(got[key]["reason"], counts):
            assert back == safe_name(name) or back.startswith(safe_name(name) + " ("), (back, name)
            assert "," not in back and ";" not in back and "'" not in back and '"' not in back
    renamed = [n for n in notes if "is written" in n]
    assert len(renamed) == 10                                     # each name that changed, once
    assert any("'a / b' is written 'a / b (2)'" in n for n in renamed)
    assert got["other_excluded"] == {"reason": [""], "n": ["0"]}


def test_safe_names():
    assert safe_name("no ORR, CRR or dead rate reported") == "no ORR / CRR or dead rate reported"
    assert safe_name("wrong population;adults") == "wrong population / adults"
    assert safe_name("Crohn's disease") == "Crohn\u2019s disease"
    assert safe_name('the "best" arm') == "the \u201cbest\u201d arm"
    assert safe_name("两个，逗号") == "两个，逗号"                   # R's regexes leave fullwidth commas alone
    assert safe_name(" , ") == "unnamed"
    assert encode_counts({}) == "0"
    assert rparse.parse_reasons(encode_counts({"a": 1, "b c": 2})) == {"reason": ["a", "b c"], "n": ["1", "2"]}
    # what R does with a raw comma: the name is cut, which is why names are made safe
    assert rparse.parse_reasons("no ORR, CRR or dead rate reported, 4")["reason"] == ["no ORR"]
