"""Template helpers that fetch community data for a whole page of topics or posts at once."""

from django import template
from django.contrib.auth import get_user_model
from django.utils.functional import SimpleLazyObject
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language
from machina.core.loading import get_class

from forum.models import TopicSolution
from forum.rules import EXPERTS_GROUP, request_permission_handler
from forum.topic_page import member_can_access_moderation_queue

register = template.Library()

get_forum_member_display_name = get_class("forum_member.shortcuts", "get_forum_member_display_name")


@register.simple_tag
def solved_topic_ids(topics) -> set[int]:
    """Ids of the solved topics among ``topics`` (one query for the whole list)."""
    ids = [topic.pk for topic in topics]
    return set(TopicSolution.objects.filter(topic_id__in=ids).values_list("topic_id", flat=True))


@register.simple_tag
def expert_user_ids(posts):
    """The experts among the posters, queried only if a post is rendered rather than read from
    its cached fragment (topic_detail.html), where the badge is."""

    def query() -> set[int]:
        poster_ids = {post.poster_id for post in posts if post.poster_id}
        return set(
            get_user_model()
            .objects.filter(pk__in=poster_ids, groups__name=EXPERTS_GROUP)
            .values_list("pk", flat=True)
        )

    return SimpleLazyObject(query)


@register.simple_tag(takes_context=True)
def moderation_queue_access(context) -> bool:
    request = context.get("request")
    return request is not None and member_can_access_moderation_queue(request)


@register.simple_tag
def lookup(mapping, key):
    return mapping.get(key, 0) if mapping else 0


@register.simple_tag
def post_fragment_key(post, vary) -> str:
    """Everything the cached part of a post shows that its own ``updated`` does not cover.

    ``vary`` (from the view) holds the topic's generations, covering solutions, votes,
    attachments and expert changes, and the reader's attachment permission; the names of the
    poster and of the last editor, the poster's post count, avatar and signature change with
    other rows, so they are part of the key.
    """
    parts = [post.pk, post.updated.isoformat() if post.updated else "", *vary]
    parts += [get_language(), get_current_timezone_name()]
    for person in (post.poster, post.updated_by):
        parts += [person.pk, get_forum_member_display_name(person)] if person else [""]
    profile = getattr(post.poster, "forum_profile", None) if post.poster else None
    if profile is not None:
        signature = profile.signature.raw if profile.signature else ""
        parts += [profile.posts_count, profile.avatar.name or "", signature]
    return "|".join(str(part) for part in parts)


@register.simple_tag(takes_context=True)
def post_permissions(context, post, user) -> dict:
    """Whether ``user`` may edit or delete ``post``, asked of machina once per kind of post.

    For a signed-in member machina's answer depends only on the forum, the topic and whether
    they wrote the post, so it is asked once for their own posts and once for others' on the
    page; for anonymous visitors (session-keyed authorship) it is asked for every post.
    """
    request = context.get("request")
    memo = getattr(request, "_post_permissions", None)
    if memo is None:
        memo = {}
        if request is not None:
            request._post_permissions = memo
    own = post.poster_id == user.pk
    key = (user.pk, post.topic_id, own) if user.is_authenticated else (None, post.pk, None)
    if key not in memo:
        handler = request_permission_handler(request)
        memo[key] = {
            "edit": handler.can_edit_post(post, user),
            "delete": handler.can_delete_post(post, user),
        }
    return memo[key]
