"""Import forum threads and their members from JSON lines (``manage.py import_content``)."""

import re
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic

from kb.importing import ImportContext, ImportLineError, _text

from .models import ImportedThread, PostHelpfulVote, TopicLanguage, TopicMeToo, TopicSolution
from .notifications import notifications_suppressed
from .permissions import forum_grant_default_permissions

MAX_BODY = 20_000
MAX_REPLIES = 500
MAX_VOTES = 10_000
MAX_ATTACHMENTS = 20
# ``export_content`` names threads that were never imported ``thread-<topic id>``.
GENERATED_THREAD_ID = re.compile(r"^thread-(?P<pk>[0-9]+)$")


def thread_external_id(topic: Topic) -> str:
    """The id the thread was imported under, or the one ``export_content`` generates for it."""
    record = getattr(topic, "import_record", None)
    return record.external_id if record is not None else f"thread-{topic.pk}"


def _when(value, default: datetime) -> datetime:
    if value in (None, ""):
        return default
    if not isinstance(value, str):
        raise ImportLineError('"created" must be an ISO 8601 date-time string')
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ImportLineError(f'"created" is not an ISO 8601 date-time: {value!r}') from exc
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


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


@transaction.atomic
def import_user(data: dict, context: ImportContext):
    """A member line (exports list everyone their threads mention, before the threads).

    Missing members are created inactive with no usable password: they cannot sign in until
    they reset it. Existing accounts are never changed, except that an inactive placeholder
    without a password gets the email and display name it lacks.
    """
    User = get_user_model()
    username = _text(data, "username", limit=150)
    email = _text(data, "email", required=False, limit=254)
    display_name = _text(data, "display_name", required=False, limit=60)
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ImportLineError(f'"email" is not an email address: "{email}"') from exc
    user = User.objects.filter(username=username).first()
    placeholder = user is None or (not user.is_active and not user.has_usable_password())
    if not placeholder:
        return user
    if user is None:
        user = User(username=username, is_active=False)
        user.set_unusable_password()
    if email and not user.email:
        if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            context.warnings.append(f'user "{username}": email {email} belongs to another member')
        else:
            user.email = email
    user.display_name = user.display_name or display_name
    user.save()
    return user


def forum_for(name: str, *, category: str = "", public: bool = True) -> Forum:
    """The forum called ``name``; created (in ``category``, if named) when missing.

    A new forum gets the site's default permissions, unless ``public`` is false: then it has
    none, so only superusers see it until someone grants permissions in the admin.
    """
    forum = Forum.objects.filter(name=name, type=Forum.FORUM_POST).first()
    if forum is None:
        parent = None
        if category:
            parent = Forum.objects.filter(name=category, type=Forum.FORUM_CAT).first()
            if parent is None:
                parent = Forum.objects.create(name=category, type=Forum.FORUM_CAT)
                if public:
                    forum_grant_default_permissions(parent)
        forum = Forum.objects.create(name=name, type=Forum.FORUM_POST, parent=parent)
        if public:
            forum_grant_default_permissions(forum)
    return forum


def _usernames(data: dict, key: str) -> list[str]:
    value = data.get(key, [])
    if (
        not isinstance(value, list)
        or len(value) > MAX_VOTES
        or not all(isinstance(name, str) and name.strip() for name in value)
    ):
        raise ImportLineError(f'"{key}" must be a list of usernames')
    return list(dict.fromkeys(name.strip()[:150] for name in value))


def _attachments(data: dict) -> list[dict]:
    """Attachment metadata (name, size, content type): listed in the report, not restored."""
    value = data.get("attachments", [])
    if not isinstance(value, list) or len(value) > MAX_ATTACHMENTS:
        raise ImportLineError(f'"attachments" must be a list of at most {MAX_ATTACHMENTS} objects')
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ImportLineError('each attachment must be an object with a "name"')
    return value


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
            _usernames(reply, "helpful")
            _attachments(reply)
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


def import_thread(data: dict, context: ImportContext) -> Topic:
    """Imported conversations are history: nobody is emailed about them."""
    with notifications_suppressed(), transaction.atomic():
        return _import_thread(data, context)


