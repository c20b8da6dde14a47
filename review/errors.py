"""Errors the core raises; the CLI maps each to a documented exit code.

Exit codes (CLI-CONTRACT): 0 success; 1 the command ran and found a problem it
reports; 2 bad usage or bad input (the message names the file and line/record);
3 network failure after retries, or the project database stayed locked by
another process (DatabaseBusy).
"""

from __future__ import annotations


class ReviewError(Exception):
    """Base class: a failure the user should see as one clear message."""

    exit_code = 2


class BadInput(ReviewError):
    """Bad input: a file, protocol, option value or record that cannot be used.

    ``where`` names the file and, where known, the line or record.
    """

    exit_code = 2

    def __init__(self, message: str, *, where: str | None = None):
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class ProtocolError(BadInput):
    """A protocol file that does not validate (names the file and the key)."""


class ProblemFound(ReviewError):
    """The command ran and found a problem it reports (e.g. tampering)."""

    exit_code = 1


class NetworkError(ReviewError):
    """The network failed after bounded retries."""

    exit_code = 3


class DatabaseBusy(ReviewError):
    """Another process held the project database's write lock for longer than
    the wait allowed; nothing was changed (exit 3: a resource stayed unavailable)."""

    exit_code = 3
