"""Entering, correcting, submitting and reconciling values from the command
line: checks across fields, refusals that store nothing, blindness until both
reviewers submitted, agreed fields settled at once, the adjudicator's choice
with its rationale, arms pooled one by one."""

from __future__ import annotations

import json

import pytest

from tests.extraction.projects import S1, S2, included_project
from tests.screening.helpers import run
from tests.sources.import_helpers import dump



@pytest.fixture
def db(tmp_path):
    return included_project(tmp_path)


def setv(db, who, study, field, value, *extra, ok=True):
    return run(db, "extract", "set", study, field, value, "--reviewer", who, *extra, ok=ok)


def show(db, who, study):
    return json.loads(run(db, "extract", "show", study, "--reviewer", who, "--json").stdout)


def refused(db, args, words, user="ANA"):
    before = dump(db)
    r = run(db, *args, user=user, ok=False)
    assert r.exit_code == 2 and words in r.stderr, r.stderr
    assert dump(db) == before
    return r


def values(doc, key="values"):
    return {(v["arm"], v["field"]): (v["value"], v["derived"]) for v in doc[key]}


def test_enter_check_and_correct(db):
    setv(db, "ANA", S1, "n", "20")
    refused(db, ["extract", "set", S1, "responders", "25", "--reviewer", "ANA"],
            "study 'Zhang W 2000', field 'responders' (Responders): 25 events is more than n = 20")
    refused(db, ["extract", "set", S1, "age", "70 (18-65)", "--reviewer", "ANA"],
            "study 'Zhang W 2000', field 'age' (Age): the median (70) is outside its range (18-65)")
    refused(db, ["extract", "set", S1, "dr", "101", "--reviewer", "ANA"],
            "field 'dr' (Dead rate): a percent must be between 0 and 100, got '101'")
    refused(db, ["extract", "set", S1, "cancer", "sarcoma", "--reviewer", "ANA"],
            "field 'cancer' (Cancer): expected one of myeloma, leukemia, lymphoma; got 'sarcoma'")
    refused(db, ["extract", "set", S1, "colour", "red", "--reviewer", "ANA"],
            "study 'Zhang W 2000', field 'colour' (colour): the protocol has no such field")
    refused(db, ["extract", "set", S1, "n", "15", "--reviewer", "CAL"],
            "CAL is an adjudicator; the protocol's reviewers are: ANA, BEN")
    out = json.loads(setv(db, "ANA", S1, "responders", "50%", "--json").stdout)
    assert (out["value"], out["derived"]) == (10, "percent_of_n:50")
    setv(db, "ANA", S1, "responders", "12")                            # corrected
    setv(db, "ANA", S1, "dr", "3/20")
    refused(db, ["extract", "set", S1, "n", "10", "--reviewer", "ANA"],  # n below the events already entered
            "field 'responders' (Responders): 12 events is more than n = 10")
    assert values(show(db, "ANA", S1)) == {("", "n"): (20, "entered"), ("", "responders"): (12, "entered"),
                                           ("", "dr"): (15, "events_of_n:3/20")}
    again = setv(db, "ANA", S1, "responders", "12")
    assert "(unchanged)" in again.stdout


