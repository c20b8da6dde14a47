"""What the MINORS scoring view reads and writes, one call each (run in
worker threads by review/tui; no SQL there): a reviewer's page for one
study (their own scores, the items with their guidance), a score, a submit."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from review.db import transaction
from review.extraction.session import person_setup, study_index
from review.extraction.studies import Study, find_study
from review.quality.items import Item, ideal_total, items_for
from review.quality.minors import own_scores, set_scores, submit


@dataclass
class MinorsPage:
    study: Study
    index: int
    count: int
    items: tuple[Item, ...]
    scores: dict[int, int]
    submitted: bool
    submitted_by: list[str]
    complete: bool
    ideal: int

    @property
    def total(self) -> int:
        return sum(self.scores.values())


def minors_page(conn: sqlite3.Connection, reviewer: str, label: str | None = None, step: int = 0) -> MinorsPage:
    from review.extraction.values import needed

    protocol, studies = person_setup(conn, reviewer, "reviewer")
    i = study_index(studies, label, step)
    scores, submitted, by = own_scores(conn, studies[i], reviewer)
    return MinorsPage(studies[i], i, len(studies), items_for(protocol.quality.comparative), scores, submitted, by,
                      len(by) >= needed(protocol), ideal_total(protocol.quality.comparative))


def score(conn: sqlite3.Connection, reviewer: str, label: str, number: int, value: int) -> MinorsPage:
    protocol, studies = person_setup(conn, reviewer, "reviewer")
    with transaction(conn):
        set_scores(conn, protocol, find_study(studies, label), reviewer, {number: value})
    return minors_page(conn, reviewer, label)


def submit_scores(conn: sqlite3.Connection, reviewer: str, label: str):
    protocol, studies = person_setup(conn, reviewer, "reviewer")
    with transaction(conn):
        done = submit(conn, protocol, find_study(studies, label), reviewer)
    return done, minors_page(conn, reviewer, label)
