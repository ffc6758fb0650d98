"""What customers search for: one counter row per day, language and normalised query.

Writes are single UPDATE statements (an INSERT the first time a query is seen that day), so
recording a search or a click costs one small query and never blocks the page on a lock.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import SearchQueryDay

MAX_LENGTH = 200


def normalise(text: str) -> str:
    return " ".join(text.lower().split())[:MAX_LENGTH]


def _bump(query: str, locale: str, **increments: int) -> None:
    query = normalise(query)
    if not query:
        return
    key = {"day": timezone.localdate(), "locale": locale[:10], "query": query}
    updates = {name: F(name) + amount for name, amount in increments.items()}
    if SearchQueryDay.objects.filter(**key).update(**updates):
        return
    try:
        with transaction.atomic():
            SearchQueryDay.objects.create(**key, **increments)
    except IntegrityError:  # another request created today's row first
        SearchQueryDay.objects.filter(**key).update(**updates)


def record_search(query: str, locale: str, *, total: int) -> None:
    _bump(query, locale, searches=1, zero_results=0 if total else 1)


def record_click(query: str, locale: str) -> None:
    _bump(query, locale, clicks=1)
