"""`review prisma`: the PRISMA 2020 counts, CSV and flow diagram, and the
PRISMA-S search summary, all computed from the project."""

from __future__ import annotations

import click

from review.cli.common import command, db_path, emit_json, json_option


def register(main: click.Group) -> None:
    @command(main, "prisma")
    @click.option("--csv", "csv_out", type=click.Path(dir_okay=False), metavar="FILE",
                  help="Write the PRISMA2020 R package's CSV template, filled in.")
    @click.option("--svg", "svg_out", type=click.Path(dir_okay=False), metavar="FILE",
                  help="Write the PRISMA 2020 flow diagram (SVG, A4).")
    @click.option("--search-summary", is_flag=True,
                  help="Print the PRISMA-S search summary (items 1, 8, 9, 13, 15, 16) instead.")
    @json_option
    def prisma_cmd(csv_out: str | None, svg_out: str | None, search_summary: bool, as_json: bool) -> None:
        """PRISMA 2020 counts from the project's searches, duplicates and decisions.

        Every number comes from the project (nothing is typed in). Units still
        undecided or in conflict are listed under 'pending': the PRISMA
        identities hold once nothing is pending.

        \b
        Examples:
          review prisma
          review prisma --json
          review prisma --csv exports/prisma.csv --svg exports/prisma.svg
          review prisma --search-summary

        In R: PRISMA_flowdiagram(PRISMA_data(read.csv("exports/prisma.csv")),
        previous = FALSE, other = FALSE).
        """
        from review import __version__
        from review.clock import now
        from review.db import open_db
        from review.errors import BadInput
        from review.prisma import csv_template, folder_of, svg, write_atomic
        from review.prisma.counts import compute
        from review.prisma.text import format_text
        from review.project import project_protocol

        if search_summary and (csv_out or svg_out):
            raise BadInput("--search-summary prints the PRISMA-S summary alone: run --csv/--svg separately")
        conn = open_db(db_path())
        try:
            protocol = project_protocol(conn)
            if search_summary:
                from review.prisma.search_summary import format_text as summary_text
                from review.prisma.search_summary import summarise

                doc = summarise(conn, protocol)
                emit_json(doc) if as_json else click.echo(summary_text(doc))
                return
            flow = compute(conn, protocol)
        finally:
            conn.close()
        outputs = []
        if csv_out:
            outputs.append((csv_out, csv_template.render(flow, flow.notes)))
        if svg_out:
            made = (f"Counts computed from the project by review {__version__} (protocol {protocol.id}),"
                    f" {now()[:10]}.")
            outputs.append((svg_out, svg.render(flow, title=protocol.title, made_by=made)))
        for path, _ in outputs:  # every folder checked before anything is written
            folder_of(path)
        written = [str(write_atomic(path, text)) for path, text in outputs]
        if as_json:
            doc = flow.to_json()
            if written:
                doc["written"] = written
            emit_json(doc)
            return
        click.echo(format_text(flow))
        for w in written:
            click.echo(f"wrote {w}")
