"""The search page and API answer any text, and never with an error page."""

import pytest
from django.core.management import call_command

from tests.factories.kb import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(help_center, search_backend):
    make_article(
        "Paper jam but no paper inside", body="## Fix\n\n1. Open the rear door.\n", tags=["paper"]
    )
    make_article(
        "Set up the router", product="SkyLink AX3000", body="## Start\n\nConnect the WAN port.\n"
    )
    call_command("search_reindex", "--no-progress")
    return search_backend


def test_page_lists_results_with_highlights(client, indexed):
    response = client.get("/en/search/", {"q": "paper jam"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Paper jam but no paper inside" in html and "<mark>" in html
    assert "Set up the router" not in html


ODD_QUERIES = [
    "",
    "   ",
    '"unbalanced',
    "(a OR b",
    "*",
    "~",
    "\\",
    "🙂 printer",
    "چاپگر کار نمی‌کند",
    "'; DROP TABLE search_indexeddocument; --",
    "title:foo AND -bar",
    "NEAR(a b)",
    "x" * 10_000,
    "paper*",
    '"paper jam"',
    "a:b:c",
    "\x00\x01",
    '{"query": {"match_all": {}}}',
    "<script>alert(1)</script>",
    "/[a-z]+/",
    "printer^100",
    "אבג",
]


def test_odd_queries_answer(client, indexed):
    """One setup, every odd query, on both the page and the API (a failure names the query)."""
    for query in ODD_QUERIES:
        assert client.get("/en/search/", {"q": query}).status_code == 200, query
        response = client.get("/api/search/", {"q": query})
        assert response.status_code == 200, query
        assert response.json()["backend"] == indexed.name, query
        assert client.get("/api/search/suggest/", {"q": query}).status_code == 200, query


def test_nothing_found_offers_the_community_with_the_query(client, indexed):
    html = client.get("/en/search/", {"q": "zzqqxx"}).content.decode()
    assert "Nothing matched" in html
    assert "/en/community/ask/?title=zzqqxx" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x", "page": "-1"}, "between"),
        ({"q": "x", "page": "abc"}, "whole number"),
        ({"q": "x", "page_size": "51"}, "between"),
        ({"q": "x", "kind": "video"}, "kind"),
        ({"q": "x", "locale": "xx"}, "Unknown language"),
        ({"q": "x", "solved": "maybe"}, "solved"),
    ],
)
def test_api_rejects_bad_parameters_with_a_clear_json_error(client, indexed, params, message):
    response = client.get("/api/search/", params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_page_far_past_the_end_is_empty_not_an_error(client, indexed):
    data = client.get("/api/search/", {"q": "paper", "page": "900"}).json()
    assert data["total"] == 1 and data["results"] == []


def test_api_result_shape(client, indexed):
    data = client.get("/api/search/", {"q": "router", "locale": "en"}).json()
    assert data["query"] == "router" and data["total"] == 1
    hit = data["results"][0]
    assert set(hit) == {
        "kind",
        "id",
        "title",
        "url",
        "snippet",
        "score",
        "locale",
        "product",
        "solved",
        "updated",
        "promoted",
    }
    assert hit["title"] == "Set up the router" and hit["product"] == "SkyLink AX3000"
    assert data["facets"]["kind"] == {"article": 1}


def test_suggest_completes_titles(client, indexed):
    data = client.get("/api/search/suggest/", {"q": "paper"}).json()
    assert data["suggestions"] == ["Paper jam but no paper inside"]
    assert client.get("/api/search/suggest/", {"q": '"*'}).json()["suggestions"] == []
