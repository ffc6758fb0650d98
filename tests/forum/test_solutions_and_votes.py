"""Solutions, expert badges, "me too" and helpful votes, filters and the unanswered list."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from machina.apps.forum_conversation.models import Post

from forum.demo import topic_create
from forum.models import PostHelpfulVote, TopicMeToo, TopicSolution
from forum.views import topic_url
from tests.factories import UserFactory
from tests.forum.pages import client_for

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def people(forum):
    experts = Group.objects.get_or_create(name="Experts")[0]
    moderators = Group.objects.get_or_create(name="Moderators")[0]
    expert = UserFactory(username="sam", display_name="Sam from Support")
    expert.groups.add(experts)
    moderator = UserFactory(username="mona")
    moderator.groups.add(moderators)
    return {
        "asker": UserFactory(username="asker", email="asker@example.com"),
        "expert": expert,
        "moderator": moderator,
        "member": UserFactory(username="other"),
    }


@pytest.fixture
def thread(forum, people):
    topic = topic_create(
        forum=forum, poster=people["asker"], subject="Printer offline", content="It says offline."
    )
    reply = Post.objects.create(
        topic=topic,
        poster=people["expert"],
        subject="Re: Printer offline",
        content="Reserve its IP address.",
        approved=True,
    )
    return topic, reply


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("asker", True),
        ("expert", True),
        ("moderator", True),
        ("member", False),
    ],
)
def test_who_may_mark_the_solution(
    people, thread, who, allowed, django_capture_on_commit_callbacks
):
    topic, reply = thread
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people[who]).post(
            reverse("forum_mark_solution", args=[reply.pk]), **JSON
        )
    assert response.status_code == (200 if allowed else 403)
    assert TopicSolution.objects.filter(topic=topic, post=reply).exists() == allowed


def test_anonymous_cannot_mark(client, thread):
    _topic, reply = thread
    response = client.post(reverse("forum_mark_solution", args=[reply.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not TopicSolution.objects.exists()


def test_solution_shows_under_the_question_and_solved_in_lists(
    client, people, thread, forum, django_capture_on_commit_callbacks
):
    topic, reply = thread
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people["asker"]).post(reverse("forum_mark_solution", args=[reply.pk]))
    html = client.get(topic_url(topic)).content.decode()
    box = html.split("data-solution>")[1].split("</section>")[0]
    assert "Reserve its IP address." in box and "Sam from Support" in box
    assert people["asker"].get_display_name() in box
    assert "data-expert" in html
    forum_page = client.get(reverse("forum:forum", args=[forum.slug, forum.pk])).content.decode()
    assert "data-solved" in forum_page


def test_asker_gets_an_email_when_someone_else_marks(
    people, thread, django_capture_on_commit_callbacks
):
    topic, reply = thread
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people["expert"]).post(reverse("forum_mark_solution", args=[reply.pk]))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["asker@example.com"]
    assert "Printer offline" in message.subject
    assert f"?post={reply.pk}#{reply.pk}" in message.body


def test_mark_can_be_changed_and_removed(people, thread, forum):
    topic, reply = thread
    other = Post.objects.create(
        topic=topic, poster=people["member"], subject="Re", content="Restart it.", approved=True
    )
    asker = client_for(people["asker"])
    asker.post(reverse("forum_mark_solution", args=[reply.pk]))
    asker.post(reverse("forum_mark_solution", args=[other.pk]))
    assert TopicSolution.objects.get(topic=topic).post == other
    asker.post(reverse("forum_clear_solution", args=[topic.pk]))
    assert not TopicSolution.objects.exists()


def test_question_itself_or_another_topics_reply_cannot_be_the_solution(people, thread, forum):
    topic, _reply = thread
    foreign = topic_create(forum=forum, poster=people["member"], subject="Other", content="x")
    asker = client_for(people["asker"])
    assert (
        asker.post(reverse("forum_mark_solution", args=[topic.first_post.pk]), **JSON).status_code
        == 400
    )
    response = asker.post(reverse("forum_mark_solution", args=[foreign.first_post.pk]), **JSON)
    assert response.status_code in (400, 403)
    assert not TopicSolution.objects.exists()


def test_me_too_once_per_member_and_not_on_own_question(people, thread):
    topic, _ = thread
    member = client_for(people["member"])
    url = reverse("forum_me_too", args=[topic.pk])
    assert member.post(url, **JSON).json()["state"] is True
    assert TopicMeToo.objects.filter(topic=topic).count() == 1
    assert member.post(url, **JSON).json()["state"] is False
    assert TopicMeToo.objects.count() == 0
    assert client_for(people["asker"]).post(url, **JSON).status_code == 400


def test_helpful_votes_count_once_and_not_for_yourself(people, thread, client):
    topic, reply = thread
    url = reverse("forum_helpful", args=[reply.pk])
    client_for(people["asker"]).post(url)
    client_for(people["member"]).post(url)
    assert PostHelpfulVote.objects.filter(post=reply).count() == 2
    assert client_for(people["expert"]).post(url, **JSON).status_code == 400
    assert "2 found this helpful" in client.get(topic_url(topic)).content.decode()


def test_wrong_method_and_unknown_objects(people):
    member = client_for(people["member"])
    assert member.get(reverse("forum_me_too", args=[1])).status_code == 405
    assert member.post(reverse("forum_me_too", args=[999999])).status_code == 404
    assert member.post(reverse("forum_helpful", args=[999999])).status_code == 404


def test_forum_filters(client, forum, people, thread):
    topic, reply = thread
    unanswered = topic_create(
        forum=forum, poster=people["member"], subject="Nobody answered", content="?"
    )
    TopicSolution.objects.create(topic=topic, post=reply, marked_by=people["asker"])
    base = reverse("forum:forum", args=[forum.slug, forum.pk])

    def subjects(choice):
        html = client.get(base, {"filter": choice}).content.decode()
        return {t.subject for t in (topic, unanswered) if t.subject in html}

    assert subjects("solved") == {"Printer offline"}
    assert subjects("unsolved") == {"Nobody answered"}
    assert subjects("unanswered") == {"Nobody answered"}
    assert subjects("") == {"Printer offline", "Nobody answered"}
    assert subjects("bogus") == {"Printer offline", "Nobody answered"}


def test_unanswered_page_lists_only_questions_without_replies(client, forum, people, thread):
    topic_create(forum=forum, poster=people["member"], subject="Still waiting", content="?")
    html = client.get(reverse("forum_unanswered")).content.decode()
    assert "Still waiting" in html
    assert "Printer offline" not in html


def test_unanswered_puts_the_most_shared_problems_first(client, forum, people):
    topic_create(forum=forum, poster=people["member"], subject="Old lonely question", content="?")
    shared = topic_create(
        forum=forum, poster=people["member"], subject="Shared problem", content="?"
    )
    TopicMeToo.objects.create(topic=shared, user=people["asker"])
    html = client.get(reverse("forum_unanswered")).content.decode()
    assert html.index("Shared problem") < html.index("Old lonely question")
    assert "1 person has this problem too" in html
