"""Clarivate Journal Citation Reports (JCR) exports, in CSV.

The shape, as JCR writes it (2021 onward, and the older "classic" export):

    "Journal Data Filtered By:  Selected JCR Year: 2023 Selected Editions: SCIE,SSCI ..."
    (a blank line)
    Journal name,JCR Abbreviation,Publisher,ISSN,eISSN,Category,Edition,Total Citations,2023 JIF,JIF Quartile,2023 JCI,% of OA Gold
    "CA-A CANCER JOURNAL FOR CLINICIANS","CA-CANCER J CLIN","WILEY","0007-9235","1542-4863","ONCOLOGY","SCIE","66,410","503.1","Q1","68.15","97.18"%,
    ...
    (a blank line)
    Copyright (c) 2024 Clarivate
    By exporting the selected data, you agree to the data usage policy ...

Quirks handled: the banner before the header (its ``JCR Year`` is used when
no column carries the year); the year inside the column name (``2023 JIF``;
each such column is one year); ``N/A`` (listed without a value) and ``<0.1``
(stored as 0.1 with the qualifier '<'); thousands separators (``1,234.5``);
``N/A`` in the ISSN columns; one row per journal *and* category (collapsed
to one journal; the values must agree); the ``"97.18"%,`` last cell with its
trailing comma; the copyright footer (which must come last: data after it
means two exports were pasted together, and is refused). The classic export
(``Full Journal Title,Total Cites,Journal Impact Factor``) has the year only in
its banner.
"""

from __future__ import annotations

import re

from review.errors import BadInput
from review.journals import JIF
from review.journals.model import JournalEntry, MetricValue, ParsedMetrics, cell_issns, cell_number, finish
from review.journals.table import TextFile, read_table, split_line

TITLE_COLUMNS = ("journal name", "full journal title", "journal title", "title")
ABBREV_COLUMNS = ("jcr abbreviation", "jcr abbreviated title", "abbreviated journal title",
                  "journal abbreviation")
ISSN_COLUMNS = ("issn", "print issn")
EISSN_COLUMNS = ("eissn", "e-issn", "electronic issn", "online issn")
PLAIN_JIF = ("journal impact factor", "impact factor", "jif")
_YEAR_JIF = re.compile(r"^(?:(\d{4})\s*jif|jif\s*(\d{4}))$", re.I)
_BANNER_YEAR = re.compile(r"JCR\s+Year:\s*(\d{4})", re.I)
_FOOTER = ("copyright", "by exporting")
HEADER_SEARCH = 15  # lines to look through for the header


def _cells(line: str) -> list[str]:
    sep = "\t" if "\t" in line and "," not in line else ","
    return [c.strip().lower() for c in split_line(line, sep)]


def jif_columns(names: list[str]) -> list[tuple[str, int | None]]:
    """(column, year or None) for each column holding a JIF."""
    out = []
    for n in names:
        m = _YEAR_JIF.match(n.strip())
        if m:
            out.append((n, int(m.group(1) or m.group(2))))
        elif n.strip().lower() in PLAIN_JIF:
            out.append((n, None))
    return out


def find_header(tf: TextFile) -> int | None:
    """Index of the header line (a journal-name column and a JIF column), or None."""
    for i, line in enumerate(tf.lines[:HEADER_SEARCH]):
        cells = _cells(line)
        if any(c in TITLE_COLUMNS for c in cells) and jif_columns(cells):
            return i
    return None


def looks_like(tf: TextFile) -> bool:
    """True for a JCR export (its header, or its banner)."""
    if find_header(tf) is not None:
        return True
    return any("journal data filtered by" in ln.lower() for ln in tf.lines[:3])


def _footer_line(text: str, *, after: bool = False) -> bool:
    """A line of the copyright footer (``after``: any line that may follow its start)."""
    t = text.strip().strip('"').strip().lower()
    return t.startswith(_FOOTER) or (after and ("clarivate" in t or "terms of use" in t))


def _pick(names: list[str], wanted: tuple[str, ...]) -> str | None:
    low = {n.lower(): n for n in names}
    return next((low[w] for w in wanted if w in low), None)


def read_jcr(tf: TextFile, *, year: int | None = None) -> ParsedMetrics:
    """Read a JCR export; ``year`` is used only when the file does not say."""
    h = find_header(tf)
    if h is None:
        first = next((i for i, ln in enumerate(tf.lines) if ln.strip()), 0)
        cells = _cells(tf.lines[first]) if tf.lines else []
        if any(c in TITLE_COLUMNS for c in cells):
            raise BadInput("no JIF column (expected e.g. '2023 JIF' or 'Journal Impact Factor'); "
                           f"the columns are: {', '.join(cells)}", where=tf.where(first + 1))
        raise BadInput("no JCR header: expected a line with 'Journal name' and a JIF column "
                       "such as '2023 JIF' within the first lines", where=tf.where(first + 1))
    sep = "\t" if "\t" in tf.lines[h] and "," not in tf.lines[h] else ","
    banner_year = next((int(m.group(1)) for ln in tf.lines[:h] if (m := _BANNER_YEAR.search(ln))), None)
    end = _footer_start(tf, h)
    table = read_table(tf, h, end, sep)
    names = table.columns
    title_col = _pick(names, TITLE_COLUMNS)
    abbrev_col = _pick(names, ABBREV_COLUMNS)
    issn_col = _pick(names, ISSN_COLUMNS)
    eissn_col = _pick(names, EISSN_COLUMNS)
    jifs = []
    for col, col_year in jif_columns(names):
        said = col_year or banner_year
        if said is None and year is None:
            raise BadInput(f"column {col!r} does not say which year it is and the file has no "
                           "'JCR Year' banner: pass --year", where=tf.where(h + 1))
        if said is not None and year is not None and said != year:
            raise BadInput(f"--year {year} but the file says {said} ({col!r})", where=tf.where(h + 1))
        jifs.append((col, said or year))
    entries: list[JournalEntry] = []
    for row, line in zip(table.rows, table.lines):
        if not any(v.strip() for v in row.values()):
            continue
        title = row[title_col].strip()
        if not title:
            raise BadInput("a row without a journal name", where=tf.where(line))
        if title.lower() == title_col.lower():
            raise BadInput("a second header row: two exports pasted into one file? Import them "
                           "one by one", where=tf.where(line))
        where = tf.where(line)
        issns = cell_issns(where, [(c, row[c], role) for c, role in
                                   ((issn_col, "print"), (eissn_col, "electronic")) if c])
        metrics = []
        for col, y in jifs:
            n = cell_number(where, col, row[col], "jcr")
            metrics.append(MetricValue(JIF, y, n.value, n.qualifier, n.raw, line))
        entries.append(JournalEntry(title, row[abbrev_col].strip() if abbrev_col else "", issns,
                                    "", metrics, line))
    return finish(tf.path, tf.sha256, "jcr", JIF, entries, tf.where(h + 2), "one row per category")


def _footer_start(tf: TextFile, header: int) -> int:
    """Index of the first footer line (or the end). Data after the footer is refused."""
    start = next((i for i in range(header + 1, len(tf.lines)) if _footer_line(tf.lines[i])),
                 len(tf.lines))
    for i in range(start, len(tf.lines)):
        ln = tf.lines[i]
        if ln.strip().strip(",") and not _footer_line(ln, after=True):
            raise BadInput(f"data after the copyright footer (line {start + 1}): the footer ends a "
                           "JCR export, so two exports were probably pasted together; import "
                           "them one by one", where=tf.where(i + 1))
    return start
