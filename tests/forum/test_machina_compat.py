"""django-machina 1.3.1 was released for Django up to 4.2: drive its views on our Django 5.2.

Each test goes through machina's real URLs, views, forms and templates (rendered inside our
site shell), so an incompatibility shows up here first.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from machina.apps.forum_conversation.models import Post, Topic
from machina.apps.forum_permission.models import ForumPermission, UserForumPermission

from forum.demo import topic_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NO_ATTACHMENTS = {
    "attachment-TOTAL_FORMS": "0",
    "attachment-INITIAL_FORMS": "0",
    "attachment-MIN_NUM_FORMS": "0",
    "attachment-MAX_NUM_FORMS": "5",
}


def topic_url(topic):
    return reverse(
        "forum_conversation:topic",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum.pk,
            "slug": topic.slug,
            "pk": topic.pk,
        },
    )


def test_forum_index_renders_in_site_shell(client, forum):
    response = client.get(reverse("forum:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Printers" in html
    assert 'class="site-header"' in html
    assert 'id="main"' in html


def test_forum_page_lists_topics(client, forum, member):
    topic_create(
        forum=forum, poster=member, subject="Paper jam with no paper inside", content="Help"
    )
    response = client.get(reverse("forum:forum", kwargs={"slug": forum.slug, "pk": forum.pk}))
    assert response.status_code == 200
    assert "Paper jam with no paper inside" in response.content.decode()


def test_member_creates_a_topic_without_a_poll(member_client, forum, member):
    url = reverse(
        "forum_conversation:topic_create", kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk}
    )
    form_page = member_client.get(url)
    assert form_page.status_code == 200
    assert "poll_question" not in form_page.content.decode()
    response = member_client.post(
        url,
        {
            "subject": "Printer shows offline over Wi-Fi",
            "content": "Since the router update my printer shows **offline**.",
            "topic_type": Topic.TOPIC_POST,
            **NO_ATTACHMENTS,
        },
    )
    assert response.status_code == 302, response.context["post_form"].errors
    topic = Topic.objects.get(subject="Printer shows offline over Wi-Fi")
    assert topic.poster == member
    assert topic.approved
    first = topic.first_post
    assert "<strong>offline</strong>" in first.content.rendered
    page = member_client.get(topic_url(topic))
    assert page.status_code == 200
    assert member.get_display_name() in page.content.decode()


def test_topic_form_errors_keep_what_was_typed(member_client, forum):
    url = reverse(
        "forum_conversation:topic_create", kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk}
    )
    response = member_client.post(
        url,
        {
            "subject": "",
            "content": "My long description",
            "topic_type": 0,
            **NO_ATTACHMENTS,
        },
    )
    assert response.status_code == 200
    assert "My long description" in response.content.decode()
    assert not Topic.objects.exists()


def test_member_replies(member_client, forum):
    asker = UserFactory()
    topic = topic_create(forum=forum, poster=asker, subject="Router keeps rebooting", content="?")
    url = reverse(
        "forum_conversation:post_create",
        kwargs={
            "forum_slug": forum.slug,
            "forum_pk": forum.pk,
            "topic_slug": topic.slug,
            "topic_pk": topic.pk,
        },
    )
    response = member_client.post(
        url,
        {
            "subject": "Re: Router keeps rebooting",
            "content": "Try a firmware update.",
            **NO_ATTACHMENTS,
        },
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.posts_count == 2
    assert topic.last_post.content.raw == "Try a firmware update."


def test_anonymous_cannot_post_and_is_sent_to_sign_in(client, forum):
    url = reverse(
        "forum_conversation:topic_create", kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk}
    )
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def require_approval(forum, user):
    """Deny ``can_post_without_approval`` to one user in one forum."""
    UserForumPermission.objects.create(
        forum=forum,
        user=user,
        has_perm=False,
        permission=ForumPermission.objects.get(codename="can_post_without_approval"),
    )


def test_moderation_queue_holds_and_approves_a_new_members_post(client, forum):
    newcomer = UserFactory()
    require_approval(forum, newcomer)
    client.force_login(newcomer)
    url = reverse(
        "forum_conversation:topic_create", kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk}
    )
    client.post(
        url,
        {
            "subject": "Cheap ink here",
            "content": "Is this legit?",
            "topic_type": 0,
            **NO_ATTACHMENTS,
        },
    )
    post = Post.objects.get(subject="Cheap ink here")
    assert not post.approved
    assert (
        "Cheap ink here"
        not in client.get(
            reverse("forum:forum", kwargs={"slug": forum.slug, "pk": forum.pk})
        ).content.decode()
    )

    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    queue = client.get(reverse("forum_moderation:queue"))
    assert queue.status_code == 200
    assert "Cheap ink here" in queue.content.decode()
    response = client.post(reverse("forum_moderation:approve_queued_post", kwargs={"pk": post.pk}))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.approved


def test_members_cannot_open_the_moderation_queue(member_client, forum):
    response = member_client.get(reverse("forum_moderation:queue"))
    assert response.status_code == 403


def test_ask_page_lists_forums_open_to_the_member(member_client, forum):
    response = member_client.get(reverse("forum_ask"))
    assert response.status_code == 200
    assert "Printers" in response.content.decode()


def test_ask_page_sends_anonymous_visitors_to_sign_in_and_back(client, forum):
    response = client.get(reverse("forum_ask"), {"title": "Printer offline"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "/en/accounts/login/?next=/en/community/ask/%3Ftitle%3DPrinter%2Boffline" in html
