"""Reads for the community pages, above all "is there already an answer?"."""

import html
from dataclasses import dataclass

from django.utils.html import strip_tags


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "article" or "thread"
    title: str
    url: str
    snippet: str


def readable_forum_ids(user) -> list[int]:
    from machina.apps.forum.models import Forum

    from .rules import PermissionHandler

    return [f.pk for f in PermissionHandler().get_readable_forums(Forum.objects.all(), user)]


def similar_help(text: str, *, language: str, user, limit: int = 5) -> list[Suggestion]:
    """Help articles and solved threads that may already answer ``text``, from unified search.

    The index holds only what anonymous visitors may read, so threads of private forums are
    never suggested, whoever asks.
    """
    from search.backends.base import SearchQuery
    from search.services import run_search

    if not text.strip():
        return []
    found = run_search(SearchQuery(text=text, locale=language, solved=True, page_size=limit))
    return [
        Suggestion(hit.kind, hit.title, hit.url, html.unescape(strip_tags(hit.snippet)))
        for hit in found.hits[:limit]
    ]
