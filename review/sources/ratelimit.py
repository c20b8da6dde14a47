"""A thread-safe sliding-window rate limiter on the monotonic clock.

NCBI allows 3 E-utilities requests per second (10 with an API key). One
``RateLimiter`` is shared by every request of a run (retries included): before
each request ``wait()`` blocks until fewer than ``rate`` requests were started
in the last ``window`` seconds. ``window`` is one second plus a small margin (50 ms) so
that jitter between sending and the server's arrival clock cannot put one
request too many into a second as the server measures it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Callable

DEFAULT_MARGIN = 0.05


class RateLimiter:
    """At most ``rate`` starts in any sliding window of ``1 + margin`` seconds."""

    def __init__(
        self,
        rate: int,
        *,
        margin: float = DEFAULT_MARGIN,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if rate < 1:
            raise ValueError(f"rate must be at least 1 request per second, got {rate}")
        self.rate = int(rate)
        self.window = 1.0 + margin
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque(maxlen=self.rate)
        self._lock = threading.Lock()

    def wait(self) -> float:
        """Block until a request may start; record its start; return the time waited."""
        waited = 0.0
        with self._lock:
            while True:
                now = self._clock()
                if len(self._starts) < self.rate:
                    break
                free_at = self._starts[0] + self.window
                if now >= free_at:
                    break
                self._sleep(free_at - now)
                waited += free_at - now
            self._starts.append(self._clock())
        return waited
