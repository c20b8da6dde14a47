"""Extraction commands: `review studies` (list, link, rename), `review extract`
(the form in a terminal view; set, show, submit, import, export, fields) and
`review reconcile` (the adjudicator's differing fields; set).

Who acts is --reviewer / --adjudicator NAME, else $REVIEW_USER; the protocol's
[people] must give that person the role (exit 2 otherwise). A reviewer is shown
only their own values (and who has submitted) until every reviewer has
submitted the study. Core: review.extraction (docs/extraction.md).
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

import click

from review.cli.common import command, db_path, emit_json, json_option, project_db


class DefaultGroup(click.Group):
    """A group run as its ``default`` subcommand unless the first word names one:
    `review extract --reviewer QZ` is `review extract form --reviewer QZ`."""

    def __init__(self, *args, default: str, **kw) -> None:
        super().__init__(*args, **kw)
        self.default = default

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = [self.default, *args]
        return super().parse_args(ctx, args)


@contextmanager
def opened() -> Iterator:
    """(connection, protocol) of the project of this command."""
    from review.project import project_protocol

    with project_db() as conn:
        yield conn, project_protocol(conn)


def person(name: str | None, role: str, protocol) -> str:
    """NAME, else $REVIEW_USER; BadInput unless the protocol gives them ``role``."""
    from review.clock import current_actor
    from review.screening.decisions import require_role

    who = name or current_actor()
    require_role(protocol, who, role)
    return who


def studies_now(conn, protocol, actor: str | None = None) -> list:
    """Every study with included reports (a new included report becomes a study now)."""
    from review.clock import current_actor
    from review.db import transaction
    from review.extraction.studies import ensure_studies

    with transaction(conn):
        return ensure_studies(conn, protocol, actor or current_actor())


def open_view(screen: str, who: str, instead: str, **args) -> None:
    """Open the terminal view ``screen`` as ``who``; BadInput (naming ``instead``) without a terminal."""
    from review.errors import BadInput
    from review.tui.keymap import load_keymap

    keymap, source = load_keymap()  # a bad keymap file is refused before anything else
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise BadInput(f"this view needs a terminal; {instead}")
    from review.tui.app import ReviewApp

    ReviewApp(db_path(), start=screen, actor=who, keymap=keymap, keymap_source=source, start_args=args).run()


def open_study_view(screen: str, reviewer: str | None, label: str | None, instead: str) -> None:
    """Check the reviewer, make the studies, then open a study-by-study view on ``label``."""
    with opened() as (conn, protocol):
        who = person(reviewer, "reviewer", protocol)
        studies_now(conn, protocol, who)
    open_view(screen, who, instead, **({"study": label} if label else {}))


def submit_all(names: tuple[str, ...], every: bool, reviewer: str | None, states, submit) -> tuple[str, list]:
    """Submit the studies named (or, with ``every``, each the reviewer has
    entries for) in one transaction; ``states(conn, ids)`` and
    ``submit(conn, protocol, study, who)`` say what is submitted."""
    from review.db import transaction
    from review.errors import BadInput
    from review.extraction.studies import find_study

    if not names and not every:
        raise BadInput("name the study (or studies) to submit, or give --all")
    with opened() as (conn, protocol):
        who = person(reviewer, "reviewer", protocol)
        with transaction(conn):
            studies = studies_now(conn, protocol, who)
            if every:
                sts = states(conn, [s.id for s in studies])
                chosen = [s for s in studies if s.id in sts and who in sts[s.id].entries]
            else:
                chosen = [find_study(studies, x) for x in names]
            return who, [submit(conn, protocol, s, who) for s in chosen]


def _values_text(form, view) -> list[str]:
    from review.extraction.form import show_value

    lines = []
    for arm in [""] + view.arms:
        if arm:
            lines.append(f"  arm {arm}:")
        for f in form:
            r = view.values.get((arm, f.name))
            if arm and r is None:
                continue
            text = "-" if r is None else show_value(f.type, r.value)
            how = "" if r is None or r.derived == "entered" else f"  [{r.derived}]"
            lines.append(f"  {f.name:<14} {text}{how}")
    return lines


def _view_json(form, view) -> dict:
    from review.extraction.form import show_value

    def vals(rows):
        return [{"arm": a, "field": n, "value": r.value, "text": show_value(form.get(n).type, r.value)
                 if form.has(n) else str(r.value), "derived": r.derived} for (a, n), r in sorted(rows.items())]

    doc = {"study": view.study.label, "reviewer": view.reviewer, "submitted": view.submitted,
           "submitted_by": view.submitted_by, "complete": view.complete, "values": vals(view.values)}
    if view.complete:
        doc["settled"] = vals(view.settled)
        doc["differing"] = [{"arm": a, "field": n} for a, n in view.differing]
    return doc


def register(main: click.Group) -> None:
    # ------------------------------------------------------------ studies
    @main.group("studies", cls=DefaultGroup, default="list")
    def studies_group() -> None:
        """Studies: the included reports, each a study unless linked to another.

        \b
        Examples:
          review studies
          review studies link 57 --study "Lin Y 2023"      # a follow-up report joins a study
          review studies rename "Zhao W 2022" "Zhao WH 2022"
        """

    @command(studies_group, "list")
    @json_option
    def studies_list(as_json: bool) -> None:
        """List the studies, their reports and who has submitted them (never anyone's values).

        JSON: an array of {"study", "id", "reports": [{"record_id", "unit",
        "title", "year", "doi", "pmid"}], "extraction": {"submitted_by",
        "status"}, "minors": {"submitted_by", "status"}}.

        \b
        Example:
          review studies --json
        """
        from review.extraction.values import needed, states
        from review.quality.minors import states as minors_states

        with opened() as (conn, protocol):
            studies = studies_now(conn, protocol)
            ext = states(conn, [s.id for s in studies])
            mq = minors_states(conn, [s.id for s in studies])
            need = needed(protocol)

        def status(st) -> dict:
            if st is None:
                return {"submitted_by": [], "status": "not started"}
            return {"submitted_by": st.submitted,
                    "status": "complete" if st.complete(need) else "in progress" if st.started() else "not started"}

        docs = [s.to_json() | {"extraction": status(ext.get(s.id)), "minors": status(mq.get(s.id))}
                for s in studies]
        if as_json:
            emit_json(docs)
            return
        if not docs:
            click.echo("no studies yet: a study is a report included at full text")
            return
        for d in docs:
            reps = ", ".join(str(r["record_id"]) for r in d["reports"])
            sub = lambda x: f"{x['status']}" + (f" ({', '.join(x['submitted_by'])})" if x["submitted_by"] else "")  # noqa: E731
            click.echo(f"{d['study']:<28} record {reps:<10} extraction: {sub(d['extraction'])}; "
                       f"MINORS: {sub(d['minors'])}")
        click.echo(f"{len(docs)} studies")

    @command(studies_group, "link")
    @click.argument("record", type=int)
    @click.option("--study", "label", required=True, help="The study the report belongs to (its label).")
    @click.option("--new", is_flag=True, help="Make it a new study with this label.")
    @click.option("--force", is_flag=True, help="Move a study's only report even though the study has values.")
    @json_option
    def studies_link(record: int, label: str, new: bool, force: bool, as_json: bool) -> None:
        """Make the included report RECORD part of a study (a follow-up joins its trial).

        \b
        Example:
          review studies link 57 --study "Lin Y 2023"
          review studies link 57 --study "Lin Y 2023 follow-up" --new
        """
        from review.clock import current_actor
        from review.db import transaction
        from review.extraction.studies import link

        with opened() as (conn, protocol):
            with transaction(conn):
                left, joined = link(conn, protocol, record, label, current_actor(), new=new, force=force)
        doc = {"record": record, "study": joined.to_json(), "left": None if left is None else left.to_json()}
        if as_json:
            emit_json(doc)
            return
        click.echo(f"record {record} is a report of {joined.label!r} "
                   f"(records {', '.join(str(r.record_id) for r in joined.reports)})")
        if left is not None and left.id != joined.id and not left.reports:
            click.echo(f"study {left.label!r} has no report left")

    @command(studies_group, "rename")
    @click.argument("label")
    @click.argument("new_label")
    @json_option
    def studies_rename(label: str, new_label: str, as_json: bool) -> None:
        """Change a study's label (values and links stay with the study).

        \b
        Example:
          review studies rename "Zhao W 2022" "Zhao WH 2022"
        """
        from review.clock import current_actor
        from review.db import transaction
        from review.extraction.studies import rename

        with opened() as (conn, protocol):
            with transaction(conn):
                s = rename(conn, protocol, label, new_label, current_actor())
        emit_json({"from": label, "study": s.to_json()}) if as_json else click.echo(f"{label!r} is now {s.label!r}")

    # ------------------------------------------------------------ extract
    @main.group("extract", cls=DefaultGroup, default="form")
    def extract_group() -> None:
        """Extract each study's data: the form in the terminal, or tables in and out.

        \b
        Examples:
          review extract --reviewer QZ                       # the form, study by study
          review extract import qz.xlsx --reviewer QZ        # a table, one row per study
          review extract set "Lin Y 2023" dr 6/67 --reviewer QZ
          review extract submit "Lin Y 2023" --reviewer QZ
          review extract export --out settled.csv
        """

    @command(extract_group, "form")
    @click.option("--reviewer", help="Who extracts (default $REVIEW_USER); a reviewer of the protocol.")
    @click.option("--study", "label", help="Open on this study.")
    def extract_form(reviewer: str | None, label: str | None) -> None:
        """Open the extraction form in the terminal: a study at a time, the report
        beside the fields, each value checked and saved as typed.

        \b
        Example:
          review extract --reviewer QZ
        """
        open_study_view("extract", reviewer, label, "use 'review extract set/submit' or 'review extract import'")

    @command(extract_group, "fields")
    @json_option
    def extract_fields(as_json: bool) -> None:
        """The form: each field's name, type, unit, allowed values and what the outcomes make of it.

        \b
        Example:
          review extract fields
        """
        from review.extraction.form import Form

        with opened() as (_conn, protocol):
            form = Form.from_protocol(protocol)
        docs = [{"name": f.name, "label": f.label, "type": f.type, "unit": f.unit or None,
                 "choices": list(f.choices), "required": f.required, "events_of": list(f.events_of),
                 "percent_of": list(f.percent_of), "n_of": list(f.n_of), "help": f.help} for f in form]
        if as_json:
            emit_json(docs)
            return
        for d in docs:
            click.echo(f"{d['name']:<14} {d['label']}: {d['help']}")

    @command(extract_group, "set")
    @click.argument("study")
    @click.argument("field")
    @click.argument("value")
    @click.option("--reviewer", help="Who extracts (default $REVIEW_USER).")
    @click.option("--arm", default="", help="The study's group this value is about (default: the whole study).")
    @click.option("--note", help="A note kept with the value.")
    @json_option
    def extract_set(study: str, field: str, value: str, reviewer: str | None, arm: str, note: str | None,
                    as_json: bool) -> None:
        """Enter (or correct) one value of STUDY: FIELD as the form types it.

        NA means not reported; a percent field also takes events/n (4/27), an
        events field a percent of n (14.8%); a median with its range is 60 (38-76).

        \b
        Example:
          review extract set "Lin Y 2023" age "61 (37-75)" --reviewer QZ
        """
        from review.db import transaction
        from review.extraction.form import Form
        from review.extraction.studies import find_study
        from review.extraction.values import reviewer_view, set_values

        with opened() as (conn, protocol):
            who = person(reviewer, "reviewer", protocol)
            form = Form.from_protocol(protocol)
            with transaction(conn):
                s = find_study(studies_now(conn, protocol, who), study)
                changed = set_values(conn, protocol, form, s, who, [(arm.strip(), field, value)], note=note)
            view = reviewer_view(conn, protocol, form, s, who)
        name = form.get(field).name
        r = view.values.get((arm.strip(), name))
        if as_json:
            emit_json({"study": s.label, "arm": arm.strip(), "field": name, "value": r.value, "derived": r.derived,
                       "text": form.get(name).show(r.value), "changed": bool(changed), "submitted": view.submitted})
            return
        how = "" if r.derived == "entered" else f" [{r.derived}]"
        click.echo(f"{who}: {s.label} {name} = {form.get(name).show(r.value)}{how}"
                   + ("" if changed else " (unchanged)"))

    @command(extract_group, "show")
    @click.argument("study", required=False)
    @click.option("--reviewer", help="Whose values (default $REVIEW_USER): only your own are shown.")
    @json_option
    def extract_show(study: str | None, reviewer: str | None, as_json: bool) -> None:
        """Your values for STUDY (or where each study stands for you).

        Another reviewer's values are never shown; once every reviewer has
        submitted a study, its settled values and the fields still differing are.

        \b
        Example:
          review extract show "Lin Y 2023" --reviewer QZ
        """
        from review.extraction.form import Form
        from review.extraction.studies import find_study
        from review.extraction.values import reviewer_view

        with opened() as (conn, protocol):
            who = person(reviewer, "reviewer", protocol)
            form = Form.from_protocol(protocol)
            studies = studies_now(conn, protocol, who)
            chosen = [find_study(studies, study)] if study else studies
            views = [reviewer_view(conn, protocol, form, s, who) for s in chosen]
        if as_json:
            emit_json(_view_json(form, views[0]) if study else [_view_json(form, v) for v in views])
            return
        for v in views:
            state = "complete" if v.complete else "submitted" if v.submitted else "open"
            others = [x for x in v.submitted_by if x != who]
            click.echo(f"{v.study.label}: {state}; {len(v.values)} values entered"
                       + (f"; submitted by {', '.join(others)}" if others else ""))
            if study:
                click.echo("\n".join(_values_text(form, v)))
                if v.complete and v.differing:
                    click.echo(f"  differing (for the adjudicator): {', '.join(n for _, n in v.differing)}")

    @command(extract_group, "submit")
    @click.argument("studies", nargs=-1)
    @click.option("--all", "every", is_flag=True, help="Submit every study you have values for.")
    @click.option("--reviewer", help="Who submits (default $REVIEW_USER).")
    @json_option
    def extract_submit(studies: tuple[str, ...], every: bool, reviewer: str | None, as_json: bool) -> None:
        """Declare STUDY's form done. Once every reviewer has submitted it, the fields
        they agree on are settled and the rest go to the adjudicator.

        \b
        Example:
          review extract submit "Lin Y 2023" --reviewer QZ
          review extract submit --all --reviewer QZ
        """
        from review.extraction.form import Form
        from review.extraction.values import states, submit

        def one(conn, protocol, study, who):
            return submit(conn, protocol, Form.from_protocol(protocol), study, who)

        who, done = submit_all(studies, every, reviewer, states, one)
        docs = [{"study": d.study.label, "reviewer": who, "complete": d.complete, "already": d.already,
                 "agreed": d.agreed, "differing": d.differing} for d in done]
        if as_json:
            emit_json(docs)
            return
        for d in done:
            if d.complete and not d.already:
                click.echo(f"{who}: submitted {d.study.label}; both submitted: {d.agreed} fields agreed and "
                           f"settled, {d.differing} differ (for the adjudicator)")
            else:
                click.echo(f"{who}: {'already ' if d.already else ''}submitted {d.study.label}"
                           + ("" if d.complete else "; waiting for the other reviewer"))
        if not done:
            click.echo("nothing to submit")

    @command(extract_group, "import")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--reviewer", help="Whose values (default $REVIEW_USER); a reviewer of the protocol.")
    @click.option("--no-submit", is_flag=True, help="Keep the studies open (default: each study in the file is submitted).")
    @json_option
    def extract_import(file: str, reviewer: str | None, no_submit: bool, as_json: bool) -> None:
        """Import a reviewer's extraction table (CSV, TSV or XLSX; one row per study).

        Rows link to included reports by a record_id, doi or pmid column; the
        study column labels the study; the other columns are the protocol's
        field names (blank: not entered, NA: not reported). A row that links to
        nothing, or a bad value, exits 2 naming the line, and nothing is stored.
        Each study in the file is submitted unless --no-submit.

        \b
        Example:
          review extract import qz.xlsx --reviewer QZ
        """
        from review.extraction.spreadsheet import import_values

        with opened() as (conn, protocol):
            who = person(reviewer, "reviewer", protocol)
            res = import_values(conn, protocol, file, who, submit=not no_submit)
        if as_json:
            emit_json(res.to_json())
            return
        click.echo(f"{file}: {res.rows} rows, {len(res.studies)} studies, {res.values} values stored for {who}"
                   + (f"; submitted {len(res.submitted)}" if res.submitted else "; not submitted")
                   + (f"; {len(res.complete)} complete (both reviewers)" if res.complete else ""))
        for old, new in res.renamed.items():
            click.echo(f"study {old!r} labelled {new!r}")
        if res.ignored_columns:
            click.echo(f"note: columns that are no field of the form were ignored: {', '.join(res.ignored_columns)}",
                       err=True)

    @command(extract_group, "export")
    @click.option("--out", type=click.Path(dir_okay=False), help="CSV, TSV or XLSX file (by its suffix); "
                  "default: CSV on stdout.")
    @click.option("--reviewer", help="Export this reviewer's own values (a reviewer exports only their own).")
    @json_option
    def extract_export(out: str | None, reviewer: str | None, as_json: bool) -> None:
        """Export the settled values (or --reviewer's own), one row per study and arm.

        Blank: not yet settled (or not entered); NA: not reported. Cells that a
        spreadsheet would run as formulas are written as text.

        \b
        Example:
          review extract export --out settled.xlsx
          review extract export --reviewer QZ --out qz.csv
        """
        from review.extraction.spreadsheet import export_table
        from review.tabular_out import delimited_text, write_table

        with opened() as (conn, protocol):
            who = person(reviewer, "reviewer", protocol) if reviewer else None
            studies_now(conn, protocol)
            header, rows, open_cells = export_table(conn, protocol, reviewer=who)
        if out:
            write_table(out, header, rows, sheet="extraction")
        if as_json:
            emit_json({"header": header, "rows": rows, "not_settled": open_cells, "file": out})
        elif out:
            click.echo(f"wrote {out}: {len(rows)} rows"
                       + (f" ({open_cells} values not yet settled, left blank)" if open_cells else ""))
        else:
            click.echo(delimited_text(header, rows), nl=False)

    # ------------------------------------------------------------ reconcile
    @main.group("reconcile", cls=DefaultGroup, default="list")
    def reconcile_group() -> None:
        """The adjudicator settles the fields the reviewers differ on.

        \b
        Examples:
          review reconcile --adjudicator JM                  # side by side, in the terminal
          review reconcile --adjudicator JM --json
          review reconcile set "Lin Y 2023" dr 8.96 --adjudicator JM --note "Table 3, deaths by day 90"
        """

    @command(reconcile_group, "list")
    @click.option("--adjudicator", help="Who reconciles (default $REVIEW_USER); an adjudicator of the protocol.")
    @json_option
    def reconcile_list(adjudicator: str | None, as_json: bool) -> None:
        """The fields still differing, side by side (a terminal view unless --json
        or not in a terminal). JSON: an array of {"study", "field", "values":
        {REVIEWER: value}, "arm", "label", "text", "notes"}.

        \b
        Example:
          review reconcile --adjudicator JM --json
        """
        from review.extraction.form import Form
        from review.extraction.reconcile import differences, pending

        with opened() as (conn, protocol):
            who = person(adjudicator, "adjudicator", protocol)
            studies = studies_now(conn, protocol, who)
            rows = differences(conn, protocol, Form.from_protocol(protocol), studies)
            waiting = pending(conn, protocol, studies)
        if as_json:
            emit_json(rows)
            return
        if sys.stdin.isatty() and sys.stdout.isatty():
            open_view("reconcile", who, "use 'review reconcile --json' and 'review reconcile set'")
            return
        for r in rows:
            what = r["field"] + (f" [{r['arm']}]" if r["arm"] else "")
            vals = "   ".join(f"{k}: {v}" for k, v in r["text"].items())
            click.echo(f"{r['study']:<28} {what:<14} {vals}")
        click.echo(f"{len(rows)} fields differ" + (f"; {len(waiting)} studies not yet submitted by both reviewers"
                                                  if waiting else ""))

    @command(reconcile_group, "set")
    @click.argument("study")
    @click.argument("field")
    @click.argument("value")
    @click.option("--adjudicator", help="Who decides (default $REVIEW_USER); an adjudicator of the protocol.")
    @click.option("--note", help="Why this value (kept with it).")
    @click.option("--arm", default="", help="The study's group (default: the whole study).")
    @json_option
    def reconcile_set(study: str, field: str, value: str, adjudicator: str | None, note: str | None, arm: str,
                      as_json: bool) -> None:
        """Record the value of STUDY's FIELD chosen by the adjudicator (with --note, why).

        \b
        Example:
          review reconcile set "Lin Y 2023" dr 8.96 --adjudicator JM --note "deaths by day 90, Table 3"
        """
        from review.db import transaction
        from review.extraction.form import Form
        from review.extraction.reconcile import set_value

        with opened() as (conn, protocol):
            who = person(adjudicator, "adjudicator", protocol)
            with transaction(conn):
                doc = set_value(conn, protocol, Form.from_protocol(protocol), studies_now(conn, protocol, who),
                                study, field, value, who, note=note, arm=arm)
        if as_json:
            emit_json(doc)
            return
        click.echo(f"{who}: {doc['study']} {doc['field']} = {doc['text']} (settled)")
