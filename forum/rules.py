"""Who may do what in the community, on top of machina's forum permissions."""

from machina.core.loading import get_class

PermissionHandler = get_class("forum_permission.handler", "PermissionHandler")

EXPERTS_GROUP = "Experts"


def member_groups(user) -> dict[int, str]:
    """The member's groups (id → name), read once and kept on the user object.

    ``request.user`` is a new object on every request; code that changes a member's groups
    and then asks again on the same object sees the old ones.
    """
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_member_groups", None)
    if cached is None:
        cached = dict(user.groups.values_list("pk", "name"))
        user._member_groups = cached
    return cached


def member_group_ids(user) -> set[int]:
    return set(member_groups(user))


def user_is_expert(user) -> bool:
    """Company staff and trusted members who carry the expert badge."""
    return EXPERTS_GROUP in member_groups(user).values()


def request_permission_handler(request):
    """The request's machina handler (set by its middleware), whose checkers cache the reader's
    forum permissions: each new handler queries them again."""
    handler = getattr(request, "forum_permission_handler", None)
    return handler if handler is not None else PermissionHandler()


def user_is_moderator(user, forum, handler=None) -> bool:
    handler = handler or PermissionHandler()
    return user.is_authenticated and handler.can_approve_posts(forum, user)


def user_can_mark_solution(user, topic, handler=None) -> bool:
    """The asker, an expert or a moderator of the topic's forum."""
    if not user.is_authenticated:
        return False
    if topic.poster_id == user.pk or user_is_expert(user):
        return True
    return user_is_moderator(user, topic.forum, handler)


def user_can_read_topic(user, topic) -> bool:
    return PermissionHandler().can_read_forum(topic.forum, user) and topic.approved
