""" "Was this helpful?" votes: one per visitor per article, clear answers to bad requests."""

import pytest
from django.test import Client
from django.urls import reverse

from kb.models import ArticleFeedback
from kb.selectors import article_satisfaction
from tests.factories.kb import make_article

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def article(help_center):
    return make_article("Install the driver")


def vote_url(page_id):
    return reverse("kb:article_feedback", args=[page_id])


def test_no_vote_with_reason_and_comment(client, article):
    response = client.post(
        vote_url(article.pk),
        {
            "helpful": "no",
            "reason": "outdated",
            "comment": "Menu names changed in v2.",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(article.url + "#feedback")
    vote = ArticleFeedback.objects.get()
    assert (vote.helpful, vote.reason, vote.comment) == (
        False,
        "outdated",
        "Menu names changed in v2.",
    )
    assert vote.locale == article.locale
    assert "Thanks for your feedback" in client.get(article.url).content.decode()


def test_repeated_votes_never_double_count(client, article):
    assert client.post(vote_url(article.pk), {"helpful": "yes"}, **JSON).status_code == 201
    response = client.post(vote_url(article.pk), {"helpful": "no", "reason": "not_solved"}, **JSON)
    assert response.status_code == 200
    assert response.json()["created"] is False
    assert ArticleFeedback.objects.count() == 1
    assert article_satisfaction(article=article) == {"yes": 0, "total": 1, "ratio": 0.0}


def test_each_visitor_counts_once(article, member_client):
    Client().post(vote_url(article.pk), {"helpful": "yes"})
    member_client.post(vote_url(article.pk), {"helpful": "yes"})
    member_client.post(vote_url(article.pk), {"helpful": "yes"})
    assert article_satisfaction(article=article) == {"yes": 2, "total": 2, "ratio": 1.0}


def test_wrong_method_is_405(client, article):
    assert client.get(vote_url(article.pk)).status_code == 405
    assert client.put(vote_url(article.pk)).status_code == 405


def test_unknown_or_draft_article_is_404(client, article, help_center):
    draft = make_article("Draft", publish=False)
    assert client.post(vote_url(999_999), {"helpful": "yes"}, **JSON).status_code == 404
    assert client.post(vote_url(draft.pk), {"helpful": "yes"}).status_code == 404
    assert not ArticleFeedback.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"helpful": ""},
        {"helpful": "maybe"},
        {"helpful": "no", "reason": "because"},
        {"helpful": "no", "comment": "x" * 1001},
        {"helpful": "no", "reason": "other"},
    ],
)
def test_absurd_votes_are_400_with_errors(client, article, data):
    response = client.post(vote_url(article.pk), data, **JSON)
    assert response.status_code == 400
    assert response.json()["errors"]
    assert not ArticleFeedback.objects.exists()


def test_invalid_form_redisplays_article_keeping_the_comment(client, article):
    response = client.post(vote_url(article.pk), {"helpful": "", "comment": "My long comment"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose Yes or No." in html
    assert "My long comment" in html
    assert "<h1>Install the driver</h1>" in html


def test_yes_vote_drops_the_reason(client, article):
    client.post(vote_url(article.pk), {"helpful": "yes", "reason": "outdated"})
    assert ArticleFeedback.objects.get().reason == ""
