"""A per-process circuit breaker: after a backend fails, skip it for a while.

Without it every request during an outage would wait for the client timeout before falling
back; with it only the first one does, and one request per interval probes for recovery.
"""

import time

OPEN_SECONDS = 10.0
_open_until: dict[str, float] = {}


def is_open(alias: str) -> bool:
    return _open_until.get(alias, 0.0) > time.monotonic()


def trip(alias: str, seconds: float = OPEN_SECONDS) -> None:
    _open_until[alias] = time.monotonic() + seconds


def close(alias: str | None = None) -> None:
    """Forget failures (one alias, or all of them)."""
    if alias is None:
        _open_until.clear()
    else:
        _open_until.pop(alias, None)
