"""Shared CLI plumbing: --db (before or after the subcommand), --json, errors.

Every command is thin: parse options, call one core function, print. Core
errors (review.errors.ReviewError) become a message on stderr and the exit code
the error class carries (see review/errors.py).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import click

from review.errors import BadInput, ReviewError

DB_ENV = "REVIEW_DB"
DEFAULT_DB_DIR = Path("screening_db")


def _remember_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        ctx.ensure_object(dict)["db"] = value
    return value


def db_option(f: Callable) -> Callable:
    """--db PATH, accepted on the group and on each subcommand."""
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_remember_db,
        help="Project database (else $REVIEW_DB, else the single database in ./screening_db/).",
    )(f)


def json_option(f: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")(f)


def db_path(ctx: click.Context | None = None, *, must_exist: bool = True) -> Path:
    """Resolve the project database: --db, else $REVIEW_DB, else ./screening_db/*.db if single."""
    ctx = ctx or click.get_current_context()
    root = ctx.find_root()
    given = (root.obj or {}).get("db") or (ctx.obj or {}).get("db") or os.environ.get(DB_ENV)
    if given:
        path = Path(given)
        if must_exist and not path.exists():
            raise BadInput(f"no project database at {path} (run 'review init PROTOCOL' first)")
        return path
    found = sorted(DEFAULT_DB_DIR.glob("*.db")) if DEFAULT_DB_DIR.is_dir() else []
    if len(found) == 1:
        return found[0]
    if not found:
        raise BadInput(
            "no project database: pass --db PATH, set REVIEW_DB, or run 'review init PROTOCOL'"
        )
    names = ", ".join(str(p) for p in found)
    raise BadInput(f"several databases in {DEFAULT_DB_DIR}/ ({names}): choose one with --db")


@contextmanager
def project_db(ctx: click.Context | None = None) -> Iterator:
    """The project database of this command (--db, $REVIEW_DB or the single one
    in ./screening_db/), opened and migrated, closed whatever happens."""
    from review.db import open_db

    conn = open_db(db_path(ctx))
    try:
        yield conn
    finally:
        conn.close()


def emit_json(doc: Any) -> None:
    """Print one JSON document on stdout (and nothing else there)."""
    click.echo(json.dumps(doc, indent=2, ensure_ascii=False, default=_json_default))


def _json_default(o: Any) -> Any:
    if hasattr(o, "isoformat"):
        return o.isoformat()
    if isinstance(o, Path):
        return str(o)
    if hasattr(o, "tolist"):
        return o.tolist()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def handle_errors(f: Callable) -> Callable:
    """Turn ReviewError into 'review: error: ...' on stderr and its exit code."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except ReviewError as exc:
            click.echo(f"review: error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def command(group: click.Group, name: str | None = None, **kw: Any) -> Callable:
    """Register a subcommand on ``group`` with --db and error handling."""

    def deco(f: Callable) -> Callable:
        return group.command(name, **kw)(db_option(handle_errors(f)))

    return deco