def test_blind_until_both_submitted_then_agreed_fields_settle(db):
    for field, value in (("n", "20"), ("responders", "12"), ("cancer", "myeloma"), ("dr", "NA"),
                         ("age", "60 (38-76)")):
        setv(db, "ANA", S1, field, value)
    refused(db, ["extract", "submit", S1, "--reviewer", "BEN"],
            "study 'Zhang W 2000': cannot submit without the required field(s) n, cancer", user="BEN")
    run(db, "extract", "submit", S1, "--reviewer", "ANA")
    ben = show(db, "BEN", S1)
    assert ben["values"] == [] and ben["submitted_by"] == ["ANA"] and "settled" not in ben
    assert json.loads(run(db, "reconcile", "--json", user="CAL").stdout) == []
    for field, value in (("n", "20"), ("responders", "11"), ("cancer", "Myeloma"), ("age", "60 (38–76)")):
        setv(db, "BEN", S1, field, value)                               # dr left blank: not reported
    out = json.loads(run(db, "extract", "submit", S1, "--reviewer", "BEN", "--json").stdout)
    # agreed: n, cancer, age, and NA for dr, dose, randomised, vector; responders differs
    assert out == [{"study": S1, "reviewer": "BEN", "complete": True, "already": False, "agreed": 7,
                    "differing": 1}]
    diffs = json.loads(run(db, "reconcile", "--adjudicator", "CAL", "--json").stdout)
    assert [(d["study"], d["field"], d["values"]) for d in diffs] == [(S1, "responders", {"ANA": 12, "BEN": 11})]
    ben = show(db, "BEN", S1)                                            # now both submitted: settled shown
    assert values(ben, "settled")[("", "n")] == (20, "entered") and ben["differing"] == [
        {"arm": "", "field": "responders"}]
    refused(db, ["extract", "set", S1, "n", "21", "--reviewer", "ANA"],
            "study 'Zhang W 2000' has been submitted by ANA and BEN")
    refused(db, ["reconcile", "set", S1, "responders", "30", "--adjudicator", "CAL"],
            "study 'Zhang W 2000', field 'responders' (Responders): 30 events is more than n = 20", user="CAL")
    refused(db, ["reconcile", "set", S1, "responders", "12", "--adjudicator", "ANA"],
            "ANA is a reviewer; the protocol's adjudicators are: CAL")
    refused(db, ["reconcile", "set", S2, "n", "12"], "study 'Zhang W 2001': waiting for ANA, BEN to submit",
            user="CAL")
    res = json.loads(run(db, "reconcile", "set", S1, "responders", "12", "--note", "Table 2 counts 12",
                         "--json", user="CAL").stdout)
    assert (res["value"], res["was_differing"], res["note"]) == (12, True, "Table 2 counts 12")
    assert json.loads(run(db, "reconcile", "--json", user="CAL").stdout) == []
    pooled = json.loads(run(db, "pool", "--outcome", "ORR", "--json").stdout)
    assert [(s["study"], s["events"], s["n"]) for s in pooled["studies"]] == [(S1, 12, 20)]
    assert pooled["left_out"] == [{"study": S2, "why": "not extracted yet"}]
    dr = run(db, "pool", "--outcome", "DR", ok=False)
    assert dr.exit_code == 2 and "Zhang W 2000: DR not reported" in dr.stderr


def test_an_entry_after_submitting_reopens_the_form(db):
    setv(db, "ANA", S1, "n", "20")
    setv(db, "ANA", S1, "cancer", "leukemia")
    run(db, "extract", "submit", S1, "--reviewer", "ANA")
    assert show(db, "ANA", S1)["submitted"] is True
    setv(db, "ANA", S1, "n", "21")
    assert show(db, "ANA", S1)["submitted"] is False and show(db, "BEN", S1)["submitted_by"] == []
    assert "already submitted" not in run(db, "extract", "submit", "--all", "--reviewer", "ANA").stdout
    assert "already submitted" in run(db, "extract", "submit", S1, "--reviewer", "ANA").stdout


def test_arms_are_pooled_one_by_one(db):
    for who in ("ANA", "BEN"):
        setv(db, who, S1, "cancer", "lymphoma")
        setv(db, who, S1, "n", "30")
        for arm, n, r in (("low dose", "10", "4"), ("high dose", "20", "15")):
            setv(db, who, S1, "n", n, "--arm", arm)
            setv(db, who, S1, "responders", r, "--arm", arm)
        run(db, "extract", "submit", S1, "--reviewer", who)
    assert json.loads(run(db, "reconcile", "--json", user="CAL").stdout) == []
    pooled = json.loads(run(db, "pool", "--outcome", "ORR", "--by", "cancer", "--json").stdout)
    assert [(s["study"], s["events"], s["n"]) for s in pooled["studies"]] == [
        (f"{S1} (high dose)", 15, 20), (f"{S1} (low dose)", 4, 10)]
    assert pooled["subgroups"][0]["name"] == "lymphoma"
    export = run(db, "extract", "export").stdout.splitlines()
    assert export[0] == "study,record_id,doi,pmid,arm,n,responders,dr,age,dose,cancer,randomised,vector"
    assert export[2].startswith(f"{S1},1,10.1000/test.0,,high dose,20,15,,,,,,") and len(export) == 5
