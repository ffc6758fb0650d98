"""Signed-in topic pages reuse cached post fragments (topic_detail.html) but never stale or
someone else's: every change a reader can see shows up on their next load, and the reader's own
controls, forms and CSRF tokens are rendered for them alone."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse
from machina.apps.forum_conversation.forum_attachments.models import Attachment
from machina.apps.forum_conversation.models import Post, Topic
from machina.apps.forum_permission.models import ForumPermission, UserForumPermission
from machina.apps.forum_tracking.models import ForumReadTrack, TopicReadTrack
from machina.core.loading import get_class

from forum import services
from forum.demo import topic_create
from forum.permissions import MODERATORS_GROUP
from forum.rules import EXPERTS_GROUP
from tests.factories import UserFactory
from tests.forum.pages import client_for, topic_html

pytestmark = pytest.mark.django_db
TrackingHandler = get_class("forum_tracking.handler", "TrackingHandler")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def people(forum):
    moderator = UserFactory(username="mona")
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return {
        "asker": UserFactory(username="asker"),
        "helper": UserFactory(username="helper", display_name="Hal the Helper"),
        "moderator": moderator,
        "reader": UserFactory(username="reader"),
        "other": UserFactory(username="other"),
    }


@pytest.fixture
def thread(forum, people):
    topic = topic_create(
        forum=forum, poster=people["asker"], subject="Printer offline", content="It says offline."
    )
    reply = Post.objects.create(
        topic=topic,
        poster=people["helper"],
        subject="Re: Printer offline",
        content="Restart it.",
        approved=True,
    )
    return topic, reply


def edit_url(topic, post) -> str:
    forum = topic.forum
    args = [forum.slug, forum.pk, topic.slug, topic.pk]
    if post.is_topic_head:
        return reverse("forum_conversation:topic_update", args=args)
    return reverse("forum_conversation:post_update", args=[*args, post.pk])


def test_fragments_are_reused_between_readers(people, thread):
    """Guards the tests below: a change made without signals nor a new edit time stays hidden."""
    topic, reply = thread
    topic_html(client_for(people["reader"]), topic)
    Post.objects.filter(pk=reply.pk).update(subject="Changed behind the cache's back")
    assert "Changed behind the cache" not in topic_html(client_for(people["other"]), topic)


def test_an_edited_post_is_shown_to_a_reader_who_loaded_the_page(people, thread):
    topic, reply = thread
    reader = client_for(people["reader"])
    assert "Restart it." in topic_html(reader, topic)
    reply.content = "Restart it twice."
    reply.update_reason = "Clearer"
    reply.updated_by = people["moderator"]
    reply.updates_count = 1
    reply.save()
    html = topic_html(reader, topic)
    assert "Restart it twice." in html and "Clearer" in html
    assert people["moderator"].get_display_name() in html


def test_a_new_reply_is_shown(people, thread):
    topic, _reply = thread
    reader = client_for(people["reader"])
    topic_html(reader, topic)
    Post.objects.create(
        topic=topic, poster=people["other"], subject="Re", content="Check the cable.", approved=True
    )
    assert "Check the cable." in topic_html(reader, topic)


def test_a_marked_solution_is_shown(people, thread):
    topic, reply = thread
    reader = client_for(people["reader"])
    assert "data-solution-label" not in topic_html(reader, topic)
    response = client_for(people["asker"]).post(reverse("forum_mark_solution", args=[reply.pk]))
    assert response.status_code in (200, 302)
    html = topic_html(reader, topic)
    assert "data-solution-label" in html and "data-solved" in html


def test_helpful_and_me_too_votes_are_shown(people, thread):
    topic, reply = thread
    reader = client_for(people["reader"])
    html = topic_html(reader, topic)
    assert "0 people have this problem too" in html and "0 found this helpful" in html
    voter = client_for(people["other"])
    voter.post(reverse("forum_helpful", args=[reply.pk]))
    voter.post(reverse("forum_me_too", args=[topic.pk]))
    html = topic_html(reader, topic)
    assert "1 person has this problem too" in html and "1 found this helpful" in html
    # Each reader's own vote state: the voter's buttons are pressed, the reader's are not.
    assert 'aria-pressed="true"' in topic_html(voter, topic)
    assert 'aria-pressed="true"' not in topic_html(reader, topic)


def test_joining_and_leaving_the_experts_is_shown(people, thread):
    topic, _reply = thread
    reader = client_for(people["reader"])
    assert "data-expert" not in topic_html(reader, topic)
    experts = Group.objects.get_or_create(name=EXPERTS_GROUP)[0]
    people["helper"].groups.add(experts)
    assert "data-expert" in topic_html(reader, topic)
    experts.user_set.remove(people["helper"])  # from the group's side
    assert "data-expert" not in topic_html(reader, topic)
    people["helper"].groups.add(experts)
    assert "data-expert" in topic_html(reader, topic)
    experts.delete()  # no m2m_changed for the memberships deleted with it
    assert "data-expert" not in topic_html(reader, topic)


def test_a_renamed_poster_is_shown(people, thread):
    topic, _reply = thread
    reader = client_for(people["reader"])
    assert "Hal the Helper" in topic_html(reader, topic)
    people["helper"].display_name = "Hal from Support"
    people["helper"].save()
    html = topic_html(reader, topic)
    assert "Hal from Support" in html and "Hal the Helper" not in html


def test_members_get_their_own_csrf_tokens(people, thread):
    topic, _reply = thread
    first, second = client_for(people["reader"]), client_for(people["other"])
    for client in (first, second, first):
        tokens = TOKEN.findall(topic_html(client, topic))
        assert tokens
        secret = client.cookies["csrftoken"].value
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_authors_see_the_edit_link_on_their_own_posts_only(people, thread):
    topic, reply = thread
    head = topic.first_post
    html = topic_html(client_for(people["reader"]), topic)
    assert edit_url(topic, head) not in html and edit_url(topic, reply) not in html
    html = topic_html(client_for(people["asker"]), topic)
    assert edit_url(topic, head) in html and edit_url(topic, reply) not in html
    html = topic_html(client_for(people["helper"]), topic)
    assert edit_url(topic, reply) in html and edit_url(topic, head) not in html
    # The asker may not report or "me too" their own question; the helper may.
    assert reverse("forum_report_post", args=[head.pk]) in html
    assert reverse("forum_report_post", args=[reply.pk]) not in html


def test_moderators_see_moderation_links_and_members_do_not(people, thread):
    topic, reply = thread
    lock = reverse("forum_moderation:topic_lock", kwargs={"slug": topic.slug, "pk": topic.pk})
    delete = reverse(
        "forum_conversation:post_delete",
        args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk, reply.pk],
    )
    reader = client_for(people["reader"])
    html = topic_html(reader, topic)
    assert lock not in html and delete not in html
    html = topic_html(client_for(people["moderator"]), topic)
    assert lock in html and delete in html and edit_url(topic, reply) in html
    html = topic_html(reader, topic)
    assert lock not in html and delete not in html and edit_url(topic, reply) not in html


def test_attachment_links_follow_the_readers_download_permission(
    people, thread, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    topic, reply = thread
    attachment = Attachment(post=reply, comment="Driver log")
    attachment.file.save("driver.log", ContentFile(b"log"), save=False)
    attachment.save()
    UserForumPermission.objects.create(
        forum=topic.forum,
        user=people["other"],
        permission=ForumPermission.objects.get(codename="can_download_file"),
        has_perm=False,
    )
    link = reverse("forum_conversation:attachment", kwargs={"pk": attachment.pk})
    allowed, denied = client_for(people["reader"]), client_for(people["other"])
    assert link in topic_html(allowed, topic)
    assert link not in topic_html(denied, topic)
    assert link in topic_html(allowed, topic)


def read_marks(user) -> list:
    """machina's read records of ``user``: per topic, or per forum once all its topics are read."""
    topics = TopicReadTrack.objects.filter(user=user).values_list("topic_id", "mark_time")
    forums = ForumReadTrack.objects.filter(user=user).values_list("forum_id", "mark_time")
    return [*topics, *forums]


