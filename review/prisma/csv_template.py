"""The PRISMA2020 R package's CSV template, filled in with the project's counts,
so that its users can draw the diagram in R:
``PRISMA_flowdiagram(PRISMA_data(read.csv("prisma.csv")), previous = FALSE, other = FALSE)``.

The rows and columns are the package's (``data,node,box,description,boxtext,
tooltips,url,n``); only the ``n`` cells change. Per-source counts and
exclusion reasons are one cell each, ``"Name, count; Name, count"``, which
``PRISMA_parse_reasons_`` splits on ``;`` and then takes the text before the
first comma as the name; so a comma or semicolon inside a name breaks R's
parse, and a quote breaks DiagrammeR's graph text (it turns ``'`` into ``"``).
Such characters are replaced (``,`` and ``;`` by `` /``, quotes by
typographic ones) and every replacement is listed in the notes.

References
----------
PRISMA2020 R package v1.1.4 (github.com/prisma-flowdiagram/PRISMA2020),
``R/PRISMA_data.R`` and ``R/PRISMA_format.R`` (``PRISMA_parse_reasons_``,
``PRISMA_format_number_``).
"""

from __future__ import annotations

import csv
import io
import re

from review.prisma.counts import Flow

# inst/extdata/PRISMA.csv of the PRISMA2020 R package v1.1.4, byte for byte (file
# last changed in commit 2289e684fc837243ef9cd11317e9d5d9b19fc87b). It is
# distributed under the MIT licence:
#
#   Copyright 2026 Neal R Haddaway
#
#   Permission is hereby granted, free of charge, to any person obtaining a copy
#   of this software and associated documentation files (the "Software"), to deal
#   in the Software without restriction, including without limitation the rights
#   to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
#   copies of the Software, and to permit persons to whom the Software is
#   furnished to do so, subject to the following conditions:
#
#   The above copyright notice and this permission notice shall be included in
#   all copies or substantial portions of the Software.
#
#   THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
#   IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
#   FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
#   AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
#   LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
#   OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
#   SOFTWARE.
TEMPLATE_CSV = """data,node,box,description,boxtext,tooltips,url,n
NA,node4,prevstud,Grey title box; Previous studies,Previous studies,Grey title box; Previous studies,prevstud.html,0
previous_studies,node5,box1,Studies included in previous version of review,Studies included in previous version of review,Studies included in previous version of review,previous_studies.html,0
previous_reports,NA,box1,Reports of studies included in previous version of review,Reports of studies included in previous version of review,NA,previous_reports.html,0
NA,node6,newstud,Yellow title box; Identification of new studies via databases and registers,Identification of new studies via databases and registers,Yellow title box; Identification of new studies via databases and registers,newstud.html,0
database_results,node7,box2,Records identified from: Databases,Databases,Records identified from: Databases and Registers,database_results.html,0
database_specific_results,NA,box2,Records identified from: specific databases,Specific Databases,NA,database_results.html,"Database 1, xxx; Database 2, xxx; Database 3, xxx"
register_results,NA,box2,Records identified from: Registers,Registers,NA,NA,0
register_specific_results,NA,box2,Records identified from: specific registers,Specific Registers,NA,database_results.html,"Register 1, xxx; Register 2, xxx; Register 3, xxx"
NA,node16,othstud,Grey title box; Identification of new studies via other methods,Identification of new studies via other methods,Grey title box; Identification of new studies via other methods,othstud.html,0
website_results,node17,box11,Records identified from: Websites,Websites,"Records identified from: Websites, Organisations and Citation Searching",website_results.html,0
organisation_results,,box11,Records identified from: Organisations,Organisations,NA,NA,0
citations_results,NA,box11,Records identified from: Citation searching,Citation searching,NA,NA,0
duplicates,node8,box3,Duplicate records,Duplicate records,Duplicate records,duplicates.html,0
excluded_automatic,NA,box3,Records marked as ineligible by automation tools,Records marked as ineligible by automation tools,NA,NA,0
excluded_other,NA,box3,Records removed for other reasons,Records removed for other reasons,NA,NA,0
records_screened,node9,box4,Records screened (databases and registers),Records screened,Records screened (databases and registers),records_screened.html,0
records_excluded,node10,box5,Records excluded (databases and registers),Records excluded,Records excluded (databases and registers),records_excluded.html,0
dbr_sought_reports,node11,box6,Reports sought for retrieval (databases and registers),Reports sought for retrieval,Reports sought for retrieval (databases and registers),dbr_sought_reports.html,0
dbr_notretrieved_reports,node12,box7,Reports not retrieved (databases and registers),Reports not retrieved,Reports not retrieved (databases and registers),dbr_notretrieved_reports.html,0
other_sought_reports,node18,box12,Reports sought for retrieval (other),Reports sought for retrieval,Reports sought for retrieval (other),other_sought_reports.html,0
other_notretrieved_reports,node19,box13,Reports not retrieved (other),Reports not retrieved,Reports not retrieved (other),other_notretrieved_reports.html,0
dbr_assessed,node13,box8,Reports assessed for eligibility (databases and registers),Reports assessed for eligibility,Reports assessed for eligibility (databases and registers),dbr_assessed.html,0
dbr_excluded,node14,box9,"Reports excluded (databases and registers): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]",Reports excluded,Reports excluded (databases and registers),dbrexcludedrecords.html,"Reason1, xxx; Reason2, xxx; Reason3, xxx"
other_assessed,node20,box14,Reports assessed for eligibility (other),Reports assessed for eligibility,Reports assessed for eligibility (other),other_assessed.html,0
other_excluded,node21,box15,"Reports excluded (other): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]",Reports excluded,Reports excluded (other),other_excluded.html,"Reason1, xxx; Reason2, xxx; Reason3, xxx"
new_studies,node15,box10,New studies included in review,New studies included in review,New studies included in review,new_studies.html,0
new_reports,NA,box10,Reports of new included studies,Reports of new included studies,NA,NA,0
total_studies,node22,box16,Total studies included in review,Total studies included in review,Total studies included in review,total_studies.html,0
total_reports,NA,box16,Reports of total included studies,Reports of total included studies,NA,NA,0
identification,node1,identification,Blue identification box,Identification,Blue identification box,identification.html,0
screening,node2,screening,Blue screening box,Screening,Blue screening box,screening.html,0
included,node3,included,Blue included box,Included,Blue included box,included.html,0
total_studies_ma,node23,box17,Total studies included in meta-analysis,Total studies included in meta-analysis,Total studies included in meta-analysis,total_studies_meta_analysis.html,0
total_reports_ma,NA,box17,Reports of total included studies in meta-analysis,Reports of total included studies in meta-analysis,NA,NA,0"""

