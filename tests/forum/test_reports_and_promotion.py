"""Members report posts to moderators; editors turn solved threads into draft articles."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from machina.apps.forum_conversation.models import Post

from forum.demo import topic_create
from forum.models import PostReport, TopicSolution
from kb.editorial import setup_editorial_roles
from kb.models import ArticlePage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def solved(forum):
    asker = UserFactory()
    topic = topic_create(
        forum=forum,
        poster=asker,
        subject="Bank feed stopped syncing",
        content="Since Monday the **bank feed** shows BF-401.",
    )
    answer = Post.objects.create(
        topic=topic,
        poster=UserFactory(),
        subject="Re",
        content="Reconnect the bank under *Banking > Feeds*.",
        approved=True,
    )
    TopicSolution.objects.create(topic=topic, post=answer, marked_by=asker)
    return topic, answer


def test_report_goes_to_moderators_and_can_be_closed(forum, solved):
    topic, answer = solved
    reporter = logged_in(UserFactory())
    url = reverse("forum_report_post", args=[answer.pk])
    response = reporter.post(url, {"reason": "", "comment": "keep me"})
    assert response.status_code == 200 and "keep me" in response.content.decode()
    reporter.post(url, {"reason": "wrong", "comment": "This deletes data"})
    reporter.post(url, {"reason": "spam"})
    report = PostReport.objects.get()
    assert report.reason == "spam"

    assert logged_in(UserFactory()).get(reverse("forum_reports")).status_code == 403
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    mod = logged_in(moderator)
    assert "Bank feed stopped syncing" in mod.get(reverse("forum_reports")).content.decode()
    mod.post(reverse("forum_resolve_report", args=[report.pk]))
    report.refresh_from_db()
    assert report.resolved_by == moderator
    assert "No open reports" in mod.get(reverse("forum_reports")).content.decode()


def test_members_cannot_close_reports(forum, solved):
    _topic, answer = solved
    report = PostReport.objects.create(post=answer, reporter=UserFactory(), reason="spam")
    response = logged_in(UserFactory()).post(reverse("forum_resolve_report", args=[report.pk]))
    assert response.status_code == 403


def test_editor_promotes_a_solved_thread_to_a_draft_article(help_center, forum, solved):
    topic, _answer = solved
    setup_editorial_roles()
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client = logged_in(editor)
    page = client.get(
        reverse("forum_conversation:topic", args=[forum.slug, forum.pk, topic.slug, topic.pk])
    )
    assert "Turn into a help article" in page.content.decode()
    response = client.post(reverse("forum_promote_topic", args=[topic.pk]))
    article = ArticlePage.objects.get(title="Bank feed stopped syncing")
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert not article.live
    assert article.summary.startswith("Since Monday the bank feed shows BF-401.")
    blocks = [(b.block_type, str(b.render())) for b in article.body]
    assert blocks[3][0] == "text" and "Banking &gt; Feeds" in blocks[3][1]
    assert "/community/" in blocks[4][1]
    assert article.get_workflow().name == "Review and publish"


def test_members_cannot_promote_and_unsolved_threads_cannot_be_promoted(help_center, forum, solved):
    topic, _ = solved
    response = logged_in(UserFactory()).post(reverse("forum_promote_topic", args=[topic.pk]))
    assert response.status_code == 403
    unsolved = topic_create(forum=forum, poster=UserFactory(), subject="Open", content="?")
    setup_editorial_roles()
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    logged_in(editor).post(reverse("forum_promote_topic", args=[unsolved.pk]))
    assert not ArticlePage.objects.exists()
