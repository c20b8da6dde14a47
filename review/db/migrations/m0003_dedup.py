"""Deduplication runs, candidate pairs with explanations, and decisions."""

SQL = ""
