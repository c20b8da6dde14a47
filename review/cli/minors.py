"""`review minors`: MINORS quality scores by two reviewers, blind, settled by
the adjudicator (score in the terminal, set, submit, show, import, reconcile,
table, items). Agreement: `review agreement --tool minors`. Core:
review.quality (docs/extraction.md)."""

from __future__ import annotations

import sys

import click

from review.cli.common import command, emit_json, json_option
from review.cli.extraction import DefaultGroup, open_study_view, open_view, opened, person, studies_now, submit_all


def agreement_doc() -> dict:
    """The `review agreement --tool minors` document of the current project."""
    from review.quality.agreement import minors_agreement

    with opened() as (conn, protocol):
        return minors_agreement(conn, protocol, studies_now(conn, protocol))


def agreement_text(doc: dict) -> str:
    fmt = lambda x: "-" if x is None else f"{x:.3f}"  # noqa: E731
    lines = [f"MINORS agreement of {' and '.join(doc['raters'])} (quadratic-weighted kappa)"]
    for key, d in doc.items():
        if key.startswith("item") or key == "total":
            agree = "-" if d["percent_agreement"] is None else f"{d['percent_agreement']:.1f}%"
            lines.append(f"  {key:<7} n {d['n']:<4} kappa {fmt(d['kappa_weighted'])} (SE {fmt(d['kappa_se'])})"
                         f"  agreement {agree}")
    return "\n".join(lines)


