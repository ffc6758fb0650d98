"""Import forum threads from JSON lines (``manage.py import_content``)."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic

from kb.importing import ImportContext, ImportLineError, _text

from .models import ImportedThread, TopicLanguage, TopicSolution
from .notifications import notifications_suppressed
from .permissions import forum_grant_default_permissions

MAX_BODY = 20_000
MAX_REPLIES = 500


def _when(value, default: datetime) -> datetime:
    if value in (None, ""):
        return default
    if not isinstance(value, str):
        raise ImportLineError('"created" must be an ISO 8601 date-time string')
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ImportLineError(f'"created" is not an ISO 8601 date-time: {value!r}') from exc
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, timezone.utc)


def _body(data: dict, key: str = "body") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ImportLineError(f'"{key}" is required')
    if len(value) > MAX_BODY:
        raise ImportLineError(f'"{key}" is longer than {MAX_BODY} characters')
    return value


def author_for(username: str):
    """The member called ``username``; created inactive (cannot sign in) when missing."""
    User = get_user_model()
    username = username.strip()[:150]
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, is_active=False)
        user.set_unusable_password()
        user.save()
    return user


def forum_for(name: str) -> Forum:
    forum = Forum.objects.filter(name=name, type=Forum.FORUM_POST).first()
    if forum is None:
        forum = Forum.objects.create(name=name, type=Forum.FORUM_POST)
        forum_grant_default_permissions(forum)
    return forum


def _validated_replies(data: dict) -> list[dict]:
    replies = data.get("replies", [])
    if not isinstance(replies, list) or len(replies) > MAX_REPLIES:
        raise ImportLineError(f'"replies" must be a list of at most {MAX_REPLIES} objects')
    for number, reply in enumerate(replies, start=1):
        if not isinstance(reply, dict):
            raise ImportLineError(f"reply {number} must be an object")
        try:
            _body(reply)
            _text(reply, "author")
        except ImportLineError as exc:
            raise ImportLineError(f"reply {number}: {exc}") from exc
    if sum(1 for r in replies if r.get("accepted") is True) > 1:
        raise ImportLineError("at most one reply can be accepted")
    return replies


def _post(
    topic: Topic, *, author, subject: str, body: str, created: datetime, post: Post | None = None
) -> Post:
    post = post or Post(topic=topic)
    post.poster, post.subject, post.content, post.approved = author, subject[:255], body, True
    post.save()
    Post.objects.filter(pk=post.pk).update(created=created, updated=created)
    return post


def import_thread(data: dict, context: ImportContext) -> Topic:  # noqa: ARG001 - shared signature
    """Imported conversations are history: nobody is emailed about them."""
    with notifications_suppressed(), transaction.atomic():
        return _import_thread(data)


def _import_thread(data: dict) -> Topic:
    subject = _text(data, "subject")
    body = _body(data)
    forum = forum_for(_text(data, "forum", limit=100))
    author = author_for(_text(data, "author"))
    created = _when(data.get("created"), timezone.now())
    replies = _validated_replies(data)
    external_id = _text(data, "external_id", required=False, limit=120)
    language = data.get("locale") or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise ImportLineError(f'unknown locale "{language}"')

    record = ImportedThread.objects.filter(external_id=external_id).first() if external_id else None
    topic = (
        record.topic
        if record
        else Topic(forum=forum, type=Topic.TOPIC_POST, status=Topic.TOPIC_UNLOCKED)
    )
    topic.forum, topic.poster, topic.subject, topic.approved = forum, author, subject, True
    topic.save()
    existing = list(topic.posts.order_by("created", "pk"))
    head = _post(
        topic,
        author=author,
        subject=subject,
        body=body,
        created=created,
        post=existing[0] if existing else None,
    )
    accepted = None
    previous = created
    for index, reply in enumerate(replies, start=1):
        when = _when(reply.get("created"), previous)
        previous = when
        post = _post(
            topic,
            author=author_for(reply["author"]),
            subject=f"Re: {subject}",
            body=reply["body"],
            created=when,
            post=existing[index] if index < len(existing) else None,
        )
        if reply.get("accepted") is True:
            accepted = post
    for extra in existing[len(replies) + 1 :]:
        extra.delete()
    TopicSolution.objects.filter(topic=topic).delete()
    if accepted is not None:
        TopicSolution.objects.create(topic=topic, post=accepted, marked_by=author)
    last = topic.posts.order_by("-created", "-pk").first()
    Topic.objects.filter(pk=topic.pk).update(
        created=created,
        first_post=head,
        last_post=last,
        last_post_on=last.created,
        posts_count=len(replies) + 1,
    )
    forum.refresh_from_db()
    forum.update_trackers()
    if external_id and record is None:
        ImportedThread.objects.create(external_id=external_id, topic=topic)
    TopicLanguage.objects.update_or_create(topic=topic, defaults={"language": language})
    return topic
