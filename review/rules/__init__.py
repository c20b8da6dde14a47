"""The protocol's automatic eligibility rules, applied to the screening units.

``types`` holds the one vocabulary of publication types (PubMed's names, with
what RIS, EndNote, CNKI, Wanfang, Web of Science, Scopus and Embase call them);
``languages`` the language names and codes; ``checks`` says, for one unit,
what each rule finds on what its copies say; ``engine`` turns that into
events (exclusions, flags, undos) that change only what changed; ``report``
prints a run. SQL is in review/db/rules.py; the CLI is review/cli/rules.py;
docs/rules.md says what each rule does and why.
"""

from __future__ import annotations

# Rule ids, in the order a unit is excluded by the first that applies (an
# event's ``reason``; the keys of ``review rules --json``'s "excluded").
PUBLICATION_TYPE = "publication_type"
DATE_WINDOW = "date_window"
LANGUAGE = "language"
HUMANS_ONLY = "humans_only"
MIN_IMPACT_FACTOR = "min_impact_factor"
RULE_IDS = (PUBLICATION_TYPE, DATE_WINDOW, LANGUAGE, HUMANS_ONLY, MIN_IMPACT_FACTOR)

# Who the rules' events are written by (the person who ran them is in the audit entry).
ACTOR = "rules"
