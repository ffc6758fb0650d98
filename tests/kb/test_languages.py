"""Translations: the switcher finds the same article in another language or says it can't."""

import xml.etree.ElementTree as ET

import pytest

from kb.importing import ImportContext, import_article
from tests.factories.kb import make_article

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture
def article_pair(help_center):
    original = make_article(
        "Set up the router", external_id="router-setup", product="SkyLink AX3000"
    )
    persian = import_article(
        {
            "type": "article",
            "locale": "fa",
            "translation_of": "router-setup",
            "external_id": "fa-router-setup",
            "article_type": "guide",
            "title": "راه‌اندازی روتر",
            "summary": "نصب اولیه",
            "body_markdown": "## شروع\n\n1. روشن کنید.",
        },
        ImportContext(),
    )
    return original, persian


def test_switcher_goes_to_the_translation(client, article_pair):
    original, persian = article_pair
    html = client.get(original.url).content.decode()
    assert f'href="{persian.url}" hreflang="fa"' in html
    assert f'<link rel="alternate" hreflang="fa" href="http://testserver{persian.url}">' in html


def test_untranslated_article_falls_back_with_a_notice(client, article_pair):
    original, _persian = article_pair
    html = client.get(original.url).content.decode()
    fallback = f"{original.url}?untranslated=ka"
    assert f'href="{fallback}" hreflang="ka"' in html
    page = client.get(fallback).content.decode()
    assert 'class="notice notice--untranslated" lang="ka"' in page
    assert "ქართული" in page


def test_persian_article_renders_right_to_left(client, article_pair):
    _original, persian = article_pair
    response = client.get(persian.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "راه‌اندازی روتر" in html
    assert "Was this article helpful?" not in html


def test_notice_ignores_unknown_languages(client, article_pair):
    original, _ = article_pair
    assert (
        "notice--untranslated" not in client.get(original.url + "?untranslated=xx").content.decode()
    )
    assert (
        "notice--untranslated" not in client.get(original.url + "?untranslated=en").content.decode()
    )


def test_sitemap_per_language_with_hreflang_alternates(client, article_pair):
    original, persian = article_pair
    index = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert locations == [
        f"http://testserver/sitemap-{c}.xml" for c in ("en", "fa", "hi", "ka", "tl")
    ]
    english = ET.fromstring(client.get("/sitemap-en.xml").content)
    entry = next(
        u for u in english.findall("s:url", NS) if u.find("s:loc", NS).text.endswith(original.url)
    )
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", NS)}
    assert alternates["fa"].endswith(persian.url)
    assert alternates["en"].endswith(original.url)
    assert entry.find("s:lastmod", NS).text
    persian_map = ET.fromstring(client.get("/sitemap-fa.xml").content)
    assert any(
        u.find("s:loc", NS).text.endswith(persian.url) for u in persian_map.findall("s:url", NS)
    )
    assert client.get("/sitemap-xx.xml").status_code == 404
