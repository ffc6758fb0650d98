"""What the results page adds around the list: corrections, picks, help when nothing matched."""

from datetime import date

import pytest
from django.core.management import call_command
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from kb.models import ArticleViewDay
from tests.factories.kb import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(help_center, search_backend):
    made = {
        "ink": make_article("Replace the ink cartridge", product="InkWell 200"),
        "clean": make_article("Clean the print head", product="InkWell 200"),
        "router": make_article("Update the router firmware", product="SkyLink AX3000"),
    }
    ArticleViewDay.objects.create(article=made["clean"], day=date.today(), views=40)
    call_command("search_reindex", "--no-progress")
    return made


def page(client, **params) -> str:
    response = client.get("/en/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_misspelt_query_shows_corrected_results(client, articles):
    html = page(client, q="cartrige")
    assert "Replace the ink cartridge" in html
    # The database corrects then searches; Elasticsearch matches fuzzily and offers the spelling.
    assert "Showing results for “cartridge”" in html or (
        "Did you mean" in html and "?q=cartridge" in html
    )


def test_promoted_result_is_marked_recommended(client, articles):
    SearchPromotion.objects.create(
        query=Query.get("firmware"), page=articles["ink"], description="Start here", sort_order=0
    )
    html = page(client, q="firmware")
    assert html.index("Replace the ink cartridge") < html.index("Update the router firmware")
    assert "Recommended" in html and "Start here" in html


def test_nothing_found_offers_popular_articles_for_the_product(client, articles):
    html = page(client, q="zzqqxx", product="InkWell 200")
    assert "Popular articles for InkWell 200" in html
    popular = html[html.index("data-popular") : html.index("data-ask")]
    assert popular.index("Clean the print head") < popular.index("Replace the ink cartridge")
    assert "Update the router firmware" not in popular
    assert "/en/community/ask/?title=zzqqxx" in html


def test_filters_survive_pagination(client, articles):
    html = page(client, q="replace clean", product="InkWell 200", page_size=1)
    assert "product=InkWell+200" in html and "page=2" in html


def test_searches_and_clicks_are_counted(client, articles):
    from search.models import SearchQueryDay

    page(client, q="Firmware ")
    page(client, q="zzqqxx")
    page(client, q="firmware", page=2)  # later pages are not new searches
    client.post("/api/search/click/", {"q": "firmware", "locale": "en"})
    rows = {r.query: r for r in SearchQueryDay.objects.all()}
    assert (rows["firmware"].searches, rows["firmware"].clicks) == (1, 1)
    assert rows["zzqqxx"].zero_results == 1
