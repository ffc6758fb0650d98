"""What a topic page shows its reader beyond machina's own context, asked once per request.

machina's action bar asks its ``get_permission`` tag nine times, and the page shows the bar
twice; each call inspects every method of the handler before calling one. The community parts
(solution, "me too", votes) ran a query per template tag. Here each answer is read once, from
machina's permission handler and our tables, and the template only reads the results.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.translation import get_language
from wagtail.models import Locale

from core.pagecache import generations

from .models import PostHelpfulVote, TopicMeToo, TopicSolution
from .promote import user_can_promote
from .receivers import FORUM_ACCESS_GENERATION
from .rules import member_group_ids, request_permission_handler, user_can_mark_solution

# Template name → (machina handler method, asked of the forum rather than the topic).
TOPIC_ACTIONS = {
    "add_post": ("can_add_post", False),
    "subscribe": ("can_subscribe_to_topic", False),
    "unsubscribe": ("can_unsubscribe_from_topic", False),
    "lock": ("can_lock_topics", True),
    "move": ("can_move_topics", True),
    "delete": ("can_delete_topics", True),
    "to_normal": ("can_update_topics_to_normal_topics", True),
    "to_sticky": ("can_update_topics_to_sticky_topics", True),
    "to_announce": ("can_update_topics_to_announces", True),
}
MODERATION_QUEUE_TTL = 600


@dataclass
class TopicCommunity:
    solution: TopicSolution | None
    me_too_count: int
    i_have_it_too: bool
    can_mark: bool
    can_promote: bool
    helpful: dict[int, int]
    my_helpful: set[int]


def topic_actions(request, topic) -> dict[str, bool]:
    """The action bar's answers, from machina's handler (which caches the forum's rows)."""
    handler = request_permission_handler(request)
    user = request.user
    return {
        name: getattr(handler, method)(topic.forum if on_forum else topic, user)
        for name, (method, on_forum) in TOPIC_ACTIONS.items()
    }


def topic_community(request, topic, posts) -> TopicCommunity:
    """Solution, "me too" and helpful votes of ``posts``, and what the reader may do with them."""
    user = request.user
    signed_in = user.is_authenticated
    solution = (
        TopicSolution.objects.select_related("post__poster", "marked_by")
        .filter(topic=topic)
        .first()
    )
    me_too = TopicMeToo.objects.filter(topic=topic).aggregate(
        n=Count("pk"), mine=Count("pk", filter=readers_own(user))
    )
    helpful, my_helpful = helpful_votes(posts, user)
    return TopicCommunity(
        solution=solution,
        me_too_count=me_too["n"],
        i_have_it_too=bool(me_too["mine"]),
        can_mark=user_can_mark_solution(user, topic, request_permission_handler(request)),
        can_promote=bool(solution) and signed_in and reader_can_promote(user, topic),
        helpful=helpful,
        my_helpful=my_helpful,
    )


def helpful_votes(posts, user) -> tuple[dict[int, int], set[int]]:
    """Votes per post and the posts ``user`` voted for, in one query."""
    rows = (
        PostHelpfulVote.objects.filter(post__in=[p.pk for p in posts])
        .values("post_id")
        .annotate(n=Count("pk"), mine=Count("pk", filter=readers_own(user)))
    )
    counts = {row["post_id"]: row["n"] for row in rows}
    return counts, {row["post_id"] for row in rows if row["mine"]}


def readers_own(user) -> Q:
    """The rows ``user`` cast (none for anonymous visitors, whose ``pk`` is ``None``)."""
    return Q(user_id=user.pk) if user.is_authenticated else Q(pk=None)


def reader_can_promote(user, topic) -> bool:
    """Wagtail grants page rights to groups only: members of none (most readers) cannot."""
    if not user.is_superuser and not member_group_ids(user):
        return False
    locale = Locale.objects.filter(language_code=get_language()).first()
    return user_can_promote(user, topic, locale)


def member_can_access_moderation_queue(request) -> bool:
    """machina's answer, which reads every forum's rows, kept per member.

    The key holds what the answer depends on: the forum permission rows (their generation)
    and the member's groups. Anonymous visitors are asked directly: they hold no such rights
    unless an admin grants them, and their pages come from the page cache. A new forum
    saves no permission rows of its own: a superuser's answer (every forum) can lag it by
    ``MODERATION_QUEUE_TTL``.
    """
    user = request.user
    handler = request_permission_handler(request)
    if not user.is_authenticated:
        return handler.can_access_moderation_queue(user)
    access = generations([FORUM_ACCESS_GENERATION])[FORUM_ACCESS_GENERATION]
    groups = ",".join(str(pk) for pk in sorted(member_group_ids(user)))
    groups = hashlib.blake2b(groups.encode(), digest_size=8).hexdigest()
    key = f"forum-moderation-queue:{user.pk}:{int(user.is_superuser)}:{access}:{groups}"
    allowed = cache.get(key)
    if allowed is None:
        allowed = handler.can_access_moderation_queue(user)
        cache.set(key, allowed, MODERATION_QUEUE_TTL)
    return allowed
