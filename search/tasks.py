"""Index writes happen here, in background tasks; receivers only enqueue (Kitsune's shape)."""

from django_tasks import task

from .indexing import apply_update


@task()
def index_object(kind: str, object_id: int, backend: str = "default") -> None:
    """Re-read the object and index it in ``backend``, or remove it when no longer public."""
    apply_update(backend, kind, object_id)
