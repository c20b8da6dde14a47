"""`review rules`: apply the protocol's automatic rules to the unique records."""

from __future__ import annotations

import sys

import click

from review.cli.common import command, emit_json, json_option, project_db


def register(main: click.Group) -> None:
    @command(main, "rules")
    @click.option("--dry-run", is_flag=True, help="Show what each rule would exclude and flag; change nothing.")
    @json_option
    def rules_cmd(dry_run: bool, as_json: bool) -> None:
        """Apply the protocol's [rules] to the records, one per duplicate group.

        Excludes on explicit metadata only (publication types from every
        source, the date window, languages, humans only, the minimum impact
        factor from your journal metrics) and flags for a person what is only
        suggested or unknown (a title reading "A case report of ...", a
        journal with no known metric). Never overrules a person's decision.
        Running again changes only what changed: exclusions still warranted
        stay, new ones are added, those no longer warranted are retracted.
        Each run is one audit entry. See docs/rules.md.

        \b
        Examples:
          review rules --dry-run
          review rules
          review rules --json
        """
        from review.project import project_protocol
        from review.rules.engine import run
        from review.rules.report import format_result

        def progress(msg: str) -> None:
            if sys.stderr.isatty():
                click.echo(f"rules: {msg} ...", err=True)

        with project_db() as conn:
            result = run(conn, project_protocol(conn), dry_run=dry_run, progress=progress)
        if as_json:
            emit_json(result.to_json())
        else:
            click.echo(format_result(result))
