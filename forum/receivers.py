"""Signal receivers: newcomers' first posts are reviewed; approved posts notify followers;
cached topic and product pages are retired when what they show changes."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from machina.apps.forum_conversation.models import Post

from accounts.signals import user_signed_up
from core.pagecache import bump

from .notifications import queue_post_notifications
from .permissions import NEWCOMERS_GROUP


@receiver(user_signed_up, dispatch_uid="forum_newcomer_on_signup")
def hold_first_posts_for_review(sender, user, **kwargs):
    user.groups.add(Group.objects.get_or_create(name=NEWCOMERS_GROUP)[0])


@receiver(post_save, sender=Post, dispatch_uid="forum_trust_after_first_approval")
def trust_after_first_approved_post(sender, instance: Post, created: bool, **kwargs):
    if created or not instance.approved or instance.poster_id is None:
        return
    newcomers = Group.objects.filter(name=NEWCOMERS_GROUP).first()
    if newcomers is not None:
        instance.poster.groups.remove(newcomers)


@receiver(post_save, sender=Post, dispatch_uid="forum_notify_subscribers")
def notify_subscribers(sender, instance: Post, **kwargs):
    queue_post_notifications(instance)


# Page cache (core.pagecache): a topic page depends on "topic:<id>" and on "forum" (who may
# read what); a product page on "forum:<id>" (its latest questions).
FORUM_ACCESS_GENERATION = "forum"
# Cached posts show the expert badge of their poster: group changes retire them all.
MEMBER_GROUPS_GENERATION = "member-groups"


def _topic_and_forum(instance) -> tuple[int | None, int | None]:
    """(topic id, forum id) of a topic, post, attachment, solution, vote or poll row."""
    from machina.apps.forum_conversation.models import Topic

    if isinstance(instance, Topic):
        return instance.pk, instance.forum_id
    if hasattr(instance, "poll_option_id"):  # a poll vote
        instance = instance.poll_option.poll
    if hasattr(instance, "poll_id"):  # a poll option
        instance = instance.poll
    if hasattr(instance, "post_id") and not hasattr(instance, "topic_id"):  # attachment, vote
        instance = instance.post
    topic_id = getattr(instance, "topic_id", None)
    if topic_id is None:
        return None, None
    forum_id = Topic.objects.filter(pk=topic_id).values_list("forum_id", flat=True).first()
    return topic_id, forum_id


def thread_changed(sender, instance, **kwargs):
    try:
        topic_id, forum_id = _topic_and_forum(instance)
    except ObjectDoesNotExist:  # the parent row is being deleted too; its own signal bumps
        return
    names = [f"topic:{topic_id}"] if topic_id else []
    names += [f"forum:{forum_id}"] if forum_id else []
    if names:
        bump(*names)


def forum_access_changed(sender, **kwargs):
    bump(FORUM_ACCESS_GENERATION)


def member_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Bump when someone joins or leaves the experts (not on every newcomer clean-up)."""
    from .rules import EXPERTS_GROUP

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        changed = instance.name == EXPERTS_GROUP
    else:
        experts = Group.objects.filter(name=EXPERTS_GROUP).values_list("pk", flat=True).first()
        changed = pk_set is None or experts in pk_set
    if changed:
        bump(MEMBER_GROUPS_GENERATION)


def group_changed(sender, **kwargs):
    """Renaming or deleting a group changes who is an expert without an ``m2m_changed``."""
    bump(MEMBER_GROUPS_GENERATION)


def connect_page_cache() -> None:
    from machina.apps.forum_conversation.forum_attachments.models import Attachment
    from machina.apps.forum_conversation.forum_polls.models import (
        TopicPoll,
        TopicPollOption,
        TopicPollVote,
    )
    from machina.apps.forum_conversation.models import Topic
    from machina.apps.forum_permission.models import (
        ForumPermission,
        GroupForumPermission,
        UserForumPermission,
    )

    from .models import PostHelpfulVote, TopicMeToo, TopicSolution

    threads = (Topic, Post, Attachment, TopicSolution, TopicMeToo, PostHelpfulVote)
    for model in (*threads, TopicPoll, TopicPollOption, TopicPollVote):
        for signal in (post_save, post_delete):
            signal.connect(
                thread_changed,
                sender=model,
                dispatch_uid=f"pagecache_{model.__name__}_{id(signal)}",
            )
    for model in (ForumPermission, GroupForumPermission, UserForumPermission):
        for signal in (post_save, post_delete):
            signal.connect(
                forum_access_changed,
                sender=model,
                dispatch_uid=f"pagecache_{model.__name__}_{id(signal)}",
            )
    for signal in (post_save, post_delete):
        signal.connect(group_changed, sender=Group, dispatch_uid=f"pagecache_Group_{id(signal)}")
    m2m_changed.connect(
        member_groups_changed,
        sender=get_user_model().groups.through,
        dispatch_uid="pagecache_member_groups",
    )
