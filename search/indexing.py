"""Index writes with nothing dropped: a failed write is kept as pending and retried with backoff.

Every configured backend is written (with Elasticsearch, the database index too, so the
fallback can answer during an outage). A write that fails becomes a ``PendingIndexUpdate``
row, deleted only when a later attempt succeeds; the task backend re-runs it after a growing
delay when it can defer tasks, and ``search_sync`` (the scheduler runs it every minute) catches
whatever is due.
"""

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from . import circuit
from .backends import get_search_backend
from .documents import document_for
from .models import PendingIndexUpdate

logger = logging.getLogger(__name__)

MAX_SCHEDULED_ATTEMPTS = 8
BASE_DELAY = 5  # seconds; doubles each attempt, capped at MAX_DELAY
MAX_DELAY = 15 * 60


class BackendUnavailable(RuntimeError):
    pass


def backend_aliases() -> list[str]:
    return list(settings.SEARCH_BACKENDS)


def retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter, so a recovering cluster is not hit all at once."""
    delay = min(BASE_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY)
    return delay * random.uniform(0.8, 1.2)


def apply_update(alias: str, kind: str, object_id: int) -> bool:
    """Bring one object up to date in one backend; on failure keep it pending. True if written."""
    backend = get_search_backend(alias)
    try:
        if circuit.is_open(alias):
            raise BackendUnavailable(f"{backend.name} failed recently; not retried yet")
        document = document_for(kind, object_id)
        if document is None:
            backend.delete([f"{kind}:{object_id}"])
        else:
            backend.index([document])
    except Exception as exc:
        if backend.name != "database":
            circuit.trip(alias)
        keep_pending(alias, kind, object_id, exc)
        return False
    PendingIndexUpdate.objects.filter(backend=alias, kind=kind, object_id=object_id).delete()
    return True


def keep_pending(alias: str, kind: str, object_id: int, exc: Exception) -> None:
    pending, _ = PendingIndexUpdate.objects.get_or_create(
        backend=alias,
        kind=kind,
        object_id=object_id,
        defaults={"next_attempt_at": timezone.now()},
    )
    PendingIndexUpdate.objects.filter(pk=pending.pk).update(attempts=F("attempts") + 1)
    attempts = pending.attempts + 1
    run_after = timezone.now() + timedelta(seconds=retry_delay(attempts))
    PendingIndexUpdate.objects.filter(pk=pending.pk).update(
        next_attempt_at=run_after, last_error=f"{type(exc).__name__}: {exc}"[:2000]
    )
    logger.warning(
        "Search index write %s %s:%s failed (attempt %s), retrying after %s: %s",
        alias,
        kind,
        object_id,
        attempts,
        run_after.isoformat(timespec="seconds"),
        exc,
    )
    if attempts <= MAX_SCHEDULED_ATTEMPTS:
        _schedule_retry(alias, kind, object_id, run_after)


def _schedule_retry(alias: str, kind: str, object_id: int, run_after) -> None:
    from .tasks import index_object

    if not index_object.get_backend().supports_defer:
        return  # e.g. the immediate backend in development: search_sync picks it up
    try:
        index_object.using(run_after=run_after).enqueue(kind, object_id, alias)
    except Exception:
        logger.exception("Could not schedule a retry; search_sync will pick it up")


def retry_due(*, everything: bool = False) -> tuple[int, int]:
    """Re-apply pending writes that are due (or all of them). Returns (written, still pending)."""
    pending = PendingIndexUpdate.objects.order_by("next_attempt_at")
    if not everything:
        pending = pending.filter(next_attempt_at__lte=timezone.now())
    written = 0
    for alias, kind, object_id in pending.values_list("backend", "kind", "object_id"):
        if alias not in settings.SEARCH_BACKENDS:
            PendingIndexUpdate.objects.filter(backend=alias).delete()
            continue
        circuit.close(alias)
        written += apply_update(alias, kind, object_id)
    return written, PendingIndexUpdate.objects.count()
