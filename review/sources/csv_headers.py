"""Which column of a record table holds which field: the one table of header
aliases, for plain CSV files and for the CSV exports of databases and
reference managers.

Header names are compared after ``header_key`` (lower case, byte-order mark,
quotes and surrounding space dropped, runs of space and '_' as one space), so
``Publication_Year``, ``publication year`` and ``"Publication Year"`` are one.

An exporter is recognised when its header carries the columns only it writes
(``signature``); its own aliases then come first and the generic ones only
fill fields it has no column for. Shapes: Springer Link search results,
IEEE Xplore, Scopus (older and 2023+ exports), PubMed "Save > CSV",
Embase "CSV - Fields by Column", Zotero "Export Collection > CSV".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from review.sources.table import sniff_delimiter

# field -> header names, best first. The fields (read by csv_table._record):
# id, title, authors, year, journal, journal_abbrev, volume, issue, pages,
# page_start, page_end, article_number, doi, pmid, abstract, issn, keywords,
# url, language, booktitle, entrytype (BibTeX-style type), pubtype
# (publication types), citation (a whole citation: Embase's Source,
# PubMed's Citation).
GENERIC: dict[str, tuple[str, ...]] = {
    "id": ("id", "record id"),
    "title": ("title", "document title", "item title", "article title", "primary title"),
    "authors": ("authors", "author", "author names", "author(s)"),
    "year": ("year", "publication year", "py", "pub year"),
    "journal": ("journal", "source title", "publication title", "journal title", "journal/book",
                "secondary title", "journal name", "publication", "source"),
    "volume": ("volume", "journal volume"),
    "issue": ("issue", "number", "journal issue"),
    "pages": ("pages", "page range", "page"),
    "page_start": ("start page", "page start", "first page"),
    "page_end": ("end page", "page end", "last page"),
    "doi": ("doi", "item doi"),
    "pmid": ("pmid", "pubmed id", "medline pmid"),
    "abstract": ("abstract", "abstract note"),
    "issn": ("issn", "isbn"),
    "keywords": ("keywords", "author keywords"),
    "url": ("url", "link"),
    "language": ("language",),
    "booktitle": ("booktitle",),
    "entrytype": ("entrytype", "type"),
    "pubtype": ("publication type", "document type"),
}


# fields that gather every listed column (the others take the first present)
MULTI = frozenset({"keywords"})


@dataclass(frozen=True)
class Exporter:
    """One exporter's CSV shape.

    ``signature``: headers that together say the file is this exporter's
    (all must be present). ``columns``: its own aliases, best first.
    ``authors``: how its author cell is packed (see fieldnorm.split_authors).
    ``database``: the source name its records get, if it is a database.
    """

    name: str
    signature: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]
    authors: str = "auto"
    database: str = ""


EXPORTERS: tuple[Exporter, ...] = (
    Exporter(
        "Springer", ("item title", "item doi", "content type"),
        {"title": ("item title",), "journal": ("publication title",), "booktitle": ("book series title",),
         "volume": ("journal volume",), "issue": ("journal issue",), "doi": ("item doi",),
         "authors": ("authors",), "year": ("publication year",), "url": ("url",),
         "pubtype": ("content type",)},
        authors="joined", database="Springer"),
    Exporter(
        "IEEE Xplore", ("document title", "publication title", "pdf link"),
        {"title": ("document title",), "authors": ("authors",), "journal": ("publication title",),
         "year": ("publication year",), "volume": ("volume",), "issue": ("issue",),
         "page_start": ("start page",), "page_end": ("end page",), "abstract": ("abstract",),
         "issn": ("issn",), "doi": ("doi",), "url": ("pdf link",),
         "keywords": ("author keywords", "ieee terms"), "pubtype": ("document identifier",)},
        database="IEEE Xplore"),
    Exporter(
        "Scopus", ("title", "source title", "eid"),
        {"title": ("title",), "authors": ("authors",), "year": ("year",), "journal": ("source title",),
         "journal_abbrev": ("abbreviated source title",), "volume": ("volume",), "issue": ("issue",),
         "page_start": ("page start",), "page_end": ("page end",), "article_number": ("art. no.",),
         "doi": ("doi",), "url": ("link",), "abstract": ("abstract",),
         "keywords": ("author keywords", "index keywords"), "issn": ("issn",), "pmid": ("pubmed id",),
         "language": ("language of original document",), "pubtype": ("document type",)},
        authors="comma", database="Scopus"),
    Exporter(
        "PubMed", ("pmid", "citation", "first author", "journal/book"),
        {"pmid": ("pmid",), "title": ("title",), "authors": ("authors",), "citation": ("citation",),
         "journal": ("journal/book",), "year": ("publication year",), "doi": ("doi",)},
        authors="comma", database="PubMed"),
    Exporter(
        "Embase", ("title", "author names"),
        {"title": ("title",), "authors": ("author names",), "journal": ("source title",),
         "citation": ("source",), "year": ("publication year",), "volume": ("volume",),
         "issue": ("issue",), "page_start": ("first page",), "page_end": ("last page",),
         "issn": ("issn",), "abstract": ("abstract",), "doi": ("doi",), "pmid": ("medline pmid",),
         "keywords": ("author keywords", "emtree medical index terms", "emtree drug index terms"),
         "language": ("article language",), "url": ("full text link", "embase link"),
         "pubtype": ("publication type",)},
        authors="comma", database="Embase"),
    Exporter(
        "Zotero", ("key", "item type", "publication year", "abstract note"),
        {"title": ("title",), "authors": ("author",), "year": ("publication year",),
         "journal": ("publication title",), "journal_abbrev": ("journal abbreviation",),
         "volume": ("volume",), "issue": ("issue",), "pages": ("pages",), "doi": ("doi",),
         "issn": ("issn",), "url": ("url",), "abstract": ("abstract note",), "language": ("language",),
         "keywords": ("manual tags", "automatic tags"), "pubtype": ("item type",), "pmid": ("extra",),
         "entrytype": ()}),
)


def header_key(name: str) -> str:
    """A header name as the alias table writes it."""
    return re.sub(r"[\s_]+", " ", name.replace("\ufeff", "").strip().strip('"').strip()).lower()


@dataclass(frozen=True)
class ColumnMap:
    """Where each field is read from: field -> column indexes (best first)."""

    exporter: Exporter | None
    indexes: dict[str, tuple[int, ...]]
    header: tuple[str, ...]

    def used(self) -> dict[str, str]:
        """field -> the header name(s) it is read from, as the file writes them."""
        return {f: " + ".join(self.header[i] for i in ix) for f, ix in self.indexes.items()}

    def ignored(self) -> list[str]:
        """Header names of the columns no field reads."""
        taken = {i for ix in self.indexes.values() for i in ix}
        return [h for i, h in enumerate(self.header) if i not in taken and h.strip()]


def recognise(keys: list[str]) -> Exporter | None:
    """The exporter whose signature columns are all in the header, if any."""
    have = set(keys)
    for exp in EXPORTERS:
        if all(s in have for s in exp.signature):
            return exp
    return None


def map_columns(header: list[str]) -> ColumnMap:
    """The fields this header's columns hold (its exporter's aliases first)."""
    keys = [header_key(h) for h in header]
    first: dict[str, int] = {}
    for i, k in enumerate(keys):
        first.setdefault(k, i)
    exp = recognise(keys)
    indexes: dict[str, tuple[int, ...]] = {}
    if exp is not None:
        for f, names in exp.columns.items():
            found = tuple(first[n] for n in names if n in first)
            if found:
                indexes[f] = found if f in MULTI else found[:1]
    for f, names in GENERIC.items():
        if f in indexes or (exp is not None and f in exp.columns):
            continue
        found = tuple(first[n] for n in names if n in first)
        if found:
            indexes[f] = found[:1]
    return ColumnMap(exp, indexes, tuple(h.replace("\ufeff", "").strip() for h in header))


def has_title_column(line: str) -> bool:
    """True when a header line (delimiter sniffed) names a title column of any exporter."""
    cells = next(csv.reader([line], delimiter=sniff_delimiter(line)), [])
    return "title" in map_columns(cells).indexes
