"""The MINORS items (Slim et al. 2003): what each asks, and how 0, 1 and 2 are
given, as the scoring screen shows them.

Every item is scored 0 (not reported), 1 (reported but inadequate) or 2
(reported and adequate). Items 1-8 apply to every study; items 9-12 only to
comparative studies. The ideal total is 16 for a non-comparative study and
24 for a comparative one. The meanings and the guidance are our paraphrase
of the paper's explanations; the paper gives no cut-offs for "high" or "low"
quality.

References
----------
Slim K, Nini E, Forestier D, Kwiatkowski F, Panis Y, Chipponi J.
Methodological index for non-randomized studies (MINORS): development and
validation of a new instrument. ANZ J Surg 2003;73:712-716.
"""

from __future__ import annotations

from dataclasses import dataclass

TOOL = "MINORS"
SCORES = (0, 1, 2)
SCORE_WORDS = {0: "not reported", 1: "reported but inadequate", 2: "reported and adequate"}
NON_COMPARATIVE, COMPARATIVE = 8, 12


@dataclass(frozen=True)
class Item:
    number: int
    title: str
    meaning: str
    guidance: tuple[str, str, str]   # what earns 0, 1 and 2

    @property
    def comparative_only(self) -> bool:
        return self.number > NON_COMPARATIVE


ITEMS: tuple[Item, ...] = (
    Item(1, "A clearly stated aim",
         "The question is precise and relevant to what the literature already shows.",
         ("no aim is stated",
          "an aim is stated but it is vague, or not placed against the existing literature",
          "a precise question, relevant in the light of the literature")),
    Item(2, "Inclusion of consecutive patients",
         "Every patient eligible during the study period was enrolled, or the reasons for leaving any out "
         "are given.",
         ("how patients were selected is not said",
          "consecutive inclusion is claimed but the criteria or the exclusions are not explained",
          "all eligible patients of the period were included, or every exclusion is explained")),
    Item(3, "Prospective collection of data",
         "The data were collected under a protocol written before the study began.",
         ("not said, or the data were collected retrospectively",
          "said to be prospective, but no protocol set before the start is described",
          "collected according to a protocol established before the study began")),
    Item(4, "Endpoints appropriate to the aim of the study",
         "The criteria for the main outcome are unambiguous and answer the question; endpoints are "
         "assessed by intention to treat.",
         ("the main endpoint is not defined",
          "endpoints are given but ambiguous, not matched to the aim, or not analysed by intention to treat",
          "unambiguous endpoints that answer the question, analysed by intention to treat")),
    Item(5, "Unbiased assessment of the study endpoint",
         "The endpoint was assessed blind (double-blind for subjective endpoints), or the reasons for not "
         "blinding are given.",
         ("how endpoints were assessed is not said",
          "assessment described but open, with no reason given for not blinding",
          "blinded assessment, or open assessment of an objective endpoint with reasons given")),
    Item(6, "Follow-up period appropriate to the aim of the study",
         "Follow-up is long enough to observe the main endpoint and possible adverse events.",
         ("the length of follow-up is not reported",
          "follow-up is reported but too short for the main endpoint or for adverse events",
          "follow-up long enough for the main endpoint and adverse events")),
    Item(7, "Loss to follow-up less than 5%",
         "Fewer than 5% of patients were lost to follow-up; otherwise losses do not exceed the proportion "
         "with the major endpoint.",
         ("losses to follow-up are not reported",
          "losses are reported and are 5% or more (and above the proportion with the major endpoint)",
          "all patients accounted for, with losses below 5%")),
    Item(8, "Prospective calculation of the study size",
         "The sample size, or the power to detect a difference, was calculated before the study (expected "
         "incidence, detectable difference, alpha, power).",
         ("no sample-size calculation is reported",
          "a study size is justified, but not by an a-priori calculation with its assumptions",
          "an a-priori sample-size or power calculation with its assumptions")),
    Item(9, "An adequate control group",
         "The control group received the gold-standard diagnostic test or treatment, as the literature "
         "defines it.",
         ("no control group is described",
          "a control group whose test or treatment is not the standard",
          "the control group received the gold-standard test or treatment")),
    Item(10, "Contemporary groups",
         "Control and studied groups were managed during the same period (no historical comparison).",
         ("when the groups were treated is not said",
          "the groups were treated in different periods (historical controls)",
          "both groups were managed during the same period")),
    Item(11, "Baseline equivalence of groups",
         "The groups are similar in everything but the studied intervention; no confounding factor could "
         "bias the result.",
         ("baseline characteristics are not compared",
          "groups are compared but differ in ways that could bias the result",
          "groups are similar at baseline, with no confounder left unaddressed")),
    Item(12, "Adequate statistical analyses",
         "The statistics fit the type of study, with confidence intervals or relative risks.",
         ("no statistical analysis is described",
          "statistics are given but do not fit the design, or lack confidence intervals or relative risks",
          "statistics fit the design and include confidence intervals or relative risks")),
)


def item(number: int) -> Item:
    if not 1 <= number <= len(ITEMS):
        raise ValueError(f"MINORS has items 1 to {len(ITEMS)}, not {number}")
    return ITEMS[number - 1]


def items_for(comparative: bool) -> tuple[Item, ...]:
    return ITEMS if comparative else ITEMS[:NON_COMPARATIVE]


def ideal_total(comparative: bool) -> int:
    return 2 * (COMPARATIVE if comparative else NON_COMPARATIVE)
