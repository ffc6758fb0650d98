"""The header search box leads to a page that answers any text without an error."""

import pytest

pytestmark = pytest.mark.django_db


def test_finds_the_help_center_in_the_current_language(client, help_center):
    response = client.get("/en/search/", {"q": "help"})
    assert response.status_code == 200
    assert "How can we help?" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"unbalanced',
        "(a OR b",
        "*",
        "~",
        "\\",
        "🙂 printer",
        "چاپگر کار نمی‌کند",
        "'; DROP TABLE wagtailcore_page; --",
        "title:foo AND -bar",
        "x" * 10_000,
    ],
)
def test_odd_queries_answer(client, help_center, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200


def test_nothing_found_offers_the_community(client, help_center):
    html = client.get("/en/search/", {"q": "zzqqxx"}).content.decode()
    assert "Nothing matched" in html
    assert "/en/community/ask/" in html
