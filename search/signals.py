"""Receivers that enqueue index updates after the change commits; they never index inline."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from .documents import ARTICLE, THREAD


def enqueue(kind: str, object_id: int | None) -> None:
    if object_id is None or not getattr(settings, "SEARCH_LIVE_INDEXING", True):
        return
    from .indexing import backend_aliases, keep_pending
    from .tasks import index_object

    def push():
        for alias in backend_aliases():
            try:
                index_object.enqueue(kind, object_id, alias)
            except Exception as exc:  # never break the content change that triggered it
                keep_pending(alias, kind, object_id, exc)

    transaction.on_commit(push)


def article_changed(sender, instance, **kwargs):
    enqueue(ARTICLE, instance.pk)


def _topic_id(instance) -> int | None:
    from machina.apps.forum_conversation.models import Topic

    if isinstance(instance, Topic):
        return instance.pk
    if hasattr(instance, "topic_id"):
        return instance.topic_id
    post = getattr(instance, "post", None)  # a helpful vote
    return getattr(post, "topic_id", None)


def thread_changed(sender, instance, **kwargs):
    enqueue(THREAD, _topic_id(instance))


def connect() -> None:
    from machina.apps.forum_conversation.models import Post, Topic

    from forum.models import PostHelpfulVote, TopicMeToo, TopicSolution
    from kb.models import ArticlePage

    for signal in (
        page_published,
        page_unpublished,
        post_page_move,
        page_slug_changed,
        post_delete,
    ):
        signal.connect(
            article_changed, sender=ArticlePage, dispatch_uid=f"search_article_{id(signal)}"
        )
    for model in (Topic, Post, TopicSolution, TopicMeToo, PostHelpfulVote):
        for signal in (post_save, post_delete):
            signal.connect(
                thread_changed,
                sender=model,
                dispatch_uid=f"search_thread_{model.__name__}_{id(signal)}",
            )
