"""The PRISMA 2020 flow diagram: a well-formed SVG, A4 wide, with the
template's wording and every count, source and reason in its box, and text
that fits its boxes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from review.prisma import svg
from tests.prisma import scenario as sc
from tests.prisma.flows import awkward

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(text: str) -> ET.Element:
    return ET.fromstring(text.encode("utf-8"))


def box_text(root: ET.Element, key: str) -> str:
    (g,) = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("id") == key]
    return " ".join(t.text or "" for t in g.iter("{http://www.w3.org/2000/svg}text"))


def n(x: int) -> str:
    return f"(n = {x:,})"


def check_diagram(root: ET.Element, flow) -> None:
    ident = box_text(root, "identified")
    assert ident.startswith("Records identified from*:")
    assert f"Databases {n(sum(flow.database_results.values()))}" in ident
    assert f"Registers {n(sum(flow.register_results.values()))}" in ident
    for name, k in {**flow.database_results, **flow.register_results}.items():
        assert f"{name} {n(k)}" in ident, name
    removed = box_text(root, "removed")
    assert removed.startswith("Records removed before screening:")
    for label, k in (("Duplicate records removed", flow.duplicates),
                     ("Records marked as ineligible by automation tools", flow.excluded_automatic),
                     ("Records removed for other reasons", flow.excluded_other)):
        assert f"{label} {n(k)}" in removed, label
    assert box_text(root, "screened") == f"Records screened {n(flow.records_screened)}"
    assert box_text(root, "excluded") == f"Records excluded** {n(flow.records_excluded)}"
    assert box_text(root, "sought") == f"Reports sought for retrieval {n(flow.dbr_sought_reports)}"
    assert box_text(root, "not-retrieved") == f"Reports not retrieved {n(flow.dbr_notretrieved_reports)}"
    assert box_text(root, "assessed") == f"Reports assessed for eligibility {n(flow.dbr_assessed)}"
    reasons = box_text(root, "reports-excluded")
    assert reasons.startswith("Reports excluded")
    for reason, k in flow.dbr_excluded.items():
        assert f"{reason} {n(k)}" in reasons, reason
    assert box_text(root, "included") == (f"Studies included in review {n(flow.new_studies)} "
                                          f"Reports of included studies {n(flow.new_reports)}")
    assert box_text(root, "header") == "Identification of studies via databases and registers"
    for phase in ("identification", "screening", "included"):
        assert box_text(root, f"phase-{phase}") == phase.capitalize()


def texts_fit_their_boxes(root: ET.Element) -> None:
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        rect = g.find("s:rect", NS)
        if rect is None or not g.get("id", "").replace("-", "").isalpha() or g.get("id").startswith("phase"):
            continue
        x0, w = float(rect.get("x")), float(rect.get("width"))
        y0, h = float(rect.get("y")), float(rect.get("height"))
        for t in g.iter("{http://www.w3.org/2000/svg}text"):
            x, y = float(t.get("x")), float(t.get("y"))
            if t.get("text-anchor") == "middle":
                x -= svg.text_width(t.text, bold=t.get("font-weight") == "bold") / 2
            right = x + svg.text_width(t.text, bold=t.get("font-weight") == "bold")
            assert x0 < x and right <= x0 + w, (g.get("id"), t.text)
            assert y0 < y - svg.FONT * 0.7 and y < y0 + h, (g.get("id"), t.text)


def test_the_diagram_of_a_finished_review(tmp_path):
    db = sc.build(tmp_path)
    out = tmp_path / "prisma.svg"
    sc.cli(db, "prisma", "--svg", out)
    text = out.read_text(encoding="utf-8")
    root = parse(text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("width") == "210.0mm"
    from review.db import open_db
    from review.prisma.counts import compute
    from review.project import project_protocol

    conn = open_db(db)
    flow = compute(conn, project_protocol(conn))
    conn.close()
    check_diagram(root, flow)
    texts_fit_their_boxes(root)
    assert float(root.get("height")[:-2]) <= 297                  # fits one A4 page
    assert "Not final" not in box_text(root, "notes")


def test_the_diagram_with_awkward_names_and_many_reasons():
    flow = awkward()
    flow.dbr_excluded.update({f"reason number {i} with a rather long explanation of why": 1 for i in range(20)})
    flow.dbr_assessed += 20
    root = parse(svg.render(flow, title="T & <review>", made_by="made by a test"))
    check_diagram(root, flow)
    texts_fit_their_boxes(root)
    assert root.find("s:title", NS).text == "PRISMA 2020 flow diagram: T & <review>"
    assert "made by a test" in box_text(root, "notes")


def test_a_diagram_with_pending_units_says_it_is_not_final():
    flow = awkward()
    flow.pending["title_abstract"].update(units=3, undecided=2, conflict=1, records=[4, 5, 6])
    root = parse(svg.render(flow))
    assert re.search(r"Not final: records still undecided or in conflict: 3 at title and abstract;",
                     box_text(root, "notes"))


@pytest.mark.parametrize("text,width", [("Records screened (n = 1,234)", 120.0), ("中文排除理由" * 8, 100.0)])
def test_wrap_keeps_counts_whole_and_cuts_long_words(text, width):
    lines = svg.wrap(text, width)
    assert all(svg.text_width(x) <= width for x in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    if "(n =" in text:
        assert any(x.endswith("(n = 1,234)") for x in lines)
