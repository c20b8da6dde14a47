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
COMMAND_MODULES = (
    "project",
    "search",
    "sources",
    "dedup",
    "journals",
    "rules",
    "screening",
    "prisma",
    "extraction",
    "minors",
    "tables",
    "pool",
    "survival",
    "simulate",
    "demo",
    "maintenance",
)


# `review --help` lists the commands in the order a review uses them, each with
# a one-line summary that fits the terminal.
WORKFLOW = {
    "init": "Start a project from a protocol (TOML in protocols/).",
    "status": "Where the review stands, stage by stage.",
    "search": "Search PubMed (NCBI E-utilities) and store the records.",
    "import": "Import exports of other databases (RIS, CNKI, Wanfang and more).",
    "records": "List the project's records and where each came from.",
    "dedup": "Group duplicates; review the doubtful pairs.",
    "journals": "Journal metrics (JCR, SCImago, OpenAlex) for the IF rule.",
    "rules": "Apply the protocol's automatic rules (types, years, IF).",
    "decide": "Record a reviewer's screening decision on a record.",
    "queue": "A reviewer's records at a stage, with their own decisions.",
    "note": "Add a note to a record without deciding.",
    "undo": "Take back your latest screening decision or resolution.",
    "conflicts": "Records the reviewers decided differently (adjudicators).",
    "resolve": "Settle a conflict as include or exclude (adjudicators).",
    "stage": "Close a screening stage once complete (or reopen it).",
    "agreement": "Agreement of the two reviewers: kappa, PABAK, Gwet's AC1.",
    "pack": "Write one reviewer's screening pack for another machine.",
    "merge": "Bring a reviewer's decisions back from a pack.",
    "prisma": "PRISMA 2020 counts, CSV and flow diagram; PRISMA-S summary.",
    "studies": "The included studies and their reports; link a follow-up, rename.",
    "extract": "Extract each study's data: a terminal form, or tables in and out.",
    "reconcile": "Settle the fields the two reviewers differ on (adjudicators).",
    "minors": "MINORS quality scores: score, import, reconcile, table.",
    "tables": "Tables 1 and 2: characteristics and outcomes (CSV, MD, XLSX).",
    "pool": "Pool proportions as R's meta::metaprop does; forest plots.",
    "survival": "Patients from published Kaplan-Meier curves; KM, log-rank, Cox.",
    "simulate": "Replay ranked screening on a labelled set (WSS@95, recall).",
    "demo": "Build the worked example (the seed CAR-T review), offline.",
    "audit": "Check and read the audit log: who did what, and when.",
    "doctor": "Check the project: integrity, hash chains, units, PRISMA.",
    "backup": "Write a consistent copy of the project while others work.",
    "restore": "Put a backup back in place (the current state is kept).",
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
    2 bad usage or bad input; 3 network failure after retries, or the
    project database stayed locked by another process.
    """
    ctx.ensure_object(dict)
    from review.db import set_waiting_notice

    set_waiting_notice(_waiting)


def _waiting(waited: float, limit: float) -> None:
    """Say what a write is waiting for (stderr), while another process holds the lock."""
    click.echo(f"review: waiting for the project database: another process is writing to it "
               f"(waited {waited:.0f} s; giving up after {limit:.0f} s)", err=True)


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