def register(main: click.Group) -> None:
    @main.group("minors", cls=DefaultGroup, default="score")
    def minors_group() -> None:
        """MINORS quality scores (Slim et al. 2003): 8 items, or 12 for comparative studies.

        \b
        Examples:
          review minors --reviewer QZ                        # score in the terminal
          review minors import qz_minors.csv --reviewer QZ   # study, item1 ... item12
          review minors reconcile --adjudicator JM
          review minors table --out minors.xlsx
          review agreement --tool minors
        """

    @command(minors_group, "score")
    @click.option("--reviewer", help="Who scores (default $REVIEW_USER); a reviewer of the protocol.")
    @click.option("--study", "label", help="Open on this study.")
    def minors_score(reviewer: str | None, label: str | None) -> None:
        """Score the studies in the terminal, item by item, with each item's meaning
        and what earns 0, 1 or 2 on screen.

        \b
        Example:
          review minors --reviewer QZ
        """
        open_study_view("minors", reviewer, label, "use 'review minors set/submit' or 'review minors import'")

    @command(minors_group, "items")
    @json_option
    def minors_items(as_json: bool) -> None:
        """The MINORS items the protocol scores, with what earns 0, 1 and 2.

        \b
        Example:
          review minors items
        """
        from review.quality.items import items_for

        with opened() as (_conn, protocol):
            items = items_for(protocol.quality.comparative)
        docs = [{"item": i.number, "title": i.title, "meaning": i.meaning,
                 "guidance": {str(k): g for k, g in enumerate(i.guidance)}} for i in items]
        if as_json:
            emit_json(docs)
            return
        for d in docs:
            click.echo(f"{d['item']:>2}. {d['title']}: {d['meaning']}")
            for k, g in d["guidance"].items():
                click.echo(f"      {k}: {g}")

    @command(minors_group, "set")
    @click.argument("study")
    @click.argument("item", type=int)
    @click.argument("score")
    @click.option("--reviewer", help="Who scores (default $REVIEW_USER).")
    @json_option
    def minors_set(study: str, item: int, score: str, reviewer: str | None, as_json: bool) -> None:
        """Score ITEM of STUDY 0, 1 or 2.

        \b
        Example:
          review minors set "Lin Y 2023" 3 2 --reviewer QZ
        """
        from review.db import transaction
        from review.extraction.studies import find_study
        from review.quality.minors import set_scores

        with opened() as (conn, protocol):
            who = person(reviewer, "reviewer", protocol)
            with transaction(conn):
                s = find_study(studies_now(conn, protocol, who), study)
                changed = set_scores(conn, protocol, s, who, {item: score})
        if as_json:
            emit_json({"study": s.label, "item": item, "score": int(score), "changed": bool(changed)})
        else:
            click.echo(f"{who}: {s.label} item {item} = {int(score)}" + ("" if changed else " (unchanged)"))

    @command(minors_group, "show")
    @click.argument("study", required=False)
    @click.option("--reviewer", help="Whose scores (default $REVIEW_USER): only your own are shown.")
    @json_option
    def minors_show(study: str | None, reviewer: str | None, as_json: bool) -> None:
        """Your MINORS scores for STUDY (or each study), and who has submitted.

        \b
        Example:
          review minors show "Lin Y 2023" --reviewer QZ
        """
        from review.extraction.studies import find_study
        from review.quality.minors import own_scores

        with opened() as (conn, protocol):
            who = person(reviewer, "reviewer", protocol)
            studies = studies_now(conn, protocol, who)
            chosen = [find_study(studies, study)] if study else studies
            docs = []
            for s in chosen:
                scores, submitted, by = own_scores(conn, s, who)
                docs.append({"study": s.label, "reviewer": who, "scores": {f"item{i}": v for i, v in
                                                                            sorted(scores.items())},
                             "submitted": submitted, "submitted_by": by})
        if as_json:
            emit_json(docs[0] if study else docs)
            return
        for d in docs:
            sc = " ".join(f"{k[4:]}:{v}" for k, v in d["scores"].items()) or "-"
            click.echo(f"{d['study']:<28} {sc}" + ("  (submitted)" if d["submitted"] else ""))

    @command(minors_group, "submit")
    @click.argument("studies", nargs=-1)
    @click.option("--all", "every", is_flag=True, help="Submit every study you have scored.")
    @click.option("--reviewer", help="Who submits (default $REVIEW_USER).")
    @json_option
    def minors_submit(studies: tuple[str, ...], every: bool, reviewer: str | None, as_json: bool) -> None:
        """Declare STUDY's MINORS scores done (every item scored).

        \b
        Example:
          review minors submit "Lin Y 2023" --reviewer QZ
        """
        from review.quality.minors import states, submit

        who, done = submit_all(studies, every, reviewer, states, submit)
        docs = [{"study": d.study.label, "complete": d.complete, "agreed": d.agreed, "differing": d.differing}
                for d in done]
        if as_json:
            emit_json(docs)
            return
        for d in docs:
            click.echo(f"{who}: submitted MINORS of {d['study']}"
                       + (f"; both submitted: {d['agreed']} items agreed, {d['differing']} differ"
                          if d["complete"] else ""))

    @command(minors_group, "import")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--reviewer", help="Whose scores (default $REVIEW_USER).")
    @click.option("--no-submit", is_flag=True, help="Keep the studies open (default: submitted).")
    @json_option
    def minors_import(file: str, reviewer: str | None, no_submit: bool, as_json: bool) -> None:
        """Import a reviewer's MINORS table: columns study, item1 ... item12 (0, 1 or 2;
        blank where an item does not apply). A bad row exits 2 naming the line;
        nothing is stored then.

        \b
        Example:
          review minors import qz_minors.csv --reviewer QZ
        """
        from review.quality.minors import import_scores

        with opened() as (conn, protocol):
            who = person(reviewer, "reviewer", protocol)
            doc = import_scores(conn, protocol, file, who, submit_all=not no_submit)
        if as_json:
            emit_json(doc)
            return
        click.echo(f"{file}: {len(doc['studies'])} studies, {doc['scores']} scores stored for {who}"
                   + ("; submitted" if doc["submitted"] else "")
                   + (f"; {len(doc['complete'])} complete (both reviewers)" if doc["complete"] else ""))

    @minors_group.group("reconcile", cls=DefaultGroup, default="list")
    def minors_reconcile_group() -> None:
        """The adjudicator settles the items the reviewers scored differently.

        \b
        Examples:
          review minors reconcile --adjudicator JM --json
          review minors reconcile set "Lin Y 2023" 7 1 --adjudicator JM --note "8% lost"
        """

    @command(minors_reconcile_group, "list")
    @click.option("--adjudicator", help="Who reconciles (default $REVIEW_USER).")
    @json_option
    def minors_reconcile_list(adjudicator: str | None, as_json: bool) -> None:
        """Items still scored differently: JSON array of {"study", "item", "title",
        "scores": {REVIEWER: score}} (a terminal view in a terminal without --json).

        \b
        Example:
          review minors reconcile --adjudicator JM --json
        """
        from review.quality.minors import differences

        with opened() as (conn, protocol):
            who = person(adjudicator, "adjudicator", protocol)
            rows = differences(conn, protocol, studies_now(conn, protocol, who))
        if as_json:
            emit_json(rows)
            return
        if sys.stdin.isatty() and sys.stdout.isatty():
            open_view("reconcile", who, "use 'review minors reconcile --json' and '... set'", tool="minors")
            return
        for r in rows:
            vals = "   ".join(f"{k}: {v}" for k, v in r["scores"].items())
            click.echo(f"{r['study']:<28} item {r['item']:<3} {vals}   ({r['title']})")
        click.echo(f"{len(rows)} items differ")

    @command(minors_reconcile_group, "set")
    @click.argument("study")
    @click.argument("item", type=int)
    @click.argument("score")
    @click.option("--adjudicator", help="Who decides (default $REVIEW_USER).")
    @click.option("--note", help="Why this score.")
    @json_option
    def minors_reconcile_set(study: str, item: int, score: str, adjudicator: str | None, note: str | None,
                             as_json: bool) -> None:
        """Record the adjudicator's score for ITEM of STUDY.

        \b
        Example:
          review minors reconcile set "Lin Y 2023" 7 1 --adjudicator JM --note "8% lost to follow-up"
        """
        from review.db import transaction
        from review.quality.minors import set_score

        with opened() as (conn, protocol):
            who = person(adjudicator, "adjudicator", protocol)
            with transaction(conn):
                doc = set_score(conn, protocol, studies_now(conn, protocol, who), study, item, score, who, note=note)
        if as_json:
            emit_json(doc)
        else:
            click.echo(f"{who}: {doc['study']} item {doc['item']} = {doc['score']} (settled)")

    @command(minors_group, "table")
    @click.option("--out", type=click.Path(dir_okay=False), help="CSV, TSV or XLSX file (by its suffix).")
    @json_option
    def minors_table(out: str | None, as_json: bool) -> None:
        """The quality table: settled scores per item and the total out of 16 (or 24).

        \b
        Example:
          review minors table --out minors.xlsx
        """
        from review.quality.minors import quality_table
        from review.tabular_out import markdown_table, write_table

        with opened() as (conn, protocol):
            header, rows = quality_table(conn, protocol, studies_now(conn, protocol))
        if out:
            write_table(out, header, rows, sheet="MINORS")
        if as_json:
            emit_json([dict(zip(header, r)) for r in rows])
        elif out:
            click.echo(f"wrote {out}: {len(rows)} studies")
        else:
            click.echo(markdown_table(header, rows), nl=False)
