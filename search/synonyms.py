"""Editors' synonym lists, applied by expanding the query so every backend honours them alike.

Expansion happens at query time (not in an index analyzer), so an edit in the admin takes
effect at once without a reindex, and the database backend behaves like Elasticsearch.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from .models import SynonymGroup
from .ranking import query_terms

CACHE_KEY = "search:synonym-groups"


def _groups() -> list[tuple[str, list[str]]]:
    def load():
        return [
            (g.locale, [" ".join(query_terms(t)) for t in g.term_list()])
            for g in SynonymGroup.objects.all()
        ]

    return cache.get_or_set(CACHE_KEY, load, 300)


def synonyms_for(text: str, locale: str | None) -> tuple[str, ...]:
    """Phrases meaning the same as a word or phrase of ``text`` that ``text`` does not contain."""
    padded = f" {' '.join(query_terms(text, limit=50))} "
    found: list[str] = []
    for group_locale, terms in _groups():
        if group_locale and locale and group_locale != locale:
            continue
        if any(term and f" {term} " in padded for term in terms):
            found += [t for t in terms if t and f" {t} " not in padded and t not in found]
    return tuple(found[:10])


def forget_synonyms(**kwargs) -> None:
    cache.delete(CACHE_KEY)


post_save.connect(forget_synonyms, sender=SynonymGroup, dispatch_uid="search_synonyms_saved")
post_delete.connect(forget_synonyms, sender=SynonymGroup, dispatch_uid="search_synonyms_deleted")
