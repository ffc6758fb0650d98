"""Answering searches: the configured backend, the database when it fails, editors' additions.

Synonyms, promoted results ("best bets") and spelling corrections are applied here, above the
backends, so every backend honours them the same way.
"""

import logging
from dataclasses import replace

from django.conf import settings

from core.text import single_line

from . import circuit
from .backends import get_search_backend
from .backends.base import BaseSearchBackend, Hit, SearchQuery, SearchResults
from .promotions import promoted_hits
from .synonyms import synonyms_for

logger = logging.getLogger(__name__)

FALLBACK = "fallback"


def fallback_backend() -> BaseSearchBackend:
    """The database backend, kept in step with the primary index for outages."""
    if FALLBACK in settings.SEARCH_BACKENDS:
        return get_search_backend(FALLBACK)
    from .backends.database import DatabaseSearchBackend

    return DatabaseSearchBackend(alias=FALLBACK)


def _answer(method: str, *args, **kwargs):
    """Call ``method`` on the primary backend, or on the fallback while the primary is failing."""
    backend = get_search_backend()
    if backend.name != "database" and not circuit.is_open("default"):
        try:
            return getattr(backend, method)(*args, **kwargs), False
        except Exception:
            circuit.trip("default")
            logger.warning(
                "Search backend %s failed; answering from the database for %ss",
                backend.name,
                circuit.OPEN_SECONDS,
                exc_info=True,
            )
    elif backend.name == "database":
        return getattr(backend, method)(*args, **kwargs), False
    return getattr(fallback_backend(), method)(*args, **kwargs), True


def run_search(query: SearchQuery) -> SearchResults:
    """One ranked list for ``query``: editors' picks first, corrected when nothing matched."""
    query = replace(query, text=single_line(query.text, 200))
    query = replace(query, synonyms=synonyms_for(query.text, query.locale))
    results, degraded = _answer("search", query)
    if not results.hits and results.did_you_mean and query.page == 1:
        corrected_query = replace(
            query,
            text=results.did_you_mean,
            synonyms=synonyms_for(results.did_you_mean, query.locale),
        )
        corrected, degraded = _answer("search", corrected_query)
        if corrected.hits:
            results = replace(
                corrected,
                query=query,
                did_you_mean=results.did_you_mean,
                corrected_from=query.text,
            )
    results.degraded = degraded
    if query.page == 1:
        _put_promotions_first(results, promoted_hits(query.text, query.locale))
    return results


def _put_promotions_first(results: SearchResults, promoted: list[Hit]) -> None:
    if not promoted:
        return
    chosen = {(hit.kind, hit.id) for hit in promoted}
    rest = [hit for hit in results.hits if (hit.kind, hit.id) not in chosen]
    results.total += len(rest) + len(promoted) - len(results.hits)
    results.hits = promoted + rest


def suggest_titles(text: str, language: str, limit: int = 10) -> list[str]:
    titles, _ = _answer("suggest", text, locale=language, limit=limit)
    return titles


def popular_when_nothing_found(results: SearchResults | None, query: SearchQuery) -> list:
    """Popular help articles (for the chosen product, if any) to offer when nothing matched."""
    if results is None or results.hits:
        return []
    from wagtail.models import Locale

    from kb.selectors import popular_articles

    locale = Locale.objects.filter(language_code=query.locale or settings.LANGUAGE_CODE).first()
    if locale is None:
        return []
    return popular_articles(locale=locale, product=query.product, limit=5)


def filter_params(query: SearchQuery) -> str:
    """The active filters as a query string, so pagination and links keep them."""
    from urllib.parse import urlencode

    params = {
        "kind": query.kind or "",
        "product": query.product or "",
        "solved": {True: "yes", False: "no"}.get(query.solved, ""),
    }
    return urlencode({k: v for k, v in params.items() if v})