def unread(topic, user) -> bool:
    """machina's own answer, independent of ``services.topic_has_unread_for``."""
    topic = Topic.objects.get(pk=topic.pk)
    return bool(TrackingHandler().get_unread_topics([topic], user))


def test_topic_is_marked_read_when_it_has_new_posts(people, thread):
    topic, _reply = thread
    reader, user = client_for(people["reader"]), people["reader"]
    assert unread(topic, user)
    topic_html(reader, topic)
    assert not unread(topic, user)
    marks = read_marks(user)
    assert marks
    topic_html(reader, topic)  # nothing new: no write
    assert read_marks(user) == marks
    Post.objects.create(
        topic=topic, poster=people["other"], subject="Re", content="More.", approved=True
    )
    assert unread(topic, user)
    assert services.topic_has_unread_for(Topic.objects.get(pk=topic.pk), user)
    topic_html(reader, topic)
    assert not unread(topic, user)
    assert read_marks(user) != marks


def test_topic_views_add_up_for_members_and_visitors(people, thread):
    topic, _reply = thread
    before = Topic.objects.get(pk=topic.pk).views_count
    reader = client_for(people["reader"])
    for client in (reader, reader, Client(), Client(), client_for(people["other"])):
        topic_html(client, topic)
    assert Topic.objects.get(pk=topic.pk).views_count == before + 5
