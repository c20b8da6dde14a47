"""Timestamps and the acting person, in one place so tests can pin them."""

from __future__ import annotations

import getpass
import os
from datetime import datetime, timezone


def now() -> str:
    """UTC timestamp, ISO 8601 with microseconds (sorts as text)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def current_actor() -> str:
    """Who is acting: $REVIEW_USER, else the login name."""
    return os.environ.get("REVIEW_USER") or getpass.getuser()
