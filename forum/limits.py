"""Posting limits that stop floods without getting in the way of normal members.

Counts per member come from the database (exact across processes); counts per address use the
cache. New accounts (younger than a week) get the tighter topic limit.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from machina.apps.forum_conversation.models import Post, Topic

WINDOW = timedelta(minutes=10)
NEW_ACCOUNT_AGE = timedelta(days=7)
TOPICS_PER_WINDOW_NEW, TOPICS_PER_WINDOW = 5, 15
POSTS_PER_WINDOW = 30
PER_ADDRESS_PER_WINDOW = 60
NEW_ACCOUNT_MAX_LINKS = 2
LINK = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\bmailto:)")


@dataclass(frozen=True)
class LimitHit:
    message: str
    retry_after: int


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def _address_hits(request, kind: str) -> int:
    key = f"forum-limit:{kind}:{client_address(request)}"
    cache.add(key, 0, timeout=int(WINDOW.total_seconds()))
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=int(WINDOW.total_seconds()))
        return 1


def posting_limit_hit(request, *, new_topic: bool) -> LimitHit | None:
    """None when ``request.user`` may post now; otherwise what to tell them."""
    user, since = request.user, timezone.now() - WINDOW
    retry = int(WINDOW.total_seconds())
    if new_topic:
        is_new = user.date_joined > timezone.now() - NEW_ACCOUNT_AGE
        allowed = TOPICS_PER_WINDOW_NEW if is_new else TOPICS_PER_WINDOW
        if Topic.objects.filter(poster=user, created__gte=since).count() >= allowed:
            return LimitHit(
                _(
                    "You've started %(n)s topics in the last 10 minutes. Please wait a "
                    "few minutes before asking another question."
                )
                % {"n": allowed},
                retry,
            )
    elif Post.objects.filter(poster=user, created__gte=since).count() >= POSTS_PER_WINDOW:
        return LimitHit(_("You're posting very quickly. Please wait a few minutes."), retry)
    if _address_hits(request, "post") > PER_ADDRESS_PER_WINDOW:
        return LimitHit(_("Too many posts from your network. Please wait a few minutes."), retry)
    return None


def link_limit_message(user, text: str) -> str | None:
    """Spam is mostly links: accounts younger than a week may include only a couple per post."""
    joined = getattr(user, "date_joined", None)  # anonymous posters count as new
    if joined is not None and joined <= timezone.now() - NEW_ACCOUNT_AGE:
        return None
    if len(LINK.findall(text)) <= NEW_ACCOUNT_MAX_LINKS:
        return None
    return _(
        "New members can include at most %(n)s links in a post. Please remove some links; "
        "the limit goes away when your account is a week old."
    ) % {"n": NEW_ACCOUNT_MAX_LINKS}
