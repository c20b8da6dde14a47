"""Command-line interface (thin layer over the core library)."""

import click

from review import __version__


@click.group()
@click.version_option(__version__, prog_name="review")
def main() -> None:
    """review: carry a systematic review from search to pooled result."""
