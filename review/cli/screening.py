"""Screening commands: decide, queue, note, undo (reviewers); conflicts,
resolve, stage close/reopen (adjudicators); agreement; pack and merge.

Who acts is --reviewer / --adjudicator NAME, else $REVIEW_USER; the protocol's
[people] must give that person the role (else exit 2). A reviewer never sees
another reviewer's decision, reason or note on a record before both decided it.
"""

from __future__ import annotations

from pathlib import Path

import click

from review.cli.common import command, db_path, emit_json, json_option

STAGE_HELP = "Screening stage: title_abstract or full_text (the protocol's)."


def _person(ctx_value: str | None) -> str:
    from review.clock import current_actor

    return ctx_value or current_actor()


class _Project:
    """The project database and its protocol, closed on exit."""

    def __enter__(self):
        from review.db import open_db
        from review.project import project_protocol

        self.path = db_path()
        self.conn = open_db(self.path)
        try:
            self.protocol = project_protocol(self.conn)
        except BaseException:
            self.conn.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.conn.close()


def _standing(st) -> dict | None:
    return None if st is None else {"decision": st.decision, "reason": st.reason, "note": st.note}


def _recorded(rec, stage: str, who: str, role: str) -> dict:
    e = rec.event
    return {"record": e.record_id, "unit": rec.unit_id, "stage": stage, role: who, "decision": e.decision,
            "reason": e.reason, "note": e.note, "event": e.uid, "at": e.ts, "replaced": _standing(rec.replaced)}


def _short(text: str, width: int = 70) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[:width - 1] + "…"


