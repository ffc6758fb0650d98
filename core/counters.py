"""Counters that add up in memory and reach the database in batches (page views).

Writing a row on every page view costs a write transaction per request and serialises readers
behind SQLite's single writer. Each process instead keeps its counts in memory and writes them
in one transaction when ``max_pending`` views are waiting or ``max_seconds`` have passed since
the last write, and when the process exits normally (gunicorn restarts and deploys stop workers
gracefully). A failed write puts the counts back for the next attempt.

Durability: a process killed without warning (SIGKILL, out of memory, power loss) loses the
views it had not written yet, at most ``max_pending`` views or ``max_seconds`` of traffic per
process. For "most viewed" lists that is an acceptable price for not writing on every read.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable

logger = logging.getLogger(__name__)


class BufferedCounter:
    """Counts per key in this process; ``write`` receives ``{key: count}`` in batches."""

    def __init__(
        self,
        write: Callable[[dict[Hashable, int]], None],
        *,
        max_pending: Callable[[], int],
        max_seconds: Callable[[], float],
    ):
        self.write = write
        self.max_pending = max_pending
        self.max_seconds = max_seconds
        self.pending: Counter = Counter()
        self.total = 0
        self.last_flush = time.monotonic()
        self.lock = threading.Lock()
        atexit.register(self.flush)

    def add(self, key: Hashable, count: int = 1) -> None:
        with self.lock:
            self.pending[key] += count
            self.total += count
            due = (
                self.total >= self.max_pending()
                or time.monotonic() - self.last_flush >= self.max_seconds()
            )
        if due:
            self.flush()

    def flush(self) -> None:
        """Write what is pending now; on failure keep it for the next flush."""
        with self.lock:
            batch, self.pending, self.total = dict(self.pending), Counter(), 0
            self.last_flush = time.monotonic()
        if not batch:
            return
        try:
            self.write(batch)
        except Exception:
            logger.exception(
                "Could not write %s buffered counts; kept for the next flush", len(batch)
            )
            with self.lock:
                self.pending.update(batch)
                self.total += sum(batch.values())

    def discard(self) -> None:
        """Forget pending counts (tests)."""
        with self.lock:
            self.pending, self.total = Counter(), 0
