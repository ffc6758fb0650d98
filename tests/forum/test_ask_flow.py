"""Asking without duplicates: suggestions, deflection counting and the hand-over to the form."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from machina.apps.forum_conversation.models import Post

from forum.demo import topic_create
from forum.models import Deflection, TopicSolution
from tests.factories import UserFactory
from tests.factories.kb import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers(help_center, forum, member):
    article = make_article("Paper jam but no paper inside", body="## Fix\n\n1. Open the door.\n")
    solved = topic_create(
        forum=forum,
        poster=member,
        subject="Paper jam error with empty tray",
        content="It says **jam**.",
    )
    reply = Post.objects.create(
        topic=solved, poster=UserFactory(), subject="Re", content="Check the sensor.", approved=True
    )
    TopicSolution.objects.create(topic=solved, post=reply, marked_by=member)
    topic_create(forum=forum, poster=member, subject="Paper jam unsolved", content="?")
    call_command("search_reindex", "--no-progress")
    return article, solved


def test_suggestions_mix_articles_and_solved_threads(client, answers):
    article, solved = answers
    data = client.get(reverse("forum_ask_suggestions"), {"q": "paper jam empty"}).json()
    kinds = [r["kind"] for r in data["results"]]
    titles = [r["title"] for r in data["results"]]
    assert sorted(kinds[:2]) == ["article", "thread"]  # the two kinds interleave
    assert article.title in titles and solved.subject in titles
    assert "Paper jam unsolved" not in titles
    assert len(data["results"]) <= 5
    assert all("**" not in r["snippet"] and "<mark>" not in r["snippet"] for r in data["results"])


@pytest.mark.parametrize("query", ["", "a", "🙂", '"(*~\\', "x" * 10_000, "چاپگر"])
def test_odd_titles_answer(client, answers, query):
    response = client.get(reverse("forum_ask_suggestions"), {"q": query})
    assert response.status_code == 200
    assert "results" in response.json()


def test_ask_page_works_without_javascript(client, answers):
    html = client.get(reverse("forum_ask"), {"title": "paper jam"}).content.decode()
    assert "These may already answer it" in html
    assert "Paper jam but no paper inside" in html
    assert "Sign in to ask the community" in html


def test_opening_a_suggestion_counts_as_deflection_until_they_ask(answers, forum):
    article, _ = answers
    visitor = Client()
    visitor.force_login(UserFactory(username="asker2"))
    response = visitor.get(reverse("forum_ask_open"), {"to": article.url, "q": "paper jam"})
    assert response.status_code == 302 and response["Location"] == article.url
    deflection = Deflection.objects.get()
    assert (deflection.query, deflection.posted) == ("paper jam", False)

    form = visitor.get(
        reverse("forum_conversation:topic_create", args=[forum.slug, forum.pk]),
        {"subject": "paper jam"},
    )
    assert 'value="paper jam"' in form.content.decode()
    visitor.post(
        reverse("forum_conversation:topic_create", args=[forum.slug, forum.pk]),
        {
            "subject": "paper jam",
            "content": "Still stuck",
            "topic_type": 0,
            "attachment-TOTAL_FORMS": "0",
            "attachment-INITIAL_FORMS": "0",
        },
    )
    deflection.refresh_from_db()
    assert deflection.posted is True


def test_open_refuses_offsite_targets(client, answers):
    response = client.get(reverse("forum_ask_open"), {"to": "https://evil.example/", "q": "x"})
    assert response["Location"] == reverse("forum_ask")
    assert not Deflection.objects.exists()


def test_editors_see_the_deflection_count(client, answers):
    article, _ = answers
    Client().get(reverse("forum_ask_open"), {"to": article.url, "q": "paper jam"})
    editor = UserFactory(is_superuser=True, is_staff=True)
    Group.objects.get_or_create(name="Editors")
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert 'data-deflected="1"' in html
