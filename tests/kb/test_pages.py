"""Help center, product and article pages show what customers need."""

import json
import re

import pytest

from forum.demo import forum_get_or_create, topic_create
from tests.factories import UserFactory
from tests.factories.kb import make_article, make_product

pytestmark = pytest.mark.django_db

BODY = """## Before you start

Have the cable ready.

### Check the box

1. Unplug the printer.
   Warning: Wait 30 seconds.
2. Open the cover.

> Danger: Never use metal tools.

```bash
lpstat -p
```

| Size | Tray |
| --- | --- |
| A4 | Main |

Q: Does it print photos?
A: Yes.

@video https://www.youtube.com/watch?v=abcdefghijk
"""


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_article_page_shows_every_part(client, help_center):
    article = make_article(
        "Install your printer", body=BODY, tags=["setup"], minutes=15, difficulty="beginner"
    )
    html = client.get(article.url).content.decode()
    assert "<h1>Install your printer</h1>" in html
    assert 'href="#h-before-you-start"' in html and 'id="h-before-you-start"' in html
    assert 'class="toc__h3"' in html
    assert "Wait 30 seconds." in html and 'class="steps"' in html
    assert 'class="callout callout--danger"' in html
    assert "lpstat -p" in html and "<table>" in html
    assert "Does it print photos?" in html
    assert "youtube.com/watch?v=abcdefghijk" in html and "<iframe" not in html
    assert "Last updated" in html and "minute read" in html and "Takes about 15 minutes" in html
    assert 'aria-label="Breadcrumbs"' in html and "InkWell P200 Home Printer" in html
    assert f'<link rel="canonical" href="http://testserver{article.url}">' in html
    assert '<meta name="description" content="Summary of article' in html
    assert "Was this article helpful?" in html


def test_reading_time_grows_with_length(help_center):
    short = make_article(body="## A\n\nOne line.\n")
    long = make_article(body="## A\n\n" + "word " * 1000)
    assert short.reading_minutes() == 1
    assert long.reading_minutes() == 5


@pytest.mark.parametrize(
    ("article_type", "schema_type"),
    [
        ("guide", "HowTo"),
        ("troubleshooting", "HowTo"),
        ("faq", "FAQPage"),
        ("training", "Article"),
        ("policy", "Article"),
    ],
)
def test_json_ld_type_and_required_fields(client, help_center, article_type, schema_type):
    article = make_article(article_type=article_type, body=BODY, minutes=20)
    data = json_ld(client.get(article.url).content.decode())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == schema_type
    assert data["name"] == article.title
    if schema_type == "HowTo":
        assert [s["position"] for s in data["step"]] == [1, 2]
        assert data["step"][0]["@type"] == "HowToStep" and data["step"][0]["text"]
        assert data["totalTime"] == "PT20M"
    elif schema_type == "FAQPage":
        question = data["mainEntity"][0]
        assert question["@type"] == "Question" and question["name"] == "Does it print photos?"
        assert question["acceptedAnswer"] == {"@type": "Answer", "text": "Yes."}
    else:
        assert data["headline"] == article.title and "dateModified" in data


def test_json_ld_cannot_break_out_of_its_script(client, help_center):
    article = make_article("</script><script>alert(1)</script>", body=BODY)
    html = client.get(article.url).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == article.title


def test_training_lessons_link_previous_and_next(client, help_center):
    lessons = [
        make_article(
            f"Lesson {n}",
            article_type="training",
            course="LedgerLite basics",
            lesson=n,
            product="LedgerLite Accounting",
        )
        for n in (1, 2, 3)
    ]
    html = client.get(lessons[1].url).content.decode()
    assert f'rel="prev" href="{lessons[0].url}"' in html
    assert f'rel="next" href="{lessons[2].url}"' in html
    first = client.get(lessons[0].url).content.decode()
    assert 'rel="prev"' not in first