def register(main: click.Group) -> None:
    # ------------------------------------------------------------ reviewers
    @command(main, "decide")
    @click.argument("record", type=int)
    @click.argument("decision", metavar="include|exclude|maybe|not_retrieved")
    @click.option("--reviewer", help="Who decides (default $REVIEW_USER); a reviewer of the protocol.")
    @click.option("--stage", required=True, help=STAGE_HELP)
    @click.option("--reason", help="Exclusion reason: its text or number in the protocol's list (needed at full_text).")
    @click.option("--note", help="A note kept with the decision (seen by you, and by the adjudicator).")
    @click.option("--report", metavar="PATH|URL", help="full_text: where the report is.")
    @json_option
    def decide_cmd(record: int, decision: str, reviewer: str | None, stage: str, reason: str | None,
                   note: str | None, report: str | None, as_json: bool) -> None:
        """Record a reviewer's decision on RECORD (any copy stands for its duplicate group).

        \b
        Example:
          review decide 42 exclude --reviewer QZ --stage title_abstract --reason 2
          review decide 42 not_retrieved --stage full_text --report https://doi.org/10.1/x
        """
        from review.screening.decisions import decide

        who = _person(reviewer)
        with _Project() as p:
            rec = decide(p.conn, p.protocol, record, decision, reviewer=who, stage=stage, reason=reason,
                         note=note, report=report)
        if as_json:
            emit_json(_recorded(rec, stage, who, "reviewer") | {"report": report})
            return
        was = f" (replaces {rec.replaced.decision})" if rec.replaced and rec.replaced.decided else ""
        why = f": {rec.event.reason}" if rec.event.reason else ""
        click.echo(f"{who}: record {record} {decision}{why} at {stage}{was}")

    @command(main, "queue")
    @click.option("--reviewer", help="Whose queue (default $REVIEW_USER).")
    @click.option("--stage", required=True, help=STAGE_HELP)
    @click.option("--filter", "show", default="all", show_default=True,
                  type=click.Choice(["all", "undecided", "mine", "maybe", "second_look", "conflicts"]),
                  help="Which records to list.")
    @click.option("--search", help="Only records whose title or abstract contain every word.")
    @click.option("--limit", type=int, help="List at most N (text output: 20 unless given).")
    @json_option
    def queue_cmd(reviewer: str | None, stage: str, show: str, search: str | None, limit: int | None,
                  as_json: bool) -> None:
        """List a reviewer's records at a stage, with their own decisions only.

        JSON: an array with one object per duplicate group, in screening order:
        id (a record id for decide/resolve), title, decision (theirs, or null),
        reason, note, year, journal, unit, records, flags, second_look,
        disagreement, conflict, report.

        \b
        Example:
          review queue --reviewer QZ --stage title_abstract --filter undecided
        """
        from review.screening.queue import Queue, queue_rows

        who = _person(reviewer)
        with _Project() as p:
            q = Queue(p.conn, p.protocol, who, stage)
            q.filter(show, search)
            if as_json:
                emit_json(queue_rows(q, q.selection[:limit] if limit is not None else q.selection))
                return
            pr = q.progress()
            items = q.page(0, limit if limit is not None else 20)
        click.echo(f"{who} at {stage}: {pr.done} decided, {pr.left} left of {pr.total}"
                   f"; {pr.maybe} maybe; {pr.conflicts} conflicts"
                   + (f"; {pr.second_look} for a second look" if pr.second_look else "")
                   + (f"; {pr.disagreements} to decide again (merged copies differ)" if pr.disagreements else ""))
        if show != "all" or search:
            click.echo(f"showing {len(q)} ({show}{', ' + repr(search) if search else ''})")
        for it in items:
            mark = it.decision or ("differs" if it.disagreement else "-")
            click.echo(f"{it.record_id:>7}  {mark:<13} {it.year or '':<4}  {_short(it.title)}")
        if len(q) > len(items):
            click.echo(f"… {len(q) - len(items)} more (--limit N, --json)")

    @command(main, "note")
    @click.argument("record", type=int)
    @click.argument("text")
    @click.option("--reviewer", "person", help="Who writes it (default $REVIEW_USER); a reviewer.")
    @click.option("--stage", required=True, help=STAGE_HELP)
    @json_option
    def note_cmd(record: int, text: str, person: str | None, stage: str, as_json: bool) -> None:
        """Add a reviewer's note to RECORD at a stage without deciding (blind like
        decisions; the adjudicator sees it if the record becomes a conflict).

        \b
        Example:
          review note 42 "check the trial registry" --reviewer QZ --stage title_abstract
        """
        from review.screening.decisions import note

        who = _person(person)
        with _Project() as p:
            rec = note(p.conn, p.protocol, record, text, actor=who, stage=stage)
        if as_json:
            emit_json({"record": record, "unit": rec.unit_id, "stage": stage, "by": who, "note": rec.event.note,
                       "event": rec.event.uid})
        else:
            click.echo(f"{who}: note on record {record} at {stage}")

    @command(main, "undo")
    @click.argument("record", type=int, required=False)
    @click.option("--reviewer", help="A reviewer taking back their decision.")
    @click.option("--adjudicator", help="An adjudicator taking back their resolution.")
    @click.option("--stage", required=True, help=STAGE_HELP)
    @json_option
    def undo_cmd(record: int | None, reviewer: str | None, adjudicator: str | None, stage: str,
                 as_json: bool) -> None:
        """Take back your latest decision (or resolution) at a stage, or the one on RECORD.

        Nothing is deleted: the undo is an event of its own.

        \b
        Example:
          review undo --reviewer QZ --stage title_abstract          # the latest
          review undo --reviewer QZ --stage title_abstract 42       # the one on record 42
        """
        from review.errors import BadInput
        from review.screening.decisions import undo

        if reviewer and adjudicator:
            raise BadInput("give --reviewer or --adjudicator, not both")
        role = "reviewer" if reviewer else "adjudicator" if adjudicator else None
        who = _person(reviewer or adjudicator)
        with _Project() as p:
            rec = undo(p.conn, p.protocol, who, stage, record, role=role)
        gone = rec.replaced
        if as_json:
            emit_json({"stage": stage, "by": who, "record": rec.event.record_id, "unit": rec.unit_id,
                       "undone": _standing(gone), "event": rec.event.uid})
            return
        click.echo(f"{who}: took back {gone.decision} on record {rec.event.record_id} at {stage}")

    # ------------------------------------------------------------ adjudicators
    @command(main, "conflicts")
    @click.option("--adjudicator", help="Who asks (default $REVIEW_USER); an adjudicator of the protocol.")
    @click.option("--stage", help=STAGE_HELP + " Default: every stage.")
    @click.option("--one-reviewer", is_flag=True,
                  help="List instead the records only one reviewer has decided (who has, not what).")
    @json_option
    def conflicts_cmd(adjudicator: str | None, stage: str | None, one_reviewer: bool, as_json: bool) -> None:
        """Records the reviewers decided differently that nobody resolved yet.

        Also: both said 'maybe' (a maybe never includes), and a reviewer's
        decisions on copies later merged by deduplication that differ. JSON: an
        array of {"id", "stage", "decisions": {REVIEWER: {"decision",
        "reason", "note", ...}}, "why", "unit", "title"}.

        \b
        Example:
          review conflicts --adjudicator JM --stage title_abstract
          review resolve 42 include --adjudicator JM --stage title_abstract
        """
        from review.screening.adjudication import conflicts, one_reviewer as single

        who = _person(adjudicator)
        with _Project() as p:
            rows = single(p.conn, p.protocol, who, stage) if one_reviewer else \
                conflicts(p.conn, p.protocol, who, stage)
        if as_json:
            emit_json(rows)
            return
        if not rows:
            click.echo("none")
            return
        for r in rows:
            click.echo(f"{r['id']:>7}  {r['stage']:<14} {_short(r['title'], 60)}")
            if one_reviewer:
                click.echo(f"         decided by {', '.join(r['decided_by'])}; waiting for "
                           f"{', '.join(r['waiting_for'])}")
                continue
            for name, d in r["decisions"].items():
                what = d["decision"] or "differs on merged copies: " + " / ".join(d["disagreement"] or [])
                extra = "".join(f"; {k}: {d[k]}" for k in ("reason", "note") if d[k])
                extra += "".join(f"; note: {n}" for n in d.get("notes") or [])
                click.echo(f"         {name:<8} {what}{extra}")
        click.echo(f"{len(rows)} {'records' if one_reviewer else 'conflicts'}")

    @command(main, "resolve")
    @click.argument("record", type=int)
    @click.argument("decision", metavar="include|exclude")
    @click.option("--adjudicator", help="Who resolves (default $REVIEW_USER); an adjudicator of the protocol.")
    @click.option("--stage", required=True, help=STAGE_HELP)
    @click.option("--reason", help="Exclusion reason (text or number in the protocol's list).")
    @click.option("--note", help="Why: kept with the resolution.")
    @json_option
    def resolve_cmd(record: int, decision: str, adjudicator: str | None, stage: str, reason: str | None,
                    note: str | None, as_json: bool) -> None:
        """Settle RECORD at a stage (a conflict, or a rule's exclusion) as include or exclude.

        \b
        Example:
          review resolve 42 exclude --adjudicator JM --stage title_abstract --reason 1 --note "animal study"
        """
        from review.screening.decisions import resolve

        who = _person(adjudicator)
        with _Project() as p:
            rec = resolve(p.conn, p.protocol, record, decision, adjudicator=who, stage=stage, reason=reason,
                          note=note)
        if as_json:
            emit_json(_recorded(rec, stage, who, "adjudicator"))
            return
        click.echo(f"{who}: record {record} resolved {decision} at {stage}")

    @main.group("stage")
    def stage_group() -> None:
        """Close a screening stage once it is complete (or reopen it)."""

    @command(stage_group, "close")
    @click.argument("stage")
    @click.option("--adjudicator", help="Who closes it (default $REVIEW_USER).")
    @json_option
    def close_cmd(stage: str, adjudicator: str | None, as_json: bool) -> None:
        """Close STAGE: refused while any record is undecided, decided by one
        reviewer only, or in conflict. A closed stage takes no more decisions.

        \b
        Example:
          review stage close title_abstract --adjudicator JM
        """
        from review.screening.adjudication import close_stage

        who = _person(adjudicator)
        with _Project() as p:
            res = close_stage(p.conn, p.protocol, stage, who)
        emit_json(res) if as_json else click.echo(f"{stage} closed by {who}: {res['units']} records, "
                                                   + ", ".join(f"{n} {k}" for k, n in res["outcomes"].items()))

    @command(stage_group, "reopen")
    @click.argument("stage")
    @click.option("--adjudicator", help="Who reopens it (default $REVIEW_USER).")
    @click.option("--reason", help="Why (kept in the audit log).")
    @json_option
    def reopen_cmd(stage: str, adjudicator: str | None, reason: str | None, as_json: bool) -> None:
        """Reopen a closed STAGE.

        \b
        Example:
          review stage reopen title_abstract --adjudicator JM --reason "late duplicates merged"
        """
        from review.screening.adjudication import reopen_stage

        who = _person(adjudicator)
        with _Project() as p:
            res = reopen_stage(p.conn, p.protocol, stage, who, reason)
        emit_json(res) if as_json else click.echo(f"{stage} reopened by {who}")

    # ------------------------------------------------------------ agreement
    @command(main, "agreement")
    @click.option("--stage", help=STAGE_HELP + " Default: every stage.")
    @click.option("--tool", type=click.Choice(["screening", "minors"]), default="screening", show_default=True,
                  help="minors: the MINORS scores (weighted kappa per item and of the totals).")
    @json_option
    def agreement_cmd(stage: str | None, tool: str, as_json: bool) -> None:
        """Agreement of the two reviewers per stage, over records both decided.

        Percent agreement, Cohen's kappa (SE and 95% CI, as statsmodels and SAS),
        PABAK and Gwet's AC1 (SE, CI); categories include/exclude/maybe
        (and not_retrieved at full text). JSON: {"STAGE": {"n",
        "percent_agreement", "kappa", "kappa_se", "kappa_ci", "pabak", "ac1", ...}}.

        \b
        Example:
          review agreement --stage title_abstract
          review agreement --tool minors --json
        """
        if tool == "minors":  # review/cli/minors.py
            from review.cli.minors import agreement_doc, agreement_text

            doc = agreement_doc()
            emit_json(doc) if as_json else click.echo(agreement_text(doc))
            return
        from review.screening.agreement import stage_agreement
        from review.screening.decisions import require_stage

        with _Project() as p:
            stages = p.protocol.screening.stages
            if stage is not None:
                require_stage(p.protocol, stage)
                stages = (stage,)
            res = {s: stage_agreement(p.conn, p.protocol, s) for s in stages}
        if as_json:
            emit_json({s: a.to_json() | {"raters": list(names)} for s, (names, a) in res.items()})
            return
        for s, (names, a) in res.items():
            click.echo(_agreement_text(s, names, a))

    # ------------------------------------------------------------ separate machines
    @command(main, "pack")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--reviewer", help="Whose pack (default $REVIEW_USER).")
    @json_option
    def pack_cmd(file: str, reviewer: str | None, as_json: bool) -> None:
        """Write what one reviewer needs to screen on another machine into FILE.

        FILE is a self-contained project database (protocol, records, groups,
        the rules' events and this reviewer's own decisions; nothing of anyone
        else). Screen in it with --db FILE; bring the work back with
        'review merge FILE'.

        \b
        Example:
          review pack --reviewer QZ qz-pack.db
          review --db qz-pack.db queue --reviewer QZ --stage title_abstract   # on the laptop
          review merge qz-pack.db                                              # back home
        """
        from review.clock import current_actor
        from review.screening.pack import pack

        who = _person(reviewer)
        with _Project() as p:
            res = pack(p.conn, p.path, p.protocol, who, Path(file), current_actor())
        if as_json:
            emit_json({"file": str(res.file), "reviewer": res.reviewer, "pack": res.uid, "units": res.units,
                       "events": res.events})
            return
        units = ", ".join(f"{n} at {s}" for s, n in res.units.items())
        click.echo(f"{res.file}: pack for {res.reviewer} ({units}); screen with "
                   f"'review --db {res.file} ...', bring back with 'review merge {res.file}'")

    @command(main, "merge")
    @click.argument("file", type=click.Path(dir_okay=False))
    @json_option
    def merge_cmd(file: str, as_json: bool) -> None:
        """Bring a reviewer's decisions back from a pack FILE (see 'review pack').

        Merging twice adds nothing; packs may be merged in any order. A record
        the reviewer decided both here and in the pack keeps both decisions
        (the later in force) and is named in a notice.

        \b
        Example:
          review merge qz-pack.db
        """
        from review.clock import current_actor
        from review.screening.pack import merge

        with _Project() as p:
            res = merge(p.conn, p.protocol, Path(file), current_actor())
        if as_json:
            emit_json({"reviewer": res.reviewer, "pack": res.pack_uid, "added": res.added,
                       "already": res.already, "notices": res.notices})
            return
        click.echo(f"{file}: {res.added} new events of {res.reviewer} merged"
                   + (f" ({res.already} already here)" if res.already else ""))
        for n in res.notices:
            click.echo(f"notice: {n}")


def _agreement_text(stage: str, names, a) -> str:
    if not a.n:
        return f"{stage}: no record decided by both reviewers yet"
    fmt = lambda x, d=3: "-" if x is None else f"{x:.{d}f}"  # noqa: E731
    ci = lambda c: "" if c is None else f" (95% CI {c[0]:.3f} to {c[1]:.3f})"  # noqa: E731
    head = "".join(f"{c[:8]:>9}" for c in a.categories)
    lines = [f"{stage}: {a.n} records decided by both ({names[0]} rows, {names[1]} columns)",
             f"  {'':<14}{head}"]
    for c, row in zip(a.categories, a.table):
        lines.append(f"  {c:<14}" + "".join(f"{v:>9}" for v in row))
    lines += [f"  agreement     {fmt(a.percent_agreement, 1)}%",
              f"  Cohen's kappa {fmt(a.kappa)} (SE {fmt(a.kappa_se)}){ci(a.kappa_ci)}",
              f"  PABAK         {fmt(a.pabak)}",
              f"  Gwet's AC1    {fmt(a.ac1)} (SE {fmt(a.ac1_se)}){ci(a.ac1_ci)}"]
    return "\n".join(lines)
