"""A plain CSV of journal metrics, for figures from anywhere else.

    journal,issn,eissn,metric,year
    Journal of Hematology & Oncology,1756-8722,,29.5,2023

Column names are matched without regard to case, spaces, hyphens or
underscores; ``journal`` (or ``title``), ``issn``, ``eissn``, ``metric`` (or
``value``, ``jif``, ``impact factor``) and ``year`` are understood, and
optionally ``abbrev``, ``issn_l`` and ``nlm_id``. Each row needs a journal
name or an ISSN. ``year`` may be left out when ``--year`` is given. Numbers
use a decimal point (a decimal comma only in a file separated by semicolons);
``N/A`` or a blank means listed without a value, ``<0.1`` is kept with its '<'.
The kind stored is ``user`` unless ``--kind`` says otherwise.
"""

from __future__ import annotations

import re

from review.errors import BadInput
from review.journals import USER
from review.journals.model import JournalEntry, MetricValue, ParsedMetrics, cell_issns, cell_number, finish
from review.journals.table import TextFile, read_table

ALIASES = {
    "journal": ("journal", "title", "journal name", "journal title", "name", "source title"),
    "abbrev": ("abbrev", "abbreviation", "journal abbrev", "journal abbreviation", "iso abbreviation"),
    "issn": ("issn", "print issn", "issn print", "pissn", "p issn"),
    "eissn": ("eissn", "e issn", "issn electronic", "electronic issn", "online issn"),
    "issnl": ("issn l", "issnl", "linking issn", "issn linking"),
    "nlm": ("nlm id", "nlmid", "nlm unique id", "nlm"),
    "metric": ("metric", "value", "jif", "impact factor", "journal impact factor", "if"),
    "year": ("year", "metric year", "jif year"),
}
_SPACES = re.compile(r"[\s_\-]+")
_YEAR = re.compile(r"^(19|20)\d\d$")


def _norm(name: str) -> str:
    return _SPACES.sub(" ", name.strip().lower()).strip()


def looks_like(tf: TextFile) -> bool:
    cols = _columns(tf.lines[0] if tf.lines else "", _sep(tf.lines[0] if tf.lines else ""))
    return "metric" in cols and ("journal" in cols or "issn" in cols or "eissn" in cols)


def _sep(header: str) -> str:
    if "\t" in header:
        return "\t"
    return ";" if ";" in header and "," not in header else ","


def _columns(header: str, sep: str) -> dict[str, str]:
    """Our field -> the file's column name."""
    from review.journals.table import split_line

    names = [c.strip() for c in split_line(header, sep)]
    out = {}
    for field, aliases in ALIASES.items():
        for n in names:
            if _norm(n) in aliases and field not in out:
                out[field] = n
    return out


def read_plain(tf: TextFile, *, year: int | None = None, kind: str = USER) -> ParsedMetrics:
    sep = _sep(tf.lines[0])
    cols = _columns(tf.lines[0], sep)
    if "metric" not in cols or not ({"journal", "issn", "eissn"} & cols.keys()):
        raise BadInput("the header needs a 'metric' column and a 'journal' or 'issn' column "
                       "(journal, issn, eissn, metric, year); found: " + tf.lines[0].strip(),
                       where=tf.where(1))
    if "year" not in cols and year is None:
        raise BadInput("no 'year' column: add one or pass --year", where=tf.where(1))
    style = "plain_comma" if sep == ";" else "plain"
    table = read_table(tf, 0, len(tf.lines), sep)
    entries = []
    for row, line in zip(table.rows, table.lines):
        if not any(v.strip() for v in row.values()):
            continue
        def get(field: str, row=row) -> str:
            return row[cols[field]].strip() if field in cols else ""

        where = tf.where(line)
        issns = cell_issns(where, [(cols[f], get(f), role) for f, role in
                                   (("issn", "print"), ("eissn", "electronic"), ("issnl", "linking"))
                                   if f in cols])
        title = get("journal")
        if not title and not issns:
            raise BadInput("a row with neither a journal name nor an ISSN", where=tf.where(line))
        y = get("year")
        if y:
            if not _YEAR.match(y):
                raise BadInput(f"column {cols['year']!r}: {y!r} is not a year", where=tf.where(line))
            y = int(y)
        elif year is not None:
            y = year
        else:
            raise BadInput("no year on this row: fill it in or pass --year", where=tf.where(line))
        n = cell_number(where, cols["metric"], get("metric"), style)
        entries.append(JournalEntry(title, get("abbrev"), issns, get("nlm"),
                                    [MetricValue(kind, y, n.value, n.qualifier, n.raw, line)], line))
    return finish(tf.path, tf.sha256, "csv", kind, entries, tf.where(2), "the same title and ISSNs")
