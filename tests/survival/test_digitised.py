"""Reading and cleaning digitised curves and numbers-at-risk tables."""

from __future__ import annotations

import pytest

from survival_helpers import DATA
from review.errors import BadInput
from review.survival import clean_curve, read_at_risk, read_curves, read_points


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cleaning_sorts_scales_drops_and_says_so(tmp_path):
    path = write(tmp_path, "pts.csv",
                 "time,survival\n"
                 "5,80\n"        # line 2
                 "-0.5,100.4\n"  # line 3: t < 0 (and S > 100%)
                 "0,98.9\n"      # line 4: below 1 at time 0
                 "2,90\n"        # line 5
                 "3,91\n"        # line 6: goes up
                 "5,80\n"        # line 7: duplicate of line 2
                 "8,101\n")      # line 8: above 100%
    (c,) = read_curves(path)
    assert c.time == (0.0, 2.0, 3.0, 5.0)
    assert c.survival == pytest.approx((1.0, 0.9, 0.9, 0.8))
    notes = "\n".join(c.notes)
    assert "percent (largest value 101)" in notes
    assert "time below 0 (line 3)" in notes
    assert "survival outside [0, 1] (line 8)" in notes  # -0.5 left already for its time
    assert "at time 0 below survival 1" in notes and "(line 4)" in notes
    assert "not in time order" in notes
    assert "went up" in notes and "(line 6)" in notes
    assert "1 duplicate" in notes


def test_a_clean_curve_has_no_notes():
    c = clean_curve([(0, 1), (1, 1), (1, 0.9), (4, 0.9), (4, 0.7)])
    assert c.notes == ()
    assert c.time == (0, 1, 1, 4, 4) and c.survival == (1, 1, 0.9, 0.9, 0.7)


def test_the_foot_of_a_step_follows_its_top_whatever_the_file_order():
    c = clean_curve([(4, 0.7), (1, 0.9), (4, 0.9), (1, 1.0)])
    assert list(zip(c.time, c.survival)) == [(0, 1), (1, 1), (1, 0.9), (4, 0.9), (4, 0.7)]


def test_scale_can_be_given(tmp_path):
    path = write(tmp_path, "p.csv", "1,0.9\n2,0.8\n")
    (c,) = read_curves(path, scale="percent")  # 0.9% and 0.8%
    assert c.survival[1:] == pytest.approx((0.009, 0.008))


def test_several_curves_with_a_label_column_of_any_name():
    curves = read_points(DATA / "lung_points.csv")  # time,survival,sex; shuffled
    assert set(curves) == {"Male", "Female"}
    cleaned = {c.label: c for c in read_curves(DATA / "lung_points.csv")}
    assert all(c.time[0] == 0 and c.survival[0] == 1 for c in cleaned.values())
    assert all(b <= a for c in cleaned.values() for a, b in zip(c.survival, c.survival[1:]))


def test_webplotdigitizer_all_datasets_layout():
    curves = read_points(DATA / "colon_points.csv")
    assert list(curves) == ["Obs", "Lev+5FU"]
    assert len(curves["Obs"]) != len(curves["Lev+5FU"])  # the shorter one's blank cells are skipped
    assert curves["Obs"][0].line == 3


def test_headerless_two_columns_and_semicolons_with_decimal_commas(tmp_path):
    (c,) = read_curves(DATA / "veteran_test_points.csv")
    assert c.label == "" and len(c.time) > 50
    (d,) = read_curves(write(tmp_path, "eu.csv", "Zeit;Überleben\n1,5;0,95\n3,25;0,9\n"))
    assert d.time == (0, 1.5, 3.25) and d.survival == (1, 0.95, 0.9)


def test_numbers_at_risk_layouts():
    lung = read_at_risk(DATA / "lung_at_risk.csv", ["Male", "Female"])  # a column per curve
    assert lung["Male"].time[:3] == (0, 100, 200) and lung["Male"].n[:3] == (138, 114, 78)
    colon = read_at_risk(DATA / "colon_at_risk.csv", ["Obs", "Lev+5FU"])  # time,n,curve
    assert colon["Lev+5FU"].n[0] == 304
    one = read_at_risk(DATA / "veteran_test_at_risk.csv")  # time,n
    assert one[""].n[0] == 68


def test_risk_columns_matched_by_a_label_inside_the_name(tmp_path):
    path = write(tmp_path, "r.csv", "time_months,nrisk_pembro,nrisk_placebo\n0,410,206\n3,377,183\n")
    tabs = read_at_risk(path, ["pembro", "placebo"])
    assert tabs["placebo"].n == (206, 183)
    with pytest.raises(BadInput, match=r"r.csv:1: no numbers-at-risk column .* 'chemo'"):
        read_at_risk(path, ["pembro", "chemo"])


# ---- bad files: a clear error naming the file and the line


@pytest.mark.parametrize("text,where,message", [
    ("", "pts.csv", "empty"),
    ("\n\n  \n", "pts.csv", "empty"),
    ("time,survival\n", "pts.csv:1", "no numbers"),
    ("time,survival\n1.5,0.9\n", "pts.csv:2", "only one point"),
    ("time,survival\n1,0.9\n2,abc\n", "pts.csv:3", "survival is not a number: 'abc'"),
    ("time,survival\n1,0.9\nsix,0.8\n", "pts.csv:3", "time is not a number: 'six'"),
    ("time,survival\n1,0.9\n2,\n", "pts.csv:3", "needs both time and survival"),
    ("time,survival\n-1,0.9\n-2,0.8\n", "pts.csv:2", "no usable points"),
    ("time,survival,arm\n1,0.9,A\n2,0.8,A\n1,0.9,B\n", "pts.csv:4", "curve 'B': only one point"),
    ("A,,B,\nX,Y,X,Y\n1,0.9,1,\n", "pts.csv:3", "needs both X and Y"),
])
def test_bad_points_file(tmp_path, text, where, message):
    path = write(tmp_path, "pts.csv", text)
    with pytest.raises(BadInput) as err:
        read_curves(path)
    assert str(err.value).startswith(f"{tmp_path / where}:" if ":" not in where else f"{tmp_path}/{where}:")
    assert message in str(err.value)


@pytest.mark.parametrize("text,line,message", [
    ("time,n\n0,100\n6,80\n3,90\n", 4, "time 3 comes before 6 (line 3): numbers-at-risk times must increase"),
    ("time,n\n0,100\n6,80\n6,70\n", 4, "comes again after 6"),
    ("time,n\n0,100\n6,80\n9,85\n", 4, "goes up from 80 (line 3) to 85"),
    ("time,n\n0,100\n6,eighty\n", 3, "number at risk (n) is not a number: 'eighty'"),
    ("time,n\n0,100\n6,80.5\n", 3, "whole number"),
    ("time,n\n0,100\n-6,80\n", 3, "must not be negative"),
])
def test_bad_numbers_at_risk(tmp_path, text, line, message):
    path = write(tmp_path, "risk.csv", text)
    with pytest.raises(BadInput) as err:
        read_at_risk(path)
    assert str(err.value).startswith(f"{path}:{line}: ")
    assert message in str(err.value)


def test_empty_risk_file(tmp_path):
    path = write(tmp_path, "risk.csv", "")
    with pytest.raises(BadInput, match=r"risk.csv: the file is empty"):
        read_at_risk(path)
