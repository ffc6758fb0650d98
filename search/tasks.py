"""Index writes happen here, in background tasks; receivers only enqueue (Kitsune's shape)."""

import logging

from django_tasks import task

from .backends import get_search_backend
from .documents import document_for

logger = logging.getLogger(__name__)


@task()
def index_object(kind: str, object_id: int) -> None:
    """Re-read the object and index it, or remove it when it is gone or no longer public."""
    backend = get_search_backend()
    document = document_for(kind, object_id)
    if document is None:
        backend.delete([f"{kind}:{object_id}"])
        logger.info("Removed %s:%s from the search index", kind, object_id)
    else:
        backend.index([document])
