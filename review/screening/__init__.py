"""Screening: decisions on units by two blind reviewers, resolutions by an
adjudicator, the state of each unit at each stage, agreement."""
