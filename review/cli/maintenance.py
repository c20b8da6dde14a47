"""Keeping a project safe: ``review doctor``, ``review backup``, ``review restore``."""

from __future__ import annotations

from pathlib import Path

import click

from review.cli.common import command, db_path, emit_json, json_option, project_db


def _not_a_reviewer(conn, what: str) -> None:
    """A copy of the project holds every reviewer's decisions: reviewers may not make one."""
    from review.clock import current_actor
    from review.errors import BadInput
    from review.project import project_protocol

    who = current_actor()
    if project_protocol(conn).people.role_of(who) == "reviewer":
        raise BadInput(f"{who} is a reviewer: {what} holds every reviewer's decisions, so an adjudicator "
                       "(or someone not screening) must do it ($REVIEW_USER)")


def register(main: click.Group) -> None:
    @command(main, "doctor")
    @json_option
    def doctor_cmd(as_json: bool) -> None:
        """Check the project: SQLite integrity and foreign keys, every hash chain
        and seal (as 'review audit verify'), screening units against duplicate
        groups, and PRISMA's identities. Exit 1 if anything is wrong.

        \\b
        Example:
          review doctor
        """
        from review.errors import ProblemFound
        from review.integrity import check

        with project_db() as conn:
            rep = check(conn)
        if as_json:
            emit_json(rep.as_dict())
        else:
            for c in rep.checks:
                click.echo(f"{'ok ' if c.ok else 'BAD'}  {c.name}: {c.detail}")
        if not rep.ok:
            raise ProblemFound(f"{len(rep.problems())} check(s) failed: "
                               + "; ".join(c.name for c in rep.problems()))

    @command(main, "backup")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @json_option
    def backup_cmd(file: Path, as_json: bool) -> None:
        """Write a consistent copy of the project to FILE while others keep working.

        The copy is the database as it was when the backup began; it is
        checked (integrity, hash chains) before the command says done.
        Restore it with 'review restore FILE'. A backup holds every reviewer's
        decisions, so reviewers cannot make one ($REVIEW_USER must not be a
        reviewer of the protocol).

        \\b
        Example:
          review backup backups/car-t-2025-$(date +%F).db
        """
        from review.db import open_readonly
        from review.db.backup import backup
        from review.errors import BadInput, ProblemFound
        from review.integrity import check

        if not file.parent.is_dir():
            raise BadInput(f"no folder {file.parent} for the backup")
        if file.exists() and file.resolve() == db_path().resolve():
            raise BadInput("the backup cannot replace the project database itself")
        with project_db() as conn:
            _not_a_reviewer(conn, "a backup")
            backup(conn, file)
        copy = open_readonly(file)
        try:
            rep = check(copy)
        finally:
            copy.close()
        if not rep.ok:
            raise ProblemFound(f"the backup {file} was written but fails its checks: "
                               + "; ".join(f"{c.name}: {c.detail}" for c in rep.problems()))
        size = file.stat().st_size
        if as_json:
            emit_json({"backup": str(file), "bytes": size, "checks": rep.as_dict()})
        else:
            click.echo(f"backup written and checked: {file} ({size:,} bytes)")

    @command(main, "restore")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @json_option
    def restore_cmd(file: Path, as_json: bool) -> None:
        """Put a backup back in place of the project database.

        The backup is checked first (a damaged or foreign file is refused);
        the project as it is now is kept beside it (PROJECT.before-restore-TIME.db),
        so a restore loses nothing. Ask everyone to close review first.

        \\b
        Example:
          review restore backups/car-t-2025-2026-11-30.db
        """
        from review.clock import now
        from review.db import open_readonly
        from review.db.backup import restore
        from review.errors import BadInput
        from review.integrity import check
        from review.project import project_protocol

        live = db_path()
        src = open_readonly(file)
        try:
            rep = check(src)
            backup_id = project_protocol(src).id
        finally:
            src.close()
        if not rep.ok:
            raise BadInput(f"{file} fails its checks, not restored: "
                           + "; ".join(f"{c.name}: {c.detail}" for c in rep.problems()))
        with project_db() as conn:
            _not_a_reviewer(conn, "restoring a backup")
            live_id = project_protocol(conn).id
        if live_id != backup_id:
            raise BadInput(f"{file} is a backup of project '{backup_id}', not of '{live_id}'")
        stamp = now()[:19].replace(":", "").replace("-", "")
        keep = live.with_name(f"{live.stem}.before-restore-{stamp}.db")
        restore(file, live, keep)
        if as_json:
            emit_json({"restored": str(file), "db": str(live), "previous_state": str(keep)})
        else:
            click.echo(f"restored {file} into {live}; the state before the restore is kept in {keep}")
