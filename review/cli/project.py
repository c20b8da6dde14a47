"""Project commands: init, status, audit."""

from __future__ import annotations

import click

from review.cli.common import command, emit_json, json_option, project_db


def register(main: click.Group) -> None:
    @command(main, "init")
    @click.argument("protocol", type=click.Path(dir_okay=False))
    @json_option
    def init_cmd(protocol: str, as_json: bool) -> None:
        """Create the project database from PROTOCOL (a TOML file in protocols/).

        The database goes to screening_db/<protocol id>.db unless --db is given.
        Running init again is safe: it upgrades the schema and updates the
        stored protocol if the file changed.
        """
        from review.project import init_project

        ctx = click.get_current_context()
        given = (ctx.find_root().obj or {}).get("db")
        res = init_project(protocol, given)
        if as_json:
            emit_json({"db": str(res.db_path), "created": res.created,
                       "protocol_changed": res.protocol_changed, "protocol_id": res.protocol.id})
            return
        verb = "created" if res.created else "up to date"
        click.echo(f"{res.db_path}: {verb} (protocol {res.protocol.id})")
        if res.protocol_changed:
            click.echo("protocol text changed since the last init: stored the new version")
        if res.created:
            click.echo(f"next: review --db {res.db_path} status")

    @command(main, "status")
    @json_option
    def status_cmd(as_json: bool) -> None:
        """Summarise where the review stands, stage by stage."""
        from review.project import format_status, status

        with project_db() as conn:
            s = status(conn)
        if as_json:
            emit_json(s)
        else:
            click.echo(format_status(s))

    @main.group("audit")
    def audit_group() -> None:
        """The audit log: who did what and when."""

    @command(audit_group, "verify")
    @json_option
    def audit_verify(as_json: bool) -> None:
        """Check that nothing was changed behind review's back; exit 1 if it was.

        Recomputes the hash chains of the audit log, the screening events, the
        extraction values and quality scores, the study links and the duplicate
        decisions, and the seal over the records of every search and import: a
        row edited, deleted or inserted outside review is found. Prints the hash
        of the newest audit entry: write it down elsewhere to be able to show
        later that nothing was rewritten from that point back.
        """
        from review.db import audit
        from review.errors import ProblemFound
        from review.integrity import verify

        with project_db() as conn:
            res = audit.verify(conn)
            rep = verify(conn)
        if as_json:
            emit_json({"ok": rep.ok, "rows": res.rows, "first_bad_id": res.first_bad_id,
                       "problem": res.problem, "head": res.head, "checks": [c.__dict__ for c in rep.checks],
                       "heads": rep.heads})
        else:
            for c in rep.checks:
                click.echo(f"{'ok ' if c.ok else 'BAD'}  {c.name}: {c.detail}")
        if not res.ok:
            raise ProblemFound(f"audit log row {res.first_bad_id}: {res.problem}")
        if not rep.ok:
            raise ProblemFound("; ".join(f"{c.name}: {c.detail}" for c in rep.problems()))
        if not as_json:
            click.echo(f"intact; audit log head {res.head}")

    @command(audit_group, "log")
    @click.option("--limit", type=int, default=50, show_default=True, help="Show the last N entries.")
    @json_option
    def audit_log(limit: int, as_json: bool) -> None:
        """Show the latest audit entries."""
        from review.db import audit

        with project_db() as conn:
            rows = audit.entries(conn, limit)
        if as_json:
            emit_json(rows)
            return
        for r in rows:
            click.echo(f"{r['ts'][:19]}  {r['actor']:<10} {r['action']:<26} {r['target'] or ''}")