COLUMNS = ("data", "node", "box", "description", "boxtext", "tooltips", "url", "n")
_SEPARATORS = re.compile(r"\s*[,;]+\s*")   # ASCII only: R's regexes leave fullwidth ，； alone
_QUOTES = {"'": ("\u2018", "\u2019"), '"': ("\u201c", "\u201d")}   # opening, closing


def template_rows() -> list[dict[str, str]]:
    """The template's 34 data rows, as dicts of its columns."""
    return list(csv.DictReader(io.StringIO(TEMPLATE_CSV)))


def safe_name(name: str) -> str:
    """A source or reason name that R's ``PRISMA_parse_reasons_`` reads back whole."""
    out = " ".join(name.split())
    out = _SEPARATORS.sub(" / ", out)
    for q, (opening, closing) in _QUOTES.items():   # after a letter, digit or stop: closing (or apostrophe)
        out = re.sub(rf"(?<=[\w.!?)]){q}", closing, out).replace(q, opening)
    return out.strip(" /") or "unnamed"


def encode_counts(counts: dict[str, int], notes: list[str] | None = None, what: str = "name") -> str:
    """``{"PubMed": 80, "CNKI": 40}`` -> ``"PubMed, 80; CNKI, 40"`` (``"0"`` when empty).

    Names R would misread are replaced (``safe_name``); each replacement, and
    names made equal by it (kept apart by a number), is added to ``notes``.
    """
    if not counts:
        return "0"
    used: set[str] = set()
    parts = []
    for name, n in counts.items():
        safe = safe_name(name)
        if safe in used:
            k = 2
            while f"{safe} ({k})" in used:
                k += 1
            safe = f"{safe} ({k})"
        used.add(safe)
        if safe != name and notes is not None:
            notes.append(f"{what} {name!r} is written {safe!r} in the CSV: R's PRISMA2020 splits its lists"
                         " on ';' and ends a name at its first comma, and quotes break its diagram text")
        parts.append(f"{safe}, {n}")
    return "; ".join(parts)


def values(flow: Flow, notes: list[str] | None = None) -> dict[str, str]:
    """The ``n`` cell of each template key, from the project's counts.

    A new review with databases and registers only: previous studies and other
    methods are 0, totals equal the new studies and reports; the meta-analysis
    rows are left as the template has them (0; draw with ``meta_analysis = FALSE``).
    """
    s = str
    return {
        "previous_studies": "0", "previous_reports": "0",
        "database_results": s(sum(flow.database_results.values())),
        "database_specific_results": encode_counts(flow.database_results, notes, "database"),
        "register_results": s(sum(flow.register_results.values())),
        "register_specific_results": encode_counts(flow.register_results, notes, "register"),
        "website_results": "0", "organisation_results": "0", "citations_results": "0",
        "duplicates": s(flow.duplicates),
        "excluded_automatic": s(flow.excluded_automatic),
        "excluded_other": s(flow.excluded_other),
        "records_screened": s(flow.records_screened),
        "records_excluded": s(flow.records_excluded),
        "dbr_sought_reports": s(flow.dbr_sought_reports),
        "dbr_notretrieved_reports": s(flow.dbr_notretrieved_reports),
        "other_sought_reports": "0", "other_notretrieved_reports": "0",
        "dbr_assessed": s(flow.dbr_assessed),
        "dbr_excluded": encode_counts(flow.dbr_excluded, notes, "exclusion reason"),
        "other_assessed": "0", "other_excluded": "0",
        "new_studies": s(flow.new_studies), "new_reports": s(flow.new_reports),
        "total_studies": s(flow.new_studies), "total_reports": s(flow.new_reports),
    }


def render(flow: Flow, notes: list[str] | None = None) -> str:
    """The filled-in template as CSV text (the template's rows, columns and order)."""
    filled = values(flow, notes)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for row in template_rows():
        if row["data"] in filled:
            row["n"] = filled[row["data"]]
        w.writerow([row[c] for c in COLUMNS])
    return buf.getvalue()
