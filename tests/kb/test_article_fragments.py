"""Signed-in article pages: the cached header, body and feedback fields (article_page.html,
feedback_form.html) stay fresh, keep each member's CSRF token and what they typed."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from kb.models import ArticleFeedback
from tests.factories import UserFactory
from tests.factories.kb import make_article, make_product

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def article(help_center):
    make_product()
    return make_article("Install your printer")


def member(**login) -> Client:
    client = Client(enforce_csrf_checks=True, **login)
    client.force_login(UserFactory())
    return client


def feedback_url(article) -> str:
    return f"/en/kb/feedback/{article.pk}/"


def token_of(html: str) -> str:
    return TOKEN.search(html).group(1)


def test_feedback_from_a_member_passes_csrf_checks(article):
    client = member()
    html = client.get(article.url).content.decode()
    response = client.post(feedback_url(article), {"helpful": "yes"})
    assert response.status_code == 403  # no token: the checks are on
    response = client.post(
        feedback_url(article), {"helpful": "yes", "csrfmiddlewaretoken": token_of(html)}
    )
    assert response.status_code == 302
    assert ArticleFeedback.objects.get().helpful is True


def test_each_member_gets_their_own_token_with_the_cached_fields(article):
    first, second = member(), member()
    for client in (first, second, first):
        html = client.get(article.url).content.decode()
        assert 'name="helpful"' in html
        assert _unmask_cipher_token(token_of(html)) == client.cookies["csrftoken"].value


def test_a_validation_error_keeps_what_the_member_typed(article):
    client = member()
    client.get(article.url)  # the unbound fields are cached now
    html = client.get(article.url).content.decode()
    response = client.post(
        feedback_url(article),
        {
            "helpful": "no",
            "reason": "other",
            "comment": "   ",
            "csrfmiddlewaretoken": token_of(html),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tell us what went wrong so we can fix it." in html
    assert re.search(r'value="no"[^>]*checked', html)
    assert re.search(r'<option value="other" selected', html)
    response = client.post(
        feedback_url(article),
        {"reason": "outdated", "comment": "Menus moved.", "csrfmiddlewaretoken": token_of(html)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose Yes or No." in html and "Menus moved." in html
    # The next member gets the blank form, not the first member's answers.
    html = member().get(article.url).content.decode()
    assert "Menus moved." not in html and "Choose Yes or No." not in html
    assert not re.search(r'value="no"[^>]*checked', html)


def test_the_header_follows_publishing_for_a_member_who_read_it(article):
    client = member()
    assert "Summary of article" in client.get(article.url).content.decode()
    article.summary = "Now with wireless set-up."
    article.save_revision().publish()
    assert "Now with wireless set-up." in client.get(article.url).content.decode()


def test_a_preview_shows_the_draft_not_the_cached_published_page(article):
    member().get(article.url)  # fragments of the published page are cached
    article.title = "Draft title"
    article.summary = "Draft summary."
    article.save_revision()
    draft = article.get_latest_revision_as_object()
    html = draft.make_preview_request().content.decode()
    assert "<h1>Draft title</h1>" in html and '<p class="lead">Draft summary.</p>' in html
    html = member().get(article.url).content.decode()
    assert "<h1>Install your printer</h1>" in html and "Draft summary." not in html
