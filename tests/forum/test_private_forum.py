"""A staff-only forum stays private even through crafted URLs to our own views."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post

from forum.demo import topic_create
from forum.views import topic_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_thread():
    forum = Forum.objects.create(name="Staff room", type=Forum.FORUM_POST)  # no permission rows
    topic = topic_create(
        forum=forum, poster=UserFactory(), subject="Internal pricing", content="Secret"
    )
    reply = Post.objects.create(
        topic=topic, poster=UserFactory(), subject="Re", content="Also secret", approved=True
    )
    return topic, reply


@pytest.mark.parametrize("signed_in", [False, True])
def test_private_topic_is_not_readable(private_thread, signed_in):
    topic, _ = private_thread
    client = Client()
    if signed_in:
        client.force_login(UserFactory())
    response = client.get(topic_url(topic))
    assert response.status_code in (302, 403)
    assert "Secret" not in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "forum_me_too",
        "forum_helpful",
        "forum_mark_solution",
        "forum_report_post",
        "forum_promote_topic",
    ],
)
def test_our_actions_refuse_private_content(private_thread, name):
    topic, reply = private_thread
    client = Client()
    client.force_login(UserFactory())
    target = topic.pk if name in ("forum_me_too", "forum_promote_topic") else reply.pk
    response = client.post(reverse(name, args=[target]), {"reason": "spam"})
    assert response.status_code == 403


def test_private_threads_are_not_suggested_or_listed(client, private_thread):
    from forum.models import TopicSolution

    topic, reply = private_thread
    TopicSolution.objects.create(topic=topic, post=reply, marked_by=topic.poster)
    call_command("search_reindex", "--no-progress")
    data = client.get(reverse("forum_ask_suggestions"), {"q": "internal pricing"}).json()
    assert data["results"] == []
    assert "Internal pricing" not in client.get(reverse("forum_unanswered")).content.decode()


def test_private_threads_stay_out_of_the_search_index(private_thread):
    from search.documents import THREAD, all_documents, document_for

    topic, _ = private_thread
    assert document_for(THREAD, topic.pk) is None
    assert all(doc.key != f"thread:{topic.pk}" for doc in all_documents())
