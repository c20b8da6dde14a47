"""Bounded retries with exponential backoff, for calls to web services.

``call_with_retries(attempt, policy)`` calls ``attempt()`` until it returns;
an attempt that raises ``Retry`` is tried again after ``first * 2**(n-1)``
seconds (at most ``most``, at least what the server asked with Retry-After),
unless that would pass ``give_up_after`` seconds since the first try: then
the error ``give_up(...)`` builds is raised. Nothing here knows HTTP; the
caller decides what is worth another try.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, TypeVar

T = TypeVar("T")


class Retry(Exception):
    """A failure worth another try; ``wait`` is the least the server asked for."""

    def __init__(self, problem: str, wait: float | None = None):
        super().__init__(problem)
        self.problem, self.wait = problem, wait


@dataclass(frozen=True)
class Policy:
    first: float = 1.0
    most: float = 60.0
    give_up_after: float = 300.0


def call_with_retries(
    attempt: Callable[[], T],
    policy: Policy,
    give_up: Callable[[int, float, float, str], Exception],
    *,
    on_retry: Callable[[str], None] = lambda problem: None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``attempt()``'s result; ``give_up(tries, elapsed, next_delay, last_problem)``
    is raised when the next try would come too late."""
    started, tries = clock(), 0
    while True:
        tries += 1
        try:
            return attempt()
        except Retry as r:
            delay = min(policy.first * 2 ** (tries - 1), policy.most)
            if r.wait is not None:
                delay = max(delay, r.wait)
            elapsed = clock() - started
            if elapsed + delay > policy.give_up_after:
                raise give_up(tries, elapsed, delay, r.problem) from None
            on_retry(r.problem)
            sleep(delay)
