"""Reads for the community pages, above all "is there already an answer?"."""

import re
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.html import strip_tags
from machina.apps.forum_conversation.models import Topic
from wagtail.models import Locale

MIN_WORD = 3
MAX_WORDS = 8


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "article" or "thread"
    title: str
    url: str
    snippet: str


def query_words(text: str) -> list[str]:
    words = [w for w in re.findall(r"\w+", text.lower()) if len(w) >= MIN_WORD]
    return list(dict.fromkeys(words))[:MAX_WORDS]


def _article_suggestions(words: list[str], language: str, limit: int) -> list[Suggestion]:
    from kb.models import ArticlePage

    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return []
    articles = ArticlePage.objects.live().public().filter(locale=locale)
    results = articles.search(" ".join(words), operator="or")[:limit]
    return [Suggestion("article", a.title, a.url, a.summary) for a in results]


def readable_forum_ids(user) -> list[int]:
    from machina.apps.forum.models import Forum

    from .rules import PermissionHandler

    return [f.pk for f in PermissionHandler().get_readable_forums(Forum.objects.all(), user)]


def _thread_suggestions(words: list[str], limit: int, user) -> list[Suggestion]:
    matches = Q()
    for word in words:
        matches |= Q(subject__icontains=word)
    topics = list(
        Topic.approved_objects.filter(
            matches, solution__isnull=False, forum_id__in=readable_forum_ids(user)
        ).select_related("forum", "first_post")[:200]
    )

    def score(topic):
        subject = topic.subject.lower()
        return sum(word in subject for word in words)

    topics.sort(key=lambda t: (-score(t), -t.posts_count))
    return [
        Suggestion(
            "thread",
            t.subject,
            reverse("forum_conversation:topic", args=[t.forum.slug, t.forum_id, t.slug, t.pk]),
            strip_tags(t.first_post.content.rendered)[:160] if t.first_post else "",
        )
        for t in topics[:limit]
    ]


def similar_help(text: str, *, language: str, user, limit: int = 5) -> list[Suggestion]:
    """Help articles and solved threads ``user`` may read that may already answer ``text``.

    Until the unified search index lands this asks the database; callers only see this function.
    """
    words = query_words(text)
    if not words:
        return []
    articles = _article_suggestions(words, language, limit)
    threads = _thread_suggestions(words, limit, user)
    merged = []
    for pair in zip(articles, threads, strict=False):
        merged.extend(pair)
    longer = articles if len(articles) > len(threads) else threads
    merged.extend(longer[len(merged) // 2 :])
    return merged[:limit]
