"""`review tables`: the study-characteristics and outcomes tables (the seed
paper's Tables 1 and 2) from the settled extraction values, as CSV, Markdown
and XLSX. Core: review.tables."""

from __future__ import annotations

import click

from review.cli.common import command, emit_json, json_option
from review.cli.extraction import opened, studies_now


def register(main: click.Group) -> None:
    @command(main, "tables")
    @click.option("--out", "folder", type=click.Path(file_okay=False), default="exports", show_default=True,
                  help="Folder for the files (created if missing).")
    @json_option
    def tables_cmd(folder: str, as_json: bool) -> None:
        """Write Table 1 (study characteristics) and Table 2 (outcomes) from the settled values.

        Files: table1_characteristics.csv/.md, table2_outcomes.csv/.md and
        tables.xlsx (a sheet each). NA: not reported; ?: not yet settled.

        \b
        Example:
          review tables --out exports
        """
        from review.tables.study_tables import build_tables, write_tables

        with opened() as (conn, protocol):
            studies_now(conn, protocol)
            tables = build_tables(conn, protocol)
        files = write_tables(tables, folder)
        if as_json:
            emit_json({"files": [str(f) for f in files], "tables": [t.to_json() for t in tables]})
            return
        for t in tables:
            click.echo(f"{t.title}: {len(t.rows) - 1} rows")
        for f in files:
            click.echo(f"wrote {f}")
