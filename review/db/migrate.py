"""Versioned migrations, tracked by ``PRAGMA user_version``.

Each migration is a module ``review/db/migrations/mNNNN_name.py`` with a
``SQL`` string and, where SQL alone cannot do it (computing hashes for rows
already there), an ``after(conn)`` function run in the same transaction. They
run in order, each in its own transaction together with the version bump, so a
database is always at exactly one known version.
Opening an existing database at an older version upgrades it; running the
migrations again is a no-op.
"""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
from dataclasses import dataclass
from typing import Callable

from review.errors import BadInput, ReviewError


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str
    after: Callable[[sqlite3.Connection], None] | None = None


def discover() -> list[Migration]:
    """All migrations shipped with the package, in version order."""
    from review.db import migrations as pkg

    found = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.name.startswith("m") or not info.name[1:5].isdigit():
            continue
        mod = importlib.import_module(f"{pkg.__name__}.{info.name}")
        found.append(Migration(int(info.name[1:5]), info.name[6:], mod.SQL, getattr(mod, "after", None)))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, got {versions}")
    return found


def head_version() -> int:
    return len(discover())


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def split_statements(sql: str) -> list[str]:
    """Split a script into complete statements (trigger bodies kept whole)."""
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        raise RuntimeError(f"incomplete SQL statement in migration: {buf[:80]!r}")
    return out


def migrate(conn: sqlite3.Connection, migrations: list[Migration] | None = None) -> int:
    """Apply every migration newer than the database; return the new version."""
    migrations = discover() if migrations is None else migrations
    current = schema_version(conn)
    head = migrations[-1].version if migrations else 0
    if current > head:
        raise BadInput(
            f"database schema version {current} is newer than this version of review "
            f"knows ({head}): upgrade review"
        )
    for m in migrations:
        if m.version <= current:
            continue
        from review.db import begin_immediate

        begin_immediate(conn)
        try:
            # Re-check under the write lock: another process may have migrated.
            if schema_version(conn) >= m.version:
                conn.execute("ROLLBACK")
                continue
            for stmt in split_statements(m.sql):
                conn.execute(stmt)
            if m.after is not None:
                m.after(conn)
            conn.execute(f"PRAGMA user_version = {m.version}")
        except sqlite3.DatabaseError as exc:
            conn.execute("ROLLBACK")
            raise ReviewError(
                f"upgrading the database to schema {m.version} ({m.name}) failed and was rolled back, "
                f"leaving it at version {schema_version(conn)}: {exc}"
            ) from exc
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return schema_version(conn)
