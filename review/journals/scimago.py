"""SCImago Journal & Country Rank downloads (``scimagojr 2023.csv``).

The shape, as scimagojr.com writes it:

    Rank;Sourceid;Title;Type;Issn;SJR;SJR Best Quartile;H index;Total Docs. (2023);Total Docs. (3years);Total Refs.;Total Cites (3years);Citable Docs. (3years);Cites / Doc. (2years);Ref. / Doc.;%Female;Overton;SDG;Country;Region;Publisher;Coverage;Categories;Areas
    1;28773;"Ca-A Cancer Journal for Clinicians";journal;"15424863, 00079235";62,937;Q1;168;47;119;3452;15499;80;126,34;73,45;...

Quirks handled: semicolons between cells; decimal commas; ISSNs without
hyphens, several in one quoted cell, ``-`` when none; the year only in a column
name (``Total Docs. (2023)``) or the file name. The figure stored is
``Cites / Doc. (2years)`` (citations in the year to items of the two years
before, per document: the JIF's construction on Scopus data), as kind
``sjr_cites_per_doc_2y``. A SCImago file re-saved with commas between cells,
or with decimal points, is refused rather than read wrongly.
"""

from __future__ import annotations

import re
from pathlib import Path

from review.errors import BadInput
from review.journals import SJR_CITES
from review.journals.model import JournalEntry, MetricValue, ParsedMetrics, cell_issns, cell_number, finish
from review.journals.table import TextFile, read_table, split_line

VALUE_COLUMN = "Cites / Doc. (2years)"
REQUIRED = ("Title", "Issn", VALUE_COLUMN)
_YEAR_COLUMN = re.compile(r"^Total Docs\. \((\d{4})\)$")
_FILE_YEAR = re.compile(r"scimagojr[ _-]*(\d{4})", re.I)


def looks_like(tf: TextFile) -> bool:
    """True for a SCImago download (also one re-saved with commas: refused later)."""
    head = tf.lines[0].lower() if tf.lines else ""
    return "sourceid" in head and "issn" in head


def read_scimago(tf: TextFile, *, year: int | None = None) -> ParsedMetrics:
    header = tf.lines[0]
    if ";" not in header and "," in header:
        raise BadInput("a SCImago file with commas between cells: it was re-saved by a "
                       "spreadsheet, which also changes its numbers; download it again from "
                       "scimagojr.com and import it as it comes", where=tf.where(1))
    names = [c.strip() for c in split_line(header, ";")]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise BadInput(f"not a SCImago download: no column {', '.join(map(repr, missing))} "
                       f"(the columns are: {'; '.join(names)})", where=tf.where(1))
    said = next((int(m.group(1)) for n in names if (m := _YEAR_COLUMN.match(n))), None)
    if said is None:
        m = _FILE_YEAR.search(Path(tf.path).name)
        said = int(m.group(1)) if m else None
    if said is None and year is None:
        raise BadInput("the file does not say its year (no 'Total Docs. (YEAR)' column, no "
                       "'scimagojr YEAR' file name): pass --year", where=tf.where(1))
    if said is not None and year is not None and said != year:
        raise BadInput(f"--year {year} but the file says {said}", where=tf.where(1))
    y = said or year
    table = read_table(tf, 0, len(tf.lines), ";")
    entries: list[JournalEntry] = []
    for row, line in zip(table.rows, table.lines):
        if not any(v.strip() for v in row.values()):
            continue
        title = row["Title"].strip()
        if not title:
            raise BadInput("a row without a title", where=tf.where(line))
        where = tf.where(line)
        issns = cell_issns(where, [("Issn", row["Issn"], "other")])
        n = cell_number(where, VALUE_COLUMN, row[VALUE_COLUMN], "scimago")
        entries.append(JournalEntry(title, "", issns, "",
                                    [MetricValue(SJR_CITES, y, n.value, n.qualifier, n.raw, line)], line))
    return finish(tf.path, tf.sha256, "scimago", SJR_CITES, entries, tf.where(2), "the same title and ISSNs")