def test_related_prefers_same_product_and_shared_topics(client, help_center):
    article = make_article("Paper jam", tags=["paper", "jam"])
    best = make_article("Clear a jam", tags=["jam"])
    same_product_only = make_article("Ink levels", tags=["ink"])
    other_product = make_article("Router jam", tags=["jam"], product="SkyLink AX3000")
    make_article("Unrelated", tags=["vat"], product="LedgerLite Accounting")
    from kb.selectors import related_articles

    related = related_articles(article=article)
    assert related[0] == best
    assert set(related) == {best, same_product_only, other_product}


def test_product_page_groups_articles_and_lists_questions(client, help_center):
    product = make_product()
    make_article("Fix a jam", article_type="troubleshooting")
    make_article("Set up", article_type="guide")
    forum = forum_get_or_create(name="Printers")
    product.community_forum = forum
    product.save_revision().publish()
    topic_create(forum=forum, poster=UserFactory(), subject="Printer is offline", content="?")
    html = client.get(product.url).content.decode()
    assert html.index("Installation guide") < html.index("Troubleshooting")
    assert "Fix a jam" in html and "Set up" in html
    assert "Printer is offline" in html


def article_titles(html: str) -> list[str]:
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a><p class="muted">', html)


def test_product_page_shows_the_first_articles_of_each_type_and_pages_through_the_rest(
    client, help_center, settings
):
    settings.KB_PRODUCT_GROUP_PREVIEW = 2
    settings.KB_PRODUCT_TYPE_PAGE_SIZE = 2
    product = make_product()
    for title in ("Jam C", "Jam A", "Jam E", "Jam B", "Jam D"):
        make_article(title, article_type="troubleshooting")
    make_article("Set up", article_type="guide")
    html = client.get(product.url).content.decode()
    assert article_titles(html) == ["Set up", "Jam A", "Jam B"]
    assert "See all 5 articles: Troubleshooting" in html
    assert "See all 1" not in html  # the guide section is complete
    first = client.get(product.url + "?type=troubleshooting").content.decode()
    assert article_titles(first) == ["Jam A", "Jam B"] and "Articles 1–2 of 5" in first
    assert "Page 1 of 3" in first and "?type=troubleshooting&amp;page=2" in first
    last = client.get(product.url + "?type=troubleshooting&page=3").content.decode()
    assert article_titles(last) == ["Jam E"] and 'rel="next"' not in last
    assert "<title>Troubleshooting · InkWell P200 Home Printer" in last


@pytest.mark.parametrize(
    "query", ["?type=nonsense", "?type=troubleshooting&page=999", "?type=faq&page=x", "?page=-1"]
)
def test_product_page_survives_odd_listing_parameters(client, help_center, query):
    product = make_product()
    make_article("Fix a jam", article_type="troubleshooting")
    response = client.get(product.url + query)
    assert response.status_code == 200
    html = response.content.decode()
    if "faq" in query:
        assert "No articles of this type for this product yet." in html
    else:
        assert "Fix a jam" in html


def test_product_listing_query_count_does_not_grow_with_articles(client, help_center, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.KB_PRODUCT_GROUP_PREVIEW = 3
    settings.PAGE_CACHE_ENABLED = False
    product = make_product()

    def queries(url):
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    make_article("One", article_type="troubleshooting")
    queries(product.url)  # warm-up: the first request of a process loads site-wide rows
    before = [queries(product.url), queries(product.url + "?type=troubleshooting")]
    for number in range(12):
        make_article(f"More {number}", article_type=("troubleshooting", "faq")[number % 2])
    after = [queries(product.url), queries(product.url + "?type=troubleshooting")]
    assert after == before


def test_help_center_lists_products_popular_and_recent(client, help_center):
    make_product()
    popular = make_article("Most read article")
    make_article("Another article")
    for _ in range(3):
        client.get(popular.url)
    html = client.get("/en/").content.decode()
    assert "InkWell P200 Home Printer" in html
    popular_section = html.split('id="popular-title"')[1].split("</section>")[0]
    assert popular_section.index("Most read article") < popular_section.index("Another article")
    assert 'id="recent-title"' in html


def test_drafts_are_not_public(client, help_center):
    draft = make_article("Secret draft", publish=False)
    assert not draft.live
    assert client.get(f"/en/inkwell-p200-home-printer/{draft.slug}/").status_code == 404
