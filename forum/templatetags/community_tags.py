"""Template helpers that fetch community data for a whole page of topics or posts at once."""

from django import template
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import get_language
from wagtail.models import Locale

from forum.models import PostHelpfulVote, TopicMeToo, TopicSolution
from forum.promote import user_can_promote
from forum.rules import EXPERTS_GROUP, user_can_mark_solution

register = template.Library()


@register.simple_tag
def solved_topic_ids(topics) -> set[int]:
    """Ids of the solved topics among ``topics`` (one query for the whole list)."""
    ids = [topic.pk for topic in topics]
    return set(TopicSolution.objects.filter(topic_id__in=ids).values_list("topic_id", flat=True))


@register.simple_tag
def expert_user_ids(posts) -> set[int]:
    poster_ids = {post.poster_id for post in posts if post.poster_id}
    return set(
        get_user_model()
        .objects.filter(pk__in=poster_ids, groups__name=EXPERTS_GROUP)
        .values_list("pk", flat=True)
    )


@register.simple_tag
def helpful_counts(posts) -> dict[int, int]:
    rows = (
        PostHelpfulVote.objects.filter(post__in=[p.pk for p in posts])
        .values("post_id")
        .annotate(n=Count("pk"))
    )
    return {row["post_id"]: row["n"] for row in rows}


@register.simple_tag
def my_helpful_post_ids(posts, user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        PostHelpfulVote.objects.filter(post__in=[p.pk for p in posts], user=user).values_list(
            "post_id", flat=True
        )
    )


@register.simple_tag
def topic_community(topic, user) -> dict:
    """Solution, "me too" count and what ``user`` may do on ``topic``."""
    solution = (
        TopicSolution.objects.select_related("post__poster", "marked_by")
        .filter(topic=topic)
        .first()
    )
    me_too = TopicMeToo.objects.filter(topic=topic)
    return {
        "solution": solution,
        "me_too_count": me_too.count(),
        "i_have_it_too": user.is_authenticated and me_too.filter(user=user).exists(),
        "can_mark": user_can_mark_solution(user, topic),
        "can_promote": bool(solution)
        and user.is_authenticated
        and user_can_promote(
            user, topic, Locale.objects.filter(language_code=get_language()).first()
        ),
    }


@register.simple_tag
def lookup(mapping, key):
    return mapping.get(key, 0) if mapping else 0
