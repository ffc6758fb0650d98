"""Answering searches: the configured backend, falling back to the database when it fails."""

import logging

from .backends import get_search_backend
from .backends.base import SearchQuery, SearchResults

logger = logging.getLogger(__name__)


def _fallback():
    from .backends.database import DatabaseSearchBackend

    return DatabaseSearchBackend()


def run_search(query: SearchQuery) -> SearchResults:
    """Results from the configured backend; from the database if that backend fails."""
    backend = get_search_backend()
    try:
        return backend.search(query)
    except Exception:
        if backend.name == "database":
            raise
        logger.warning(
            "Search backend %s failed; answering from the database", backend.name, exc_info=True
        )
        return _fallback().search(query)


def suggest_titles(text: str, language: str, limit: int = 10) -> list[str]:
    backend = get_search_backend()
    try:
        return backend.suggest(text, locale=language, limit=limit)
    except Exception:
        if backend.name == "database":
            raise
        return _fallback().suggest(text, locale=language, limit=limit)
