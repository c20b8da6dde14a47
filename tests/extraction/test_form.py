"""The extraction form built from the protocol: each type read and checked,
NA, outcomes typed as events/n or as a percent of n (with how they were
derived), and the messages that name the field."""

from __future__ import annotations

import pytest

from review.extraction.form import FieldProblem, Form, same_value, show_value
from review.protocol import parse_protocol
from tests.extraction.projects import FIELDS

PROTOCOL = 'id = "form-test"\ntitle = "Form"\n' + FIELDS


@pytest.fixture
def form() -> Form:
    return Form.from_protocol(parse_protocol(PROTOCOL))


def problem(form, name, text, n=None) -> str:
    with pytest.raises(FieldProblem) as exc:
        form.get(name).parse(text, n)
    assert exc.value.field == name
    return exc.value.message


@pytest.mark.parametrize("name,text,value,derived", [
    ("n", "17", 17, "entered"), ("n", "17.0", 17, "entered"),
    ("dr", "14.81", 14.81, "entered"), ("dr", "14.81%", 14.81, "entered"), ("dr", "0", 0, "entered"),
    ("dr", "4/27", 100 * 4 / 27, "events_of_n:4/27"),
    ("responders", "12", 12, "entered"),
    ("age", "60 (38–76)", {"median": 60, "low": 38, "high": 76}, "entered"),
    ("age", "54.5 (27-74)", {"median": 54.5, "low": 27, "high": 74}, "entered"),
    ("age", "NA (18–69)", {"median": None, "low": 18, "high": 69}, "entered"),
    ("age", "38–76", {"median": None, "low": 38, "high": 76}, "entered"),
    ("age", "61", {"median": 61, "low": None, "high": None}, "entered"),
    ("dose", "0.75", 0.75, "entered"), ("dose", "-1.5", -1.5, "entered"),
    ("cancer", "Myeloma", "myeloma", "entered"),
    ("randomised", "yes", True, "entered"), ("randomised", "0", False, "entered"),
    ("vector", "  anti-BCMA   CAR ", "anti-BCMA CAR", "entered"),
])
def test_values_read_as_typed(form, name, text, value, derived):
    got = form.get(name).parse(text)
    assert got.value == value and got.derived == derived


@pytest.mark.parametrize("text", ["NA", "na", "N/A", "NR", "not reported", ""])
def test_na_is_not_reported(form, text):
    for f in form:
        assert f.parse(text).value is None


def test_a_percent_typed_into_an_events_field_uses_n(form):
    got = form.get("responders").parse("14.8%", n=27)
    assert (got.value, got.derived) == (4, "percent_of_n:14.8")   # round(14.8 * 27 / 100) = 4
    assert "needs n first" in problem(form, "responders", "14.8%")


@pytest.mark.parametrize("name,text,n,words", [
    ("n", "12.5", None, "expected a whole number, got '12.5'"),
    ("n", "-3", None, "a number of 0 or more"),
    ("n", "twelve", None, "expected a whole number, got 'twelve'"),
    ("dr", "120", None, "a percent must be between 0 and 100, got '120'"),
    ("dr", "-1", None, "between 0 and 100"),
    ("dr", "5/3", None, "events (5) are more than n (3)"),
    ("dr", "≥ 11.11", None, "expected a percent"),
    ("responders", "30", 27, "30 events is more than n = 27"),
    ("responders", "4.5", 27, "expected a whole number"),
    ("age", "80 (38–76)", None, "the median (80) is outside its range (38-76)"),
    ("age", "50 (76–38)", None, "low end (76) is above its high end (38)"),
    ("age", "about sixty", None, "expected a median with its range"),
    ("cancer", "lymphom", None, "expected one of myeloma, leukemia, lymphoma; got 'lymphom' (did you mean 'lymphoma'?)"),
    ("randomised", "maybe", None, "expected yes or no"),
    ("dose", "inf", None, "finite"),
])
def test_bad_values_say_what_was_expected(form, name, text, n, words):
    assert words in problem(form, name, text, n)


def test_cross_field_check_events_above_n(form):
    probs = form.check({"n": 10, "responders": 12})
    assert [(p.field, p.message) for p in probs] == [("responders", "12 events is more than n = 10")]
    assert form.check({"n": 10, "responders": 10}) == []
    assert form.missing_required({"n": None, "cancer": "myeloma"}) == ["n"]


def test_unknown_field_named_with_a_suggestion(form):
    with pytest.raises(FieldProblem, match="did you mean 'dose'"):
        form.get("dosse")


def test_help_names_type_unit_roles_and_choices(form):
    assert form.get("responders").help.startswith("a whole number of events (<= n), or a percent of n")
    assert "events of ORR" in form.get("responders").help
    assert "n of ORR, DR" in form.get("n").help and "required" in form.get("n").help
    assert "in 10^6 cells/kg" in form.get("dose").help
    assert form.get("cancer").help == "myeloma / leukemia / lymphoma; required"


def test_shown_back_and_compared(form):
    assert show_value("median_range", {"median": None, "low": 18, "high": 69}) == "NA (18–69)"
    assert show_value("median_range", {"median": 8.4, "low": 7.3, "high": 9.6}) == "8.4 (7.3–9.6)"
    assert show_value("percent", 100 * 4 / 27) == "14.8148" and show_value("percent", None) == "NA"
    assert show_value("bool", True) == "yes"
    assert same_value("percent", 14.81, 100 * 4 / 27)         # agree to two decimals
    assert not same_value("percent", 14.8, 14.81)
    assert same_value("text", "Anti-BCMA  CAR", "anti-bcma car")
    assert not same_value("int", 33, 34) and not same_value("percent", None, 0)
    assert same_value("median_range", {"median": 60, "low": 38, "high": 76}, {"median": 60.0, "low": 38, "high": 76})
