"""`review search pubmed`: run the protocol's PubMed search through E-utilities."""

from __future__ import annotations

import sys

import click

from review.cli.common import command, emit_json, json_option, project_db


def register(main: click.Group) -> None:
    @main.group("search")
    def search_group() -> None:
        """Search bibliographic databases and store what they return."""

    @command(search_group, "pubmed")
    @click.option("--query", default=None, help="PubMed query (default: the protocol's sources.pubmed.query).")
    @click.option("--mindate", default=None, metavar="YYYY/MM/DD",
                  help="Earliest publication date (default: the protocol's, else PubMed's beginning).")
    @click.option("--maxdate", default=None, metavar="YYYY/MM/DD",
                  help="Latest publication date (default: the protocol's, else today).")
    @click.option("--max", "max_records", type=click.IntRange(min=1), default=None,
                  help="Fetch at most N records (for a trial run).")
    @click.option("--resume", is_flag=True,
                  help="Resume the latest unfinished search with this query (also one left 'running' by a crash).")
    @json_option
    def pubmed_cmd(query: str | None, mindate: str | None, maxdate: str | None,
                   max_records: int | None, resume: bool, as_json: bool) -> None:
        """Search PubMed and store the records (idempotent, resumable).

        \b
        Environment: NCBI_EMAIL, NCBI_API_KEY (10 requests/s instead of 3),
        REVIEW_EUTILS_URL (mirror/test base URL), REVIEW_EUTILS_RATE,
        REVIEW_EUTILS_GIVE_UP (seconds before exit 3), REVIEW_EUTILS_BACKOFF,
        REVIEW_EUTILS_TIMEOUT. While NCBI cannot be reached, each failed try
        prints a line (stderr) with the next try's time and when it gives up.
        A failed or interrupted search is resumed automatically by the same
        command: records already fetched are not fetched again, and neither
        are records an earlier search stored. SIGTERM/SIGHUP are handled like Ctrl-C; a search left
        'running' by a killed process (same host) is resumed the same way.
        While another live process runs the same search the command exits 1.

        \b
        Example:
          review search pubmed
          review search pubmed --query 'CAR-T[tiab]' --mindate 2015/01/01 --max 200
        """
        from review.project import project_protocol
        from review.sources.eutils import EutilsClient
        from review.sources.pubmed import Terminated, protocol_search, run_search

        bar = _Progress()
        with project_db() as conn:
            query, mindate, maxdate, datetype = protocol_search(project_protocol(conn), query, mindate, maxdate)
            client = EutilsClient(on_retry=lambda retry: click.echo(retry.message(), err=True))
            try:
                out = run_search(conn, client, query=query, mindate=mindate, maxdate=maxdate,
                                 datetype=datetype, max_records=max_records, resume=resume,
                                 progress=bar)
            except Terminated as exc:
                bar.close()
                click.echo(f"review: {exc}; the search is marked interrupted: run the same command"
                           " again to resume", err=True)
                sys.exit(128 + exc.signum)
            finally:
                bar.close()
                client.close()
        if as_json:
            emit_json(out.as_dict())
            return
        verb = "resumed search" if out.resumed else "search"
        click.echo(f"PubMed {verb} {out.search_id}: {out.count_reported} hits for {out.query!r} "
                   f"({out.mindate}-{out.maxdate}, {len(out.windows)} window(s))")
        click.echo(f"fetched {out.count_fetched}, added {out.added}, already stored {out.already_present}"
                   f" ({out.requests} requests, {out.retries} retries)")
        if out.not_refetched:
            click.echo(f"{out.not_refetched} PMID(s) stored by an earlier search were linked to this one, not fetched again")
        if out.missing_pmids:
            click.echo(f"{len(out.missing_pmids)} listed PMID(s) were not returned by efetch: "
                       + ", ".join(out.missing_pmids[:10]))


class _Progress:
    """Progress on stderr: a click progress bar once the fetch size is known."""

    def __init__(self) -> None:
        self._bar = None
        self._pos = 0

    def __call__(self, message: str, done: int, total: int) -> None:
        if message != "fetch":
            click.echo(message, err=True)
            return
        if self._bar is None:
            self._bar = click.progressbar(length=total, label="fetching", file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._pos)
        self._pos = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
