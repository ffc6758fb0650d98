"""Default forum permissions, granted as machina permission rows.

Rows rather than ``MACHINA_DEFAULT_AUTHENTICATED_USER_FORUM_PERMISSIONS``: that setting overrides
per-forum denies (django-machina #70), so a private forum could not stay private.
"""

from django.contrib.auth.models import Group
from machina.apps.forum.models import Forum
from machina.apps.forum_permission.models import (
    ForumPermission,
    GroupForumPermission,
    UserForumPermission,
)

ANONYMOUS_PERMISSIONS = ("can_see_forum", "can_read_forum")
MEMBER_PERMISSIONS = (
    *ANONYMOUS_PERMISSIONS,
    "can_start_new_topics",
    "can_reply_to_topics",
    "can_edit_own_posts",
    "can_post_without_approval",
    "can_attach_file",
    "can_download_file",
)
MODERATOR_PERMISSIONS = (
    *MEMBER_PERMISSIONS,
    "can_lock_topics",
    "can_move_topics",
    "can_edit_posts",
    "can_delete_posts",
    "can_approve_posts",
    "can_reply_to_locked_topics",
    "can_post_stickies",
    "can_post_announcements",
)
MODERATORS_GROUP = "Moderators"
# New sign-ups: their posts wait in the moderation queue until one has been approved. A
# forum-group deny outranks the all-members grant in machina's permission checker.
NEWCOMERS_GROUP = "Newcomers"


def forum_grant_default_permissions(forum: Forum) -> None:
    """Everyone reads ``forum``; members post (newcomers after review); Moderators moderate."""
    permissions = {p.codename: p for p in ForumPermission.objects.all()}
    grants = [(codename, {"anonymous_user": True}) for codename in ANONYMOUS_PERMISSIONS]
    grants += [(codename, {"authenticated_user": True}) for codename in MEMBER_PERMISSIONS]
    for codename, who in grants:
        UserForumPermission.objects.update_or_create(
            forum=forum,
            permission=permissions[codename],
            user=None,
            **who,
            defaults={"has_perm": True},
        )
    newcomers = Group.objects.get_or_create(name=NEWCOMERS_GROUP)[0]
    GroupForumPermission.objects.update_or_create(
        forum=forum,
        permission=permissions["can_post_without_approval"],
        group=newcomers,
        defaults={"has_perm": False},
    )
    moderators = Group.objects.get_or_create(name=MODERATORS_GROUP)[0]
    for codename in MODERATOR_PERMISSIONS:
        GroupForumPermission.objects.update_or_create(
            forum=forum,
            permission=permissions[codename],
            group=moderators,
            defaults={"has_perm": True},
        )
