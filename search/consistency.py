"""Is each index true to the database? What is missing, stale or left over, and repairing it."""

from dataclasses import dataclass, field
from datetime import datetime

from .backends import get_search_backend
from .documents import source_versions
from .indexing import apply_update
from .models import PendingIndexUpdate


@dataclass
class Drift:
    backend: str
    expected: int = 0
    indexed: int = 0
    missing: set[str] = field(default_factory=set)
    stale: set[str] = field(default_factory=set)
    extra: set[str] = field(default_factory=set)
    pending: int = 0
    error: str = ""

    @property
    def in_step(self) -> bool:
        return not (self.missing or self.stale or self.extra or self.pending or self.error)


def _second(value: datetime | None) -> int | None:
    return int(value.timestamp()) if value else None


def index_drift(alias: str) -> Drift:
    backend = get_search_backend(alias)
    expected = source_versions()
    drift = Drift(backend=backend.name, expected=len(expected))
    drift.pending = PendingIndexUpdate.objects.filter(backend=alias).count()
    try:
        indexed = backend.indexed_keys()
    except Exception as exc:  # an unreachable cluster is a finding, not a crash
        drift.error = str(exc)
        return drift
    drift.indexed = len(indexed)
    drift.missing = expected.keys() - indexed.keys()
    drift.extra = indexed.keys() - expected.keys()
    drift.stale = {
        key
        for key in expected.keys() & indexed.keys()
        if _second(expected[key]) != _second(indexed[key])
    }
    return drift


def repair_drift(alias: str) -> int:
    """Index what is missing or stale and remove what should not be there."""
    drift = index_drift(alias)
    if drift.error:
        return 0
    fixed = 0
    for key in sorted(drift.missing | drift.stale | drift.extra):
        kind, object_id = key.split(":")
        fixed += apply_update(alias, kind, int(object_id))
    return fixed
