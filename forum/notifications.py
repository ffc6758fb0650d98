"""Email subscribers about new questions and replies; every message carries an unsubscribe link.

machina stores topic subscriptions but sends nothing. Emails go out from a background task
after the post's transaction commits; imports and demo seeding suppress them.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core import signing
from django.db import IntegrityError, transaction

_suppressed: ContextVar[bool] = ContextVar("forum_notifications_suppressed", default=False)
UNSUBSCRIBE_SALT = "forum.unsubscribe"


@contextmanager
def notifications_suppressed():
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def unsubscribe_token(*, user_id: int, kind: str, object_id: int) -> str:
    """A signed, URL-safe token naming one subscription; it needs no sign-in to use."""
    return signing.dumps(
        {"u": user_id, "k": kind, "o": object_id}, salt=UNSUBSCRIBE_SALT, compress=True
    )


def read_unsubscribe_token(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if data.get("k") not in {"topic", "forum"}:
        return None
    return data


def queue_post_notifications(post) -> None:
    """Once per approved post, after commit: emails to the topic's or forum's followers."""
    from .models import PostNotification
    from .tasks import notify_subscribers_of_post

    if _suppressed.get() or not post.approved:
        return
    try:
        with transaction.atomic():
            PostNotification.objects.create(post=post)
    except IntegrityError:
        return
    transaction.on_commit(lambda: notify_subscribers_of_post.enqueue(post.pk))
