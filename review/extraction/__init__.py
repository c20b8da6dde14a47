"""Dual data extraction: studies (reports gathered), the form built from the
protocol, reviewers' blind entries and submissions, the adjudicator's
reconciliation, spreadsheets in and out, and the settled values that pooling
and the tables use. See docs/extraction.md.

- studies.py      included reports -> studies; link, rename
- form.py         the typed form (validation, display, comparison)
- dual.py         dual blind entry with submit and adjudication, for any keyed values
- values.py       reviewers' values, submit, what a reviewer may see, settled values
- reconcile.py    differing fields; the adjudicator's choice
- spreadsheet.py  import and export of extraction tables (CSV, TSV, XLSX)
- pooling.py      settled values -> counts per outcome, with who is left out and why
"""
