"""Staging for PubMed searches (batches fetched before records are stored)."""

SQL = ""
