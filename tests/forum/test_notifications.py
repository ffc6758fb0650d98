"""Followers get an email after a new question or reply, with a working unsubscribe link."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from machina.apps.forum_conversation.models import Post

from forum.demo import topic_create
from forum.models import ForumSubscription
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def reply(topic, user, text="Try a firmware update.", approved=True):
    return Post.objects.create(
        topic=topic, poster=user, subject="Re", content=text, approved=approved
    )


def unsubscribe_path(body: str) -> str:
    return re.search(r"https?://[^/]+(/\S*/unsubscribe/\S+/)", body).group(1)


def test_topic_followers_get_replies_not_their_own(forum, django_capture_on_commit_callbacks):
    asker, helper = UserFactory(), UserFactory()
    topic = topic_create(forum=forum, poster=asker, subject="Router reboots", content="?")
    topic.subscribers.add(asker, helper)
    with django_capture_on_commit_callbacks(execute=True):
        reply(topic, helper)
    assert [m.to for m in mail.outbox] == [[asker.email]]
    message = mail.outbox[0]
    assert "Router reboots" in message.subject and "Try a firmware update." in message.body
    assert "List-Unsubscribe" in message.extra_headers


def test_forum_followers_hear_about_new_questions(forum, django_capture_on_commit_callbacks):
    follower = UserFactory()
    client = Client()
    client.force_login(follower)
    assert client.post(reverse("forum_follow", args=[forum.pk])).status_code == 302
    assert ForumSubscription.objects.filter(user=follower, forum=forum).exists()
    with django_capture_on_commit_callbacks(execute=True):
        topic_create(
            forum=forum, poster=UserFactory(), subject="New printer question", content="Hello"
        )
    assert len(mail.outbox) == 1
    assert "New question in Printers" in mail.outbox[0].subject


def test_unsubscribe_link_confirms_then_stops_emails(forum, django_capture_on_commit_callbacks):
    asker = UserFactory()
    topic = topic_create(forum=forum, poster=asker, subject="Router reboots", content="?")
    topic.subscribers.add(asker)
    with django_capture_on_commit_callbacks(execute=True):
        reply(topic, UserFactory())
    path = unsubscribe_path(mail.outbox[0].body)
    anonymous = Client()
    assert "Stop these emails?" in anonymous.get(path).content.decode()
    assert topic.subscribers.filter(pk=asker.pk).exists()
    assert "unsubscribed" in anonymous.post(path).content.decode()
    assert not topic.subscribers.filter(pk=asker.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        reply(topic, UserFactory(), text="Another reply")
    assert len(mail.outbox) == 1


def test_tampered_unsubscribe_token_is_refused(client):
    response = client.get(reverse("forum_unsubscribe", args=["not-a-token"]))
    assert response.status_code == 400


def test_held_posts_notify_once_when_approved(forum, django_capture_on_commit_callbacks):
    asker = UserFactory()
    topic = topic_create(forum=forum, poster=asker, subject="Router reboots", content="?")
    topic.subscribers.add(asker)
    with django_capture_on_commit_callbacks(execute=True):
        held = reply(topic, UserFactory(), approved=False)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        held.approved = True
        held.save()
        held.save()
    assert len(mail.outbox) == 1


def test_imports_send_no_email(forum, tmp_path, django_capture_on_commit_callbacks):
    import json

    from django.core.management import call_command

    ForumSubscription.objects.create(forum=forum, user=UserFactory())
    path = tmp_path / "t.jsonl"
    path.write_text(
        json.dumps(
            {
                "type": "thread",
                "forum": forum.name,
                "subject": "Old",
                "body": "History",
                "author": "old_member",
            }
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_content", str(path), "--no-progress")
    assert mail.outbox == []
