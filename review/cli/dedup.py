"""`review dedup`: group duplicate records of the project or of files.

\b
  review dedup                           deduplicate the project's records
  review dedup FILE... --out GROUPS.csv  deduplicate files alone (no database)
  review dedup pairs [--json]            possible pairs waiting for a person
  review dedup decide PAIR_ID merge|keep record a person's decision
  review dedup explain RECORD_ID         why a record is grouped with whom
  review dedup undo [--decision N | --record ID]
  review dedup review                    decide possible pairs in a terminal view
"""

from __future__ import annotations

import click

from review.cli.common import command, db_option, db_path, emit_json, handle_errors, json_option, project_db

RUN = "run"


class DedupGroup(click.Group):
    """A group whose default command is `run`: `review dedup FILE...` and `review dedup`
    both mean `review dedup run ...` unless the first word names a subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = [RUN, *args]
        return super().parse_args(ctx, args)


def _show(doc, as_json: bool, text) -> None:
    """Print doc as JSON, or text(doc) for people."""
    click.echo(text(doc)) if not as_json else emit_json(doc)


def register(main: click.Group) -> None:
    @main.group("dedup", cls=DedupGroup, help=__doc__)
    def dedup_group() -> None:
        pass

    @dedup_group.command(RUN)
    @db_option
    @click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
    @click.option("--out", "out", type=click.Path(dir_okay=False),
                  help="With FILE...: write the groups CSV here (record_id,group_id,...).")
    @click.option("--pairs-out", type=click.Path(dir_okay=False),
                  help="With FILE...: also write the possible pairs (for a person to check) as CSV.")
    @click.option("--format", "fmt", default="auto", show_default=True,
                  help="Input format of FILE... (auto, csv, ris, medline, ...); CSV follows the contract's columns.")
    @json_option
    @handle_errors
    def run_cmd(files: tuple[str, ...], out: str | None, pairs_out: str | None, fmt: str, as_json: bool) -> None:
        """Deduplicate the project (no FILE) or the given files (FILE... --out GROUPS.csv).

        Certain duplicates are grouped; possible ones are queued for a person
        (`review dedup pairs`). Records are never deleted.
        """
        from review.errors import BadInput

        if files:
            if not out:
                raise BadInput("review dedup FILE... needs --out GROUPS.csv")
            from review.dedup.files import dedup_files

            s = dedup_files(files, out, fmt, pairs_out)
            if as_json:
                emit_json(s.__dict__)
            else:
                click.echo(f"{s.records} records: {s.groups} duplicate groups ({s.duplicates} duplicates), "
                           f"{s.possible} possible pairs not merged; groups written to {s.out}")
            return
        if out or pairs_out:
            raise BadInput("--out and --pairs-out go with FILE...; the project's groups are stored in its database")
        from review.clock import current_actor
        from review.dedup.store import run

        with project_db() as conn:
            s = run(conn, current_actor())
        if as_json:
            emit_json(s.__dict__)
        else:
            click.echo(f"run {s.run_id}: {s.records} records, {s.certain} certain pairs, "
                       f"{s.groups} duplicate groups ({s.duplicates} duplicates); "
                       f"{s.possible_open} possible pairs wait for a person (review dedup pairs)")

    @command(dedup_group, "pairs")
    @json_option
    def pairs_cmd(as_json: bool) -> None:
        """List the possible pairs of the latest run that wait for a person."""
        from review.db.records import titles_of
        from review.dedup.store import open_pairs

        with project_db() as conn:
            pairs = open_pairs(conn)
            titles = titles_of(conn, [r for p in pairs for r in (p["record_a"], p["record_b"])])
        if as_json:
            emit_json(pairs)
            return
        if not pairs:
            click.echo("no possible pairs waiting")
        for p in pairs:
            click.echo(f"pair {p['pair_id']}: records {p['record_a']} and {p['record_b']} "
                       f"(score {p['score']:.3f}): {'; '.join(p['reasons'])}")
            click.echo(f"  {p['record_a']}: {titles.get(p['record_a'], '')[:100]}")
            click.echo(f"  {p['record_b']}: {titles.get(p['record_b'], '')[:100]}")

    @command(dedup_group, "decide")
    @click.argument("pair_id", type=int)
    @click.argument("decision", type=click.Choice(["merge", "keep"]))
    @click.option("--note", help="A note kept with the decision.")
    @json_option
    def decide_cmd(pair_id: int, decision: str, note: str | None, as_json: bool) -> None:
        """Decide a possible pair: merge the two records or keep them apart."""
        from review.clock import current_actor
        from review.dedup.store import decide_pair, group_of

        with project_db() as conn:
            res = decide_pair(conn, pair_id, decision, current_actor(), note)
            a, b = res["record_a"], res["record_b"]
            ga, gb = group_of(conn, a), group_of(conn, b)
        did, earlier = res["decision_id"], res["replaced"]
        if as_json:
            emit_json({"decision_id": did, "pair_id": pair_id, "decision": decision,
                       "group_a": ga, "group_b": gb, "replaced": earlier})
        else:
            state = "now in one group" if ga == gb else "in separate groups"
            click.echo(f"decision {did}: {decision} pair {pair_id}; records {a} and {b} are {state}")
            if earlier and earlier["decision"] != decision:
                click.echo(f"  (this replaces {earlier['actor']}'s earlier decision '{earlier['decision']}'; "
                           "'review dedup undo' takes it back)")

    @command(dedup_group, "explain")
    @click.argument("record_id", type=int)
    @json_option
    def explain_cmd(record_id: int, as_json: bool) -> None:
        """Show why a record is grouped with whom: fields, scores, rules, decisions."""
        from review.dedup.explain import explain, format_explanation

        with project_db() as conn:
            doc = explain(conn, record_id)
        _show(doc, as_json, format_explanation)

    @command(dedup_group, "undo")
    @click.option("--decision", "decision_id", type=int, help="Retract this decision (default: your latest).")
    @click.option("--record", "record_id", type=int,
                  help="Undo an automatic merge: take this record out of its group and keep it apart.")
    @json_option
    def undo_cmd(decision_id: int | None, record_id: int | None, as_json: bool) -> None:
        """Undo a decision (yours, latest, unless --decision) or split a record out of its group."""
        from review.clock import current_actor
        from review.dedup.store import split, undo
        from review.errors import BadInput

        if decision_id is not None and record_id is not None:
            raise BadInput("give --decision or --record, not both")
        with project_db() as conn:
            if record_id is not None:
                others = split(conn, record_id, current_actor())
                doc = {"record_id": record_id, "kept_apart_from": others}
                msg = f"record {record_id} taken out of its group (kept apart from {', '.join(map(str, others))})"
            else:
                doc = undo(conn, current_actor(), decision_id)
                if doc.get("batch") is not None:
                    msg = (f"undid split (decisions {', '.join(map(str, doc['undid_all']))}: keep records "
                           + ", ".join(f"{a} and {b}" for a, b in doc["pairs"]) + ")")
                else:
                    msg = (f"undid decision {doc['undid']} ({doc['decision']} records {doc['record_a']} and "
                           f"{doc['record_b']})")
        if as_json:
            emit_json(doc)
        else:
            click.echo(msg)

    @command(dedup_group, "review")
    def review_cmd() -> None:
        """Decide possible pairs side by side in the terminal.

        Keys: m merge, k keep apart, s skip, u undo, b back to the skipped pairs,
        ? help, q quit. Remap them in $REVIEW_KEYMAP or ~/.config/review/keymap.toml
        (e.g. a line `dedup.merge = "x"`; ? in the view lists the binding ids).

        \b
        Example:
          review dedup review
        """
        import sys

        from review.errors import BadInput
        from review.tui.keymap import load_keymap

        keymap, source = load_keymap()  # a bad keymap file is refused before anything else
        with project_db():  # a missing or foreign file is refused, the schema brought up to date
            pass
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise BadInput("review dedup review needs a terminal; use 'review dedup pairs' and "
                           "'review dedup decide PAIR_ID merge|keep' instead")
        from review.tui.app import ReviewApp

        ReviewApp(db_path(), start="dedup-pairs", keymap=keymap, keymap_source=source).run()
