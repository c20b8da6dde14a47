"""`review demo`: build the worked example (the seed CAR-T review) offline."""

from __future__ import annotations

from pathlib import Path

import click

from review.cli.common import handle_errors


def register(main: click.Group) -> None:
    @main.command("demo")
    @click.option(
        "--dir", "target", type=click.Path(file_okay=False, path_type=Path),
        default=Path("review-demo"), show_default=True,
        help="Folder to build the example in (an earlier demo there is replaced).",
    )
    @handle_errors
    def demo(target: Path) -> None:
        """Build the worked example end to end, offline.

        Creates a project from the seed protocol (a CAR-T meta-analysis over
        PubMed, CNKI and Wanfang), imports the bundled exports, groups the
        duplicates and pools the 32 included studies as the seed paper did,
        writing tables and plots to DIR/exports/.
        """
        from review.demo import build_demo

        result = build_demo(target, echo=click.echo)
        click.echo("")
        click.echo(f"Done. Project: {result.db}")
        click.echo(f"Outputs: {result.exports}/")
        click.echo(f"Look around: review --db {result.db} status")
