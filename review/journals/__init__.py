"""Journal metrics: files people bring (Clarivate JCR, SCImago, plain CSV),
OpenAlex's open figure, and how a record is matched to its journal's metric.

Readers turn a metric file into journal entries (``readers``); the database
layer stores them (``review.db.journals``); ``match`` answers, for every
record, which metric applies and why, fast enough for the rules engine.
"""

from __future__ import annotations

# The kinds of metric stored, in the order a lookup prefers them: a JIF from
# the user's own JCR file first, then a figure the user supplied, then
# SCImago's two-year cites per document, then OpenAlex's open stand-in.
JIF = "jif"
USER = "user"
SJR_CITES = "sjr_cites_per_doc_2y"
OPENALEX = "openalex_2yr_mean_citedness"
KINDS = (JIF, USER, SJR_CITES, OPENALEX)
