"""Topic pages for anonymous visitors come from the page cache until the thread changes."""

import pytest
from django.test import Client
from machina.apps.forum_conversation.models import Post, Topic

from forum import services
from forum.demo import topic_create
from forum.views import topic_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(forum):
    asker = UserFactory(username="asker")
    topic = topic_create(forum=forum, poster=asker, subject="Printer offline", content="Offline.")
    reply = Post.objects.create(
        topic=topic, poster=UserFactory(), subject="Re", content="Restart it.", approved=True
    )
    return topic, reply


def cached(client, url):
    client.get(url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    return response


def test_a_new_reply_retires_the_topic_page(client, thread):
    topic, _reply = thread
    url = topic_url(topic)
    cached(client, url)
    Post.objects.create(
        topic=topic, poster=UserFactory(), subject="Re", content="Check the cable.", approved=True
    )
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Check the cable." in response.content.decode()


def test_editing_a_post_and_marking_a_solution_retire_the_topic_page(client, thread):
    topic, reply = thread
    url = topic_url(topic)
    cached(client, url)
    reply.content = "Restart it twice."
    reply.save()
    assert "Restart it twice." in client.get(url).content.decode()
    cached(client, url)
    services.thread_mark_solved(topic=topic, post=reply, user=topic.poster)
    assert "data-solved" in client.get(url).content.decode()


def test_deleting_a_reply_retires_the_topic_page(client, thread):
    topic, reply = thread
    url = topic_url(topic)
    cached(client, url)
    reply.delete()
    assert "Restart it." not in client.get(url).content.decode()


def test_topic_views_are_counted_for_cached_pages(client, thread):
    topic, _reply = thread
    before = Topic.objects.get(pk=topic.pk).views_count
    for _ in range(3):
        client.get(topic_url(topic))
    assert Topic.objects.get(pk=topic.pk).views_count == before + 3


def test_members_and_post_links_are_rendered_each_time(client, thread):
    topic, reply = thread
    url = topic_url(topic)
    cached(client, url)
    member = Client()
    member.force_login(UserFactory())
    assert "X-Page-Cache" not in member.get(url)
    assert "X-Page-Cache" not in client.get(f"{url}?post={reply.pk}")
