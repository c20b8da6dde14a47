"""The review's tables from settled data: study characteristics and outcomes
(the seed paper's Tables 1 and 2), as CSV, Markdown and XLSX
(study_tables.py). The MINORS quality table is review.quality.minors."""