def _existing_topic(external_id: str, *, subject: str, author, created: datetime | None):
    """(import record, topic) for ``external_id``; a generated id finds its unrecorded topic.

    ``thread-<id>`` only matches a topic with that id, subject, asker and creation time, so an
    export restored into another database never overwrites an unrelated topic.
    """
    if not external_id:
        return None, None
    record = ImportedThread.objects.filter(external_id=external_id).first()
    if record is not None:
        return record, record.topic
    match = GENERATED_THREAD_ID.match(external_id)
    if match is None or created is None:
        return None, None
    topic = Topic.objects.filter(
        pk=int(match["pk"]),
        subject=subject,
        poster=author,
        created=created,
        import_record__isnull=True,
    ).first()
    return None, topic


def _solution_marker(data: dict, author):
    """``"solution_marked_by"`` when given (null: nobody); otherwise the asker."""
    if "solution_marked_by" not in data:
        return author
    marker = data["solution_marked_by"]
    if marker is None:
        return None
    if not isinstance(marker, str) or not marker.strip():
        raise ImportLineError('"solution_marked_by" must be a username or null')
    return author_for(marker)


def _set_votes(model, voters: list[str], **target) -> None:
    model.objects.filter(**target).delete()
    model.objects.bulk_create([model(user=author_for(name), **target) for name in voters])


def _record_attachments(context, external_id: str, subject: str, posts_and_items) -> None:
    """Attachments cannot be restored from metadata: list them in the report instead."""
    names = []
    for position, post, items in posts_and_items:
        for item in items:
            names.append(item["name"])
            context.skipped_attachments.append(
                {
                    "thread": external_id or subject,
                    "post": position,
                    "post_id": post.pk,
                    "name": item["name"],
                    "size": item.get("size"),
                    "content_type": item.get("content_type"),
                }
            )
    if names:
        context.warnings.append(
            f'thread "{external_id or subject}": {len(names)} attachment(s) not restored '
            f"(the export lists files, it does not contain them): {', '.join(names)}"
        )


def _import_thread(data: dict, context: ImportContext) -> Topic:
    subject = _text(data, "subject")
    body = _body(data)
    public = data.get("forum_public", True)
    if not isinstance(public, bool):
        raise ImportLineError('"forum_public" must be true or false')
    forum_name = _text(data, "forum", limit=100)
    category = _text(data, "forum_category", required=False, limit=100)
    author = author_for(_text(data, "author"))
    created = _when(data.get("created"), timezone.now())
    replies = _validated_replies(data)
    external_id = _text(data, "external_id", required=False, limit=120)
    language = data.get("locale") or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise ImportLineError(f'unknown locale "{language}"')
    me_too = _usernames(data, "me_too")
    helpful = _usernames(data, "helpful")
    head_attachments = _attachments(data)
    marker = _solution_marker(data, author)
    new_forum = not Forum.objects.filter(name=forum_name, type=Forum.FORUM_POST).exists()
    forum = forum_for(forum_name, category=category, public=public)
    if new_forum and not public:
        context.warnings.append(
            f'forum "{forum_name}" created without permissions (it was not public): '
            "grant them in the admin"
        )

    record, found = _existing_topic(
        external_id,
        subject=subject,
        author=author,
        created=created if data.get("created") else None,
    )
    topic = found or Topic(forum=forum, type=Topic.TOPIC_POST, status=Topic.TOPIC_UNLOCKED)
    topic.forum, topic.poster, topic.subject, topic.approved = forum, author, subject, True
    topic.save()
    # Posts still waiting for moderation are not in exports: leave them alone.
    existing = list(topic.posts.filter(approved=True).order_by("created", "pk"))
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
    posts = [(0, head, head_attachments)]
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
        posts.append((index, post, _attachments(reply)))
        if "helpful" in reply:
            _set_votes(PostHelpfulVote, _usernames(reply, "helpful"), post=post)
    if "helpful" in data:
        _set_votes(PostHelpfulVote, helpful, post=head)
    if "me_too" in data:
        _set_votes(TopicMeToo, me_too, topic=topic)
    for extra in existing[len(replies) + 1 :]:
        extra.delete()
    TopicSolution.objects.filter(topic=topic).delete()
    if accepted is not None:
        TopicSolution.objects.create(topic=topic, post=accepted, marked_by=marker)
    last = topic.posts.filter(approved=True).order_by("-created", "-pk").first()
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
    _record_attachments(context, external_id, subject, posts)
    return topic
