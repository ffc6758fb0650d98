"""``/healthz``: can the site serve, and is search at full strength?"""

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from search.backends import get_search_backend

logger = logging.getLogger(__name__)


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver error: the site cannot serve
        logger.exception("Health check: database unreachable")
        return False
    return True


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers; search degrades without failing the check."""
    backend = get_search_backend()
    database_ok = database_is_up()
    search_ok = database_ok and backend.health().ok
    body = {
        "database": "ok" if database_ok else "down",
        "search": "ok" if search_ok else "degraded",
        "search_backend": backend.name,
    }
    return JsonResponse(body, status=200 if database_ok else 503)
