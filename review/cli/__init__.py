"""The `review` command line: a thin click layer over the core library.

Subcommands live in modules named for what they hold (project.py, sources.py,
dedup.py, pool.py ...). Each module defines ``register(main)``; heavy imports
(scipy, matplotlib, Bio) happen inside the command functions so that
``review --help`` stays fast.
"""

from __future__ import annotations

import importlib

import click

from review import __version__
from review.cli.common import db_option

# Modules that add commands to `main`; a missing one is skipped so that work in
# progress on one capability never breaks the others.
COMMAND_MODULES = ("project", "search", "sources", "dedup", "pool", "simulate", "demo")


# `review --help` lists the commands in the order a review uses them, each with
# a one-line summary that fits the terminal.
WORKFLOW = {
    "init": "Start a project from a protocol (TOML in protocols/).",
    "status": "Where the review stands, stage by stage.",
    "search": "Search PubMed (NCBI E-utilities) and store the records.",
    "import": "Import exports of other databases (RIS, CNKI, Wanfang and more).",
    "records": "List the project's records and where each came from.",
    "dedup": "Group duplicates; review the doubtful pairs.",
    "pool": "Pool proportions as R's meta::metaprop does; forest plots.",
    "simulate": "Replay ranked screening on a labelled set (WSS@95, recall).",
    "demo": "Build the worked example (the seed CAR-T review), offline.",
    "audit": "Check and read the audit log: who did what, and when.",
}


class WorkflowGroup(click.Group):
    """A group that lists its commands in workflow order, then any others."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = super().list_commands(ctx)
        return [n for n in WORKFLOW if n in names] + [n for n in names if n not in WORKFLOW]


@click.group(cls=WorkflowGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="review")
@db_option
@click.pass_context
def main(ctx: click.Context) -> None:
    """review: carry a systematic review from search to pooled result.

    \b
    Exit codes: 0 success; 1 the command found a problem it reports;
    2 bad usage or bad input; 3 network failure after retries.
    """
    ctx.ensure_object(dict)


for _name in COMMAND_MODULES:
    try:
        _mod = importlib.import_module(f"review.cli.{_name}")
    except ModuleNotFoundError as _exc:  # pragma: no cover - only while a module is absent
        if _exc.name != f"review.cli.{_name}":
            raise
        continue
    _mod.register(main)

for _name, _summary in WORKFLOW.items():
    if _name in main.commands:
        main.commands[_name].short_help = _summary
