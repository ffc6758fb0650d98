"""Signal receivers: newcomers' first posts are reviewed; approved posts notify followers."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_save
from django.dispatch import receiver
from machina.apps.forum_conversation.models import Post

from accounts.signals import user_signed_up

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
