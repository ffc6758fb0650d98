"""Writes for the community: solutions and votes. Views stay thin and call these."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from machina.apps.forum_conversation.models import Post, Topic

from core.counters import BufferedCounter

from .models import (
    Deflection,
    ForumSubscription,
    PostHelpfulVote,
    PostReport,
    TopicLanguage,
    TopicMeToo,
    TopicSolution,
)
from .rules import user_can_mark_solution
from .tasks import notify_asker_of_solution

logger = logging.getLogger(__name__)


@transaction.atomic
def thread_mark_solved(*, topic: Topic, post: Post, user) -> TopicSolution:
    """Mark ``post`` as the answer to ``topic``; replaces any earlier solution."""
    if not user_can_mark_solution(user, topic):
        raise PermissionDenied(_("Only the asker, an expert or a moderator can mark the solution."))
    if post.topic_id != topic.pk or post.is_topic_head or not post.approved:
        raise ValidationError(_("Choose an approved reply in this topic as the solution."))
    solution, _created = TopicSolution.objects.update_or_create(
        topic=topic, defaults={"post": post, "marked_by": user}
    )
    logger.info("Topic %s solved by post %s (marked by user %s)", topic.pk, post.pk, user.pk)
    if topic.poster_id and topic.poster_id != user.pk:
        transaction.on_commit(lambda: notify_asker_of_solution.enqueue(solution.pk))
    return solution


@transaction.atomic
def thread_clear_solution(*, topic: Topic, user) -> None:
    if not user_can_mark_solution(user, topic):
        raise PermissionDenied(
            _("Only the asker, an expert or a moderator can change the solution.")
        )
    TopicSolution.objects.filter(topic=topic).delete()


def _toggle(model, *, user, **target) -> bool:
    """Add the member's mark, or take it back if it was there. True when it is now set."""
    deleted, _rows = model.objects.filter(user=user, **target).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            model.objects.create(user=user, **target)
    except IntegrityError:  # a double click raced us; the mark is there either way
        pass
    return True


def topic_toggle_me_too(*, topic: Topic, user) -> bool:
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to say you have this problem too."))
    if topic.poster_id == user.pk:
        raise ValidationError(_("This is your own question."))
    return _toggle(TopicMeToo, user=user, topic=topic)


def post_toggle_helpful(*, post: Post, user) -> bool:
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to vote."))
    if post.poster_id == user.pk:
        raise ValidationError(_("You can't vote for your own reply."))
    return _toggle(PostHelpfulVote, user=user, post=post)


def deflection_record(*, visitor: str, query: str, target_url: str) -> Deflection:
    return Deflection.objects.create(
        visitor=visitor, query=" ".join(query.split())[:200], target_url=target_url[:500]
    )


def deflection_mark_posted(*, visitor: str, within_hours: int = 24) -> int:
    """The visitor asked after all: their recent suggestion clicks were not deflections."""
    from datetime import timedelta

    from django.utils import timezone

    since = timezone.now() - timedelta(hours=within_hours)
    return Deflection.objects.filter(visitor=visitor, created_at__gte=since, posted=False).update(
        posted=True
    )


def forum_toggle_follow(*, forum, user) -> bool:
    return _toggle(ForumSubscription, user=user, forum=forum)


def subscription_remove(*, user_id: int, kind: str, object_id: int) -> None:
    """Stop one subscription named by an unsubscribe link (already gone is fine)."""
    if kind == "forum":
        ForumSubscription.objects.filter(user_id=user_id, forum_id=object_id).delete()
    else:
        Topic.subscribers.through.objects.filter(topic_id=object_id, user_id=user_id).delete()


def post_report(*, post: Post, reporter, reason: str, comment: str = "") -> PostReport:
    """One open report per member per post; reporting again updates the reason."""
    report, _created = PostReport.objects.update_or_create(
        post=post,
        reporter=reporter,
        resolved_at=None,
        defaults={"reason": reason, "comment": comment.strip()},
    )
    logger.info("Post %s reported by user %s (%s)", post.pk, reporter.pk, reason)
    return report


def report_resolve(*, report: PostReport, moderator) -> None:
    from django.utils import timezone

    report.resolved_by, report.resolved_at = moderator, timezone.now()
    report.save(update_fields=["resolved_by", "resolved_at"])


def topic_record_language(*, topic: Topic, language: str) -> None:
    TopicLanguage.objects.update_or_create(topic=topic, defaults={"language": language})


def _write_topic_views(batch: dict[int, int]) -> None:
    with transaction.atomic():
        for topic_id, views in batch.items():
            Topic.objects.filter(pk=topic_id).update(views_count=F("views_count") + views)


# machina counts a view per request (forum_conversation.receivers.update_topic_counter); pages
# served from the anonymous page cache count here instead, in batches (see core.counters).
topic_views = BufferedCounter(
    _write_topic_views,
    max_pending=lambda: getattr(settings, "KB_VIEW_BUFFER", 200),
    max_seconds=lambda: getattr(settings, "KB_VIEW_FLUSH_SECONDS", 30),
)


def topic_count_view(topic_id: int) -> None:
    topic_views.add(topic_id)


def topic_has_unread_for(topic: Topic, user) -> bool:
    """Whether ``topic`` has posts ``user``'s read tracks do not cover yet (machina's rule)."""
    from machina.apps.forum_tracking.models import ForumReadTrack, TopicReadTrack

    tracks = {"mark_time__gte": topic.last_post_on} if topic.last_post_on else {}
    return not (
        TopicReadTrack.objects.filter(topic=topic, user=user, **tracks).exists()
        or ForumReadTrack.objects.filter(forum_id=topic.forum_id, user=user, **tracks).exists()
    )
