"""The topic page's reader controls are asked of machina once per request (forum.topic_page), and
the moderation-queue link, kept per member, follows their groups and the forum permission rows."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from machina.apps.forum_conversation.models import Post
from machina.apps.forum_permission.models import ForumPermission, UserForumPermission

from forum.demo import topic_create
from forum.models import PostHelpfulVote, TopicMeToo
from forum.permissions import MODERATORS_GROUP
from tests.factories import UserFactory
from tests.forum.pages import client_for, topic_html

pytestmark = pytest.mark.django_db
QUEUE_LINK = 'href="/en/community/moderation/queue/"'


@pytest.fixture
def thread(forum):
    asker = UserFactory(username="asker")
    topic = topic_create(forum=forum, poster=asker, subject="Scanner jams", content="Page 2 jams.")
    replies = [
        Post.objects.create(
            topic=topic, poster=UserFactory(), subject="Re", content=f"Try {n}.", approved=True
        )
        for n in range(3)
    ]
    return topic, replies


def test_both_action_bars_show_what_machina_allows_the_reader(thread):
    topic, _ = thread
    reader, moderator = UserFactory(), UserFactory()
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    lock = reverse("forum_moderation:topic_lock", kwargs={"slug": topic.slug, "pk": topic.pk})
    reply = reverse(
        "forum_conversation:post_create",
        args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk],
    )

    member_page = topic_html(client_for(reader), topic)
    assert member_page.count(f'href="{reply}"') == 2
    assert member_page.count(reverse("forum_member:topic_subscribe", args=[topic.pk])) == 2
    assert lock not in member_page

    moderator_page = topic_html(client_for(moderator), topic)
    assert moderator_page.count(lock) == 2

    topic.subscribers.add(reader)
    member_page = topic_html(client_for(reader), topic)
    assert member_page.count(reverse("forum_member:topic_unsubscribe", args=[topic.pk])) == 2
    assert reverse("forum_member:topic_subscribe", args=[topic.pk]) not in member_page


def test_votes_and_me_too_show_counts_and_the_readers_own(thread):
    topic, replies = thread
    reader, other = UserFactory(), UserFactory()
    PostHelpfulVote.objects.create(post=replies[0], user=reader)
    PostHelpfulVote.objects.create(post=replies[0], user=other)
    PostHelpfulVote.objects.create(post=replies[1], user=other)
    TopicMeToo.objects.create(topic=topic, user=other)

    html = topic_html(client_for(reader), topic)
    assert "2 found this helpful" in html and "1 found this helpful" in html
    assert html.count('aria-pressed="true">Helpful') == 1
    assert "1 person has this problem too" in html
    assert "I have this problem too" in html

    TopicMeToo.objects.create(topic=topic, user=reader)
    html = topic_html(client_for(reader), topic)
    assert "2 people have this problem too" in html
    assert "I don&#x27;t have this problem" in html or "I don't have this problem" in html


def test_queries_do_not_grow_with_the_posts_on_the_page(thread, forum):
    topic, replies = thread
    client = client_for(UserFactory())
    topic_html(client, topic)
    with CaptureQueriesContext(connection) as few:
        topic_html(client, topic)
    for n in range(8):
        post = Post.objects.create(
            topic=topic, poster=UserFactory(), subject="Re", content=f"More {n}.", approved=True
        )
        PostHelpfulVote.objects.create(post=post, user=UserFactory())
    topic_html(client, topic)
    with CaptureQueriesContext(connection) as many:
        topic_html(client, topic)
    assert len(many) == len(few)


def test_moderation_queue_link_follows_the_members_groups(thread):
    topic, _ = thread
    member = UserFactory()
    client = client_for(member)
    assert QUEUE_LINK not in topic_html(client, topic)

    moderators = Group.objects.get(name=MODERATORS_GROUP)
    member.groups.add(moderators)
    assert QUEUE_LINK in topic_html(client, topic)

    member.groups.remove(moderators)
    assert QUEUE_LINK not in topic_html(client, topic)


def test_moderation_queue_link_follows_a_grant_to_the_member_alone(thread, forum):
    topic, _ = thread
    member = UserFactory()
    client = client_for(member)
    assert QUEUE_LINK not in topic_html(client, topic)

    grant = UserForumPermission.objects.create(
        forum=forum,
        user=member,
        permission=ForumPermission.objects.get(codename="can_approve_posts"),
        has_perm=True,
    )
    assert QUEUE_LINK in topic_html(client, topic)
    assert client.get(reverse("forum_moderation:queue")).status_code == 200

    grant.delete()
    assert QUEUE_LINK not in topic_html(client, topic)


def test_anonymous_visitors_get_no_member_or_moderator_controls(thread, client):
    topic, _ = thread
    html = topic_html(client, topic)
    assert "Scanner jams" in html
    for control in (
        reverse("forum_member:topic_subscribe", args=[topic.pk]),
        reverse("forum_moderation:topic_lock", kwargs={"slug": topic.slug, "pk": topic.pk}),
        "/post/create/",
        QUEUE_LINK,
    ):
        assert control not in html


def test_superusers_get_every_control_and_the_queue(thread):
    topic, _ = thread
    admin = UserFactory(is_superuser=True, is_staff=True)
    html = topic_html(client_for(admin), topic)
    assert (
        html.count(
            reverse("forum_moderation:topic_move", kwargs={"slug": topic.slug, "pk": topic.pk})
        )
        == 2
    )
    assert QUEUE_LINK in html
