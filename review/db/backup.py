"""Consistent copies of a project database while others work, and restoring
one (SQLite's online backup API).

``backup`` copies the database as it was when the copy began (a read snapshot:
writers are not blocked, and what they commit meanwhile is simply not in the
copy), into a temporary file renamed into place at the end. ``restore`` copies
a backup back into the live database under its write lock, after saving the
current state beside it, so a restore loses nothing either.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from review.db import connect


def backup(conn: sqlite3.Connection, dest: str | Path) -> Path:
    """Write a consistent copy of ``conn``'s database to ``dest`` (replaced atomically)."""
    dest = Path(dest)
    tmp = dest.with_name(f".{dest.name}.partial")
    tmp.unlink(missing_ok=True)
    target = sqlite3.connect(str(tmp))
    try:
        conn.backup(target)  # pages=-1: one step, from one read snapshot
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
    os.replace(tmp, dest)
    return dest


def restore(source: str | Path, live: str | Path, keep: str | Path) -> None:
    """Replace the live database's content with ``source``'s, after writing the
    live state to ``keep``. The live file is written under its write lock."""
    live_conn = connect(live)
    try:
        backup(live_conn, keep)
        src = sqlite3.connect(f"file:{Path(source).resolve()}?mode=ro", uri=True)
        try:
            src.backup(live_conn)  # takes the live file's locks itself, waiting for other writers
        finally:
            src.close()
        live_conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        live_conn.close()
