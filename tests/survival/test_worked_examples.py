"""The worked examples of the reference notes (FACTS.md section 5): KEYNOTE-189
overall survival and Bonner 2006 locoregional control, reconstructed from
their published digitised curves and numbers at risk.

Those digitised points come from GPL-3 R packages (reconstructKM, IPDfromKM),
so they are not copied into this repository: the test reads them where the
shared reference material is ($REVIEW_WORKFLOW_REFERENCE, else
/work/shared/reference/workflow) and is skipped where it is absent.
Expected values: the published ones and an independent R port of Guyot's
algorithm ("helper"), with FACTS.md's tolerances: numbers at risk exact,
HR +-0.05, S(t) +-0.02.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from review.survival import combined_ipd, km_analysis, read_at_risk, read_curves, reconstruct

REF = Path(os.environ.get("REVIEW_WORKFLOW_REFERENCE", "/work/shared/reference/workflow"))
pytestmark = pytest.mark.skipif(not (REF / "km_keynote189_numbers_at_risk.csv").exists(),
                                reason="shared reference material (GPL-3 digitised curves) not available")


def rebuild(arms: dict[str, tuple[str, str]], risk: str, reference: str):
    """Reconstruct each arm; every published number at risk (up to the curve's
    end) must come back exactly."""
    recs = []
    for name, (points, column) in arms.items():
        (curve,) = read_curves(REF / points)
        table = read_at_risk(REF / risk, [column])[column]
        rec = reconstruct(curve, table, label=name)
        assert rec.reliable
        assert all(c.published == c.reconstructed for c in rec.at_risk), rec.at_risk
        recs.append(rec)
    res = km_analysis(combined_ipd(recs), by="curve", reference=reference)
    return recs, res, {g.name: g for g in res.groups}


def check_hr(res, published: float, helper: tuple[float, float, float]):
    (hr,) = res.cox
    assert hr.hr == pytest.approx(published, abs=0.05)
    assert (hr.hr, hr.lower, hr.upper) == pytest.approx(helper, abs=0.05)


def test_keynote189_overall_survival():
    recs, res, g = rebuild({"pembro": ("km_keynote189_pembro_os_points.csv", "nrisk_pembro"),
                            "placebo": ("km_keynote189_placebo_os_points.csv", "nrisk_placebo")},
                           "km_keynote189_numbers_at_risk.csv", reference="placebo")
    assert [r.n for r in recs] == [410, 206]
    assert [r.events for r in recs] == pytest.approx([126, 107], abs=2)  # helper: 126/107
    check_hr(res, 0.49, (0.496, 0.383, 0.642))  # published 0.49 (0.38-0.64); helper
    assert g["pembro"].at(12)[0] == pytest.approx(0.692, abs=0.02)  # published 69.2%
    assert g["placebo"].at(12)[0] == pytest.approx(0.494, abs=0.02)  # published 49.4%
    assert res.logrank.chisq == pytest.approx(29.44, abs=1.0)  # helper's survdiff


def test_bonner2006_locoregional_control():
    recs, res, g = rebuild(
        {"radio_cetuximab": ("km_bonner2006_radio_cetuximab_points.csv", "nrisk_radio_cetuximab"),
         "radiotherapy": ("km_bonner2006_radiotherapy_points.csv", "nrisk_radiotherapy")},
        "km_bonner2006_numbers_at_risk.csv", reference="radiotherapy")
    assert all(any("percent" in n for n in rec.notes) for rec in recs)
    # the raw radiotherapy points start at t = -0.512: cleaning drops it and says so
    assert any("time below 0 (line 2)" in n for n in recs[1].notes)
    assert [r.n for r in recs] == [211, 213]
    assert [r.events for r in recs] == pytest.approx([111, 134], abs=2)  # helper: 111/134
    check_hr(res, 0.68, (0.719, 0.559, 0.925))  # published HR 0.68; helper
    assert g["radiotherapy"].median == pytest.approx(14.9, abs=0.5)  # published 14.9, helper 14.8
    assert g["radio_cetuximab"].median == pytest.approx(24.4, abs=0.5)  # published 24.4, helper 24.6
    assert res.logrank.chisq == pytest.approx(6.64, abs=0.5)  # helper's survdiff
