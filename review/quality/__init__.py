"""Study quality: MINORS (Slim et al. 2003) scored by two reviewers, blind,
settled by the adjudicator; items and guidance (items.py), scoring, import
and the quality table (minors.py), agreement (agreement.py)."""
