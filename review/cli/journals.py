"""`review journals`: journal metrics for the impact-factor rule.

\b
  review journals import JCR_2023.csv            a Clarivate JCR export (CSV)
  review journals import "scimagojr 2023.csv"    a SCImago download
  review journals import mine.csv --kind jif     journal,issn,eissn,metric,year
  review journals fetch                          fill gaps from OpenAlex (by ISSN)
  review journals unmatched                      journals with no metric, most records first
  review journals show                           what is stored; how records match
  review journals match 42                       how record 42 found its metric

JCR data may not be shipped with review: bring your own export. See
docs/journals.md for the formats and the matching order.
"""

from __future__ import annotations

import sys

import click

from review.cli.common import command, db_path, emit_json, json_option


def _with_db(fn):
    """fn(conn) on the project database, closed whatever happens."""
    from review.db import open_db

    conn = open_db(db_path())
    try:
        return fn(conn)
    finally:
        conn.close()


def _value(m: dict) -> str:
    return f"{m['qualifier']}{m['value']:g}"


def register(main: click.Group) -> None:
    @main.group("journals", help=__doc__)
    def journals_group() -> None:
        pass

    @command(journals_group, "import")
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
    @click.option("--format", "fmt", type=click.Choice(["auto", "jcr", "scimago", "csv"]),
                  default="auto", show_default=True, help="File format; 'auto' tells it from the content.")
    @click.option("--year", type=click.IntRange(1900, 2100), default=None,
                  help="The metric year, for files that do not say it (a JCR export without its "
                       "banner, a CSV without a year column).")
    @click.option("--kind", type=click.Choice(["user", "jif", "sjr_cites_per_doc_2y",
                                               "openalex_2yr_mean_citedness"]), default=None,
                  help="What a plain CSV's figures are (default: user).")
    @json_option
    def import_cmd(files: tuple[str, ...], fmt: str, year: int | None, kind: str | None,
                   as_json: bool) -> None:
        """Import journal metric FILES (JCR export, SCImago download, plain CSV).

        All files are read first and stored in one transaction: a bad file
        (exit 2, naming the file and line) stores nothing. The same file
        imported again changes nothing; a newer file adds its values, and the
        lookup uses the latest year.

        \b
        Examples:
          review journals import JCR_JournalResults_2023.csv
          review journals import "scimagojr 2023.csv" --json
          review journals import figures.csv --kind jif --year 2023
        """
        from review.journals.importer import import_metric_files

        results = _with_db(lambda conn: import_metric_files(conn, files, fmt=fmt, year=year, kind=kind))
        if as_json:
            emit_json({"files": [r.to_json() for r in results]})
            return
        for r in results:
            years = ", ".join(map(str, r.years))
            if r.already_imported:
                click.echo(f"{r.file} ({r.format}): imported before (import {r.import_id}): nothing changed")
                continue
            click.echo(f"{r.file} ({r.format}, {r.kind} {years}): {r.rows} rows, {r.journals} journals "
                       f"({r.new_journals} new), {r.metrics} values stored"
                       + (f", {r.without_value} listed without a value (N/A)" if r.without_value else ""))
            for note in r.notes:
                click.echo(f"  {note}")

    @command(journals_group, "fetch")
    @click.option("--refresh", is_flag=True,
                  help="Ask again for ISSNs already asked, and for journals whose metric came from OpenAlex.")
    @json_option
    def fetch_cmd(refresh: bool, as_json: bool) -> None:
        """Fill gaps from OpenAlex: its 2-year mean citedness (CC0) for journals
        with no metric, asked by ISSN.

        Not a Journal Impact Factor (see docs/journals.md); used only where no
        file gives a figure. Answers are cached in the project: a journal asked
        once is not asked again unless --refresh.

        \b
        Environment: OPENALEX_EMAIL (else NCBI_EMAIL) for OpenAlex's polite pool,
        OPENALEX_API_KEY, REVIEW_OPENALEX_URL (mirror/test base URL),
        REVIEW_OPENALEX_RATE (requests/s, default 5), REVIEW_OPENALEX_GIVE_UP
        (seconds before exit 3, default 300), REVIEW_OPENALEX_BACKOFF,
        REVIEW_OPENALEX_TIMEOUT.

        \b
        Examples:
          OPENALEX_EMAIL=you@example.org review journals fetch
          review journals fetch --refresh --json
        """
        from review.journals.fetch import fetch_gaps
        from review.journals.openalex import OpenAlexClient

        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty():
                click.echo(f"\rOpenAlex: {done}/{total} ISSNs", nl=done == total, err=True)

        client = OpenAlexClient()
        try:
            r = _with_db(lambda conn: fetch_gaps(conn, client, refresh=refresh, progress=progress))
        finally:
            client.close()
        if as_json:
            emit_json(r.to_json())
            return
        click.echo(f"{r.gaps_before} records (one per duplicate group) had no metric; "
                   f"{r.no_issn} of them have no ISSN to ask by")
        click.echo(f"asked OpenAlex for {r.asked} ISSNs ({r.requests} requests, {r.retries} retries); "
                   f"{r.from_cache} answered from the cache")
        if r.journals:
            click.echo(f"stored {r.metrics} OpenAlex figures ({r.year}) for {r.journals} journals"
                       + (f", {r.without_value} without a value (0 or none)" if r.without_value else ""))
        if r.unknown:
            click.echo(f"OpenAlex does not know {len(r.unknown)} ISSNs: {', '.join(r.unknown[:10])}"
                       + (" ..." if len(r.unknown) > 10 else ""))
        if r.ambiguous:
            click.echo(f"{r.ambiguous} journals' ISSNs lead to OpenAlex sources with different figures: not stored")
        click.echo(f"{r.gaps_after} records still have no metric (review journals unmatched)")

    @command(journals_group, "unmatched")
    @click.option("--limit", type=click.IntRange(min=1), default=None, help="Show only the first N journals.")
    @json_option
    def unmatched_cmd(limit: int | None, as_json: bool) -> None:
        """List journals, as the records name them, that have no metric, most
        records first (one record per duplicate group), with the reason:
        unmatched, no_value (listed as N/A), ambiguous (several journals fit
        with different values) or no_journal.

        \b
        Examples:
          review journals unmatched --limit 20
          review journals unmatched --json
        """
        from review.journals.report import unmatched

        rows = _with_db(unmatched)
        rows = rows[:limit] if limit else rows
        if as_json:
            emit_json(rows)
            return
        if not rows:
            click.echo("every record's journal has a metric")
            return
        click.echo(f"{'records':>7}  {'reason':<10}  journal")
        for g in rows:
            issns = f" [{', '.join(g['issns'])}]" if g["issns"] else ""
            click.echo(f"{g['records']:>7}  {g['reason']:<10}  {g['journal'] or '(no journal name)'}{issns}")
            if g["reason"] == "ambiguous":
                click.echo(f"{'':>21}{g['detail']}")

    @command(journals_group, "show")
    @json_option
    def show_cmd(as_json: bool) -> None:
        """Show the imported metric files and fetches, and how the project's
        records match them (by which key; why not).

        \b
        Example:
          review journals show --json
        """
        from review.journals.report import show

        doc = _with_db(show)
        if as_json:
            emit_json(doc)
            return
        if not doc["imports"]:
            click.echo("no journal metrics yet (review journals import FILE, review journals fetch)")
        for i in doc["imports"]:
            years = ", ".join(map(str, i["years"]))
            click.echo(f"import {i['id']}: {i['file']} ({i['format']}, {i['kind']} {years}): "
                       f"{i['journals']} journals, {i['metrics']} values; {i['imported_at'][:19]} by {i['actor']}")
        s, m = doc["stored"], doc["matching"]
        click.echo(f"stored: {s['journals']} journals, {s['metrics']} values "
                   f"({s['metrics_without_value']} without a value), {s['openalex_cached_issns']} ISSNs in the OpenAlex cache")
        by = ", ".join(f"{k} {v}" for k, v in m["matched_by"].items() if v)
        why = ", ".join(f"{k} {v}" for k, v in m["without_metric"].items() if v)
        click.echo(f"records (one per duplicate group): {m['units']}; with a metric {m['with_metric']}"
                   + (f" (by {by})" if by else ""))
        if why:
            click.echo(f"without: {why}")

    @command(journals_group, "match")
    @click.argument("record", type=int)
    @json_option
    def match_cmd(record: int, as_json: bool) -> None:
        """Explain how RECORD (an id from `review records`; it stands for its
        duplicate group) found its journal metric, or why it found none.

        \b
        Example:
          review journals match 42
        """
        from review.journals.report import explain

        doc = _with_db(lambda conn: explain(conn, record))
        if as_json:
            emit_json(doc)
            return
        m = doc["match"]
        ids = ", ".join(f"{i['field']} {i['value']}" for i in doc["identifiers"]) or "none"
        names = "; ".join(f"{n['field']} {n['value']!r}" for n in doc["names"]) or "none"
        click.echo(f"record {record} (group {', '.join(map(str, doc['group']))}): identifiers {ids}; names {names}")
        if m["value"] is not None:
            where = f"{m['source']}" + (f" line {m['line']}" if m["line"] else "")
            click.echo(f"metric {_value(m)} ({m['kind']} {m['year']}) from {where}; matched by "
                       f"{m['matched_by']} {m['key']!r} to {m['journal']!r}")
        else:
            click.echo(f"no metric: {m['reason']}" + (f" ({m['detail']})" if m["detail"] else ""))
        for j in doc["journals"]:
            click.echo(f"  {j['title']} [{', '.join(j['issns'])}]")
            for x in j["metrics"]:
                v = "no value" if x["value"] is None else _value(x)
                click.echo(f"    {x['kind']} {x['year']}: {v}  ({x['source']}"
                           + (f" line {x['line']})" if x["line"] else ")"))
