"""Source commands: ``review import FILE...`` and ``review records``."""

from __future__ import annotations

import sys

import click

from review.cli.common import command, emit_json, json_option, project_db
from review.formats import FORMAT_NAMES

PROGRESS_MIN = 5000  # records: below this no progress bar


def _coverage_line(cov: dict[str, int]) -> str:
    n = cov["records"]
    parts = [f"{label} {cov[key]}/{n}" for key, label in
             (("title", "title"), ("authors", "authors"), ("abstract", "abstract"), ("doi", "DOI"), ("year", "year"), ("issn", "ISSN"), ("pmid", "PMID"))]
    return "  has: " + ", ".join(parts)


FIELD_LABELS = {"id": "record id", "journal_abbrev": "journal abbreviation", "page_start": "first page",
                "page_end": "last page", "article_number": "article number", "entrytype": "entry type",
                "pubtype": "publication type", "citation": "citation (journal, volume, issue, pages)"}


def _columns_line(exporter: str, columns: dict[str, str], ignored: list[str]) -> str:
    """Which CSV columns were read as which field (and by whose header)."""
    read = ", ".join(f"{col} -> {FIELD_LABELS.get(f, f)}" for f, col in columns.items())
    made = f"{exporter} CSV export (known from its header); " if exporter else ""
    rest = f"; {len(ignored)} other column{'s' if len(ignored) != 1 else ''} not read" if ignored else ""
    return f"  {made}columns read: {read}{rest}"


def _skipped_line(count: int, numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers)) + (", ..." if count > len(numbers) else "")
    noun = "record" if count == 1 else "records"
    return f"  skipped {count} empty {noun} (no title, abstract, authors, DOI or PMID): {noun} {shown}"


REFUSED_SHOWN = 10


def _refused_lines(refused: list[str]) -> str:
    """The broken entries left out of a file, one a line (the first REFUSED_SHOWN)."""
    noun = "entry" if len(refused) == 1 else "entries"
    lines = [f"  refused {len(refused)} broken {noun} (not imported; the rest of the file was):"]
    lines += [f"    {r}" for r in refused[:REFUSED_SHOWN]]
    if len(refused) > REFUSED_SHOWN:
        lines.append(f"    ... and {len(refused) - REFUSED_SHOWN} more")
    return "\n".join(lines)


def register(main: click.Group) -> None:
    @command(main, "import")
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
    @click.option("--source", default=None, metavar="NAME",
                  help="Database the files came from (default: from the format or content: "
                       "CNKI, Wanfang, PubMed, Embase, Scopus ..., else the file name).")
    @click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default="auto", show_default=True,
                  help="Export format; 'auto' tells it from the content.")
    @click.option("--encoding", default=None, metavar="NAME",
                  help="The files' text encoding (e.g. gb18030, latin-1, cp1252, shift_jis) when it is not "
                       "UTF-8/UTF-16 and the tool cannot be sure of it; decoded strictly, never guessed.")
    @json_option
    def import_cmd(files: tuple[str, ...], source: str | None, fmt: str, encoding: str | None,
                   as_json: bool) -> None:
        """Import records from export FILES (RIS, MEDLINE, PubMed XML, EndNote XML,
        EndNote tagged, BibTeX, Web of Science, CSV, CNKI, Wanfang).

        All files are parsed first and stored in one transaction: a bad file
        changes nothing (a BibTeX entry that cannot be read is left out and
        listed; the rest of its file is imported). Importing the same file
        again adds nothing.

        \b
        Example:
          review import embase.ris cnki_export.txt --source Embase
          review import old_export.txt --encoding latin-1
        """
        from review.importer import parse_files, protocol_source_names, store_files

        with project_db() as conn:
            parsed = parse_files(files, fmt, source, protocol_source_names(conn), encoding)
            total = sum(len(p.records) for p in parsed)
            if total >= PROGRESS_MIN and sys.stderr.isatty():
                with click.progressbar(length=total, label="storing records", file=sys.stderr) as bar:
                    results = store_files(conn, parsed, progress=bar.update)
            else:
                results = store_files(conn, parsed)
        totals = {k: sum(getattr(r, k) for r in results) for k in ("found", "added", "already_present")}
        if as_json:
            emit_json({"files": [r.to_json() for r in results], "total": totals})
            return
        for r in results:
            click.echo(f"{r.file} ({r.format}, source {r.source}): {r.found} records, "
                       f"{r.added} added, {r.already_present} already present")
            if r.already_imported:
                click.echo("  this file was imported before: nothing changed")
            if r.skipped_empty:
                click.echo(_skipped_line(r.skipped_empty, r.skipped_records))
            if r.refused:
                click.echo(_refused_lines(r.refused))
            click.echo(_coverage_line(r.coverage))
            if r.columns:
                click.echo(_columns_line(r.exporter, r.columns, r.columns_ignored))
        if len(results) > 1:
            click.echo(f"total: {totals['found']} records, {totals['added']} added, "
                       f"{totals['already_present']} already present")

    @command(main, "records")
    @json_option
    def records_cmd(as_json: bool) -> None:
        """List the project's records (id, year, source, PMID or DOI, title).

        Columns are sized by display width; anything cut is marked with "…".

        \b
        Example:
          review records
          review records --json > records.json
        """
        from review.db.records import list_records

        with project_db() as conn:
            rows = list_records(conn)
        if as_json:
            emit_json(rows)
            return
        click.echo(format_records(rows))


SOURCE_MAX = 24  # display cells for the source column at most
IDENT_MAX = 40  # and for PMID/DOI
TITLE_MIN = 30


def format_records(rows: list[dict], width: int | None = None) -> str:
    """A plain-text table of records for the terminal (``dup of`` names the
    record a duplicate is grouped with, once `review dedup` has run).

    Columns are sized by display width (a CJK character takes two cells);
    anything cut is marked with "…". ``width``: cells for the title (default:
    what the terminal has left, at least TITLE_MIN; titles are not cut when
    the output is not a terminal)."""
    from review.textwidth import display_width, fit

    if not rows:
        return "no records yet (review import FILE... or review search pubmed)"
    idents = [f"pmid:{r['pmid']}" if r["pmid"] else (r["doi"] or "") for r in rows]
    src_w = min(SOURCE_MAX, max([display_width("source"), *(display_width(r["source"]) for r in rows)]))
    id_w = min(IDENT_MAX, max([display_width("PMID/DOI"), *map(display_width, idents)]))
    fixed = 6 + 2 + 6 + 2 + 4 + 2 + src_w + 2 + id_w + 2
    if width is None and sys.stdout.isatty():
        import shutil

        width = max(TITLE_MIN, shutil.get_terminal_size((120, 24)).columns - fixed - 1)
    lines = [f"{'id':>6}  {'dup of':>6}  {'year':4}  {fit('source', src_w)}  {fit('PMID/DOI', id_w)}  title"]
    for r, ident in zip(rows, idents):
        dup = r.get("group_id")
        dup = "" if dup in (None, r["id"]) else str(dup)
        title = r["title"] or "(no title)"
        title = fit(title, width).rstrip() if width else title
        lines.append(f"{r['id']:>6}  {dup:>6}  {r['year'] or '':4}  {fit(r['source'], src_w)}  "
                     f"{fit(ident, id_w)}  {title}")
    n_dup = sum(1 for r in rows if r.get("group_id") not in (None, r["id"]))
    lines.append(f"{len(rows)} records" + (f", {n_dup} of them duplicates of another" if n_dup else ""))
    return "\n".join(lines)
