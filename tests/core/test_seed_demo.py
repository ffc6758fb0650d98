"""The demo content: enough real help in every language, every block used, safe to re-run.

One test, because seeding takes a while and the checks all read the same seeded database.
"""

import pytest
from django.core.management import call_command

from kb.models import ArticlePage, ArticleType, ProductPage

pytestmark = pytest.mark.django_db

BLOCK_TYPES = {
    "heading",
    "text",
    "steps",
    "callout",
    "image",
    "video",
    "download",
    "code",
    "table",
    "faq",
    "related",
}


def content_counts():
    return (
        ArticlePage.objects.count(),
        ProductPage.objects.count(),
        sum(a.revisions.count() for a in ArticlePage.objects.all()),
    )


def test_seed_demo():
    call_command("seed_demo")

    english = ArticlePage.objects.live().filter(locale__language_code="en")
    assert english.count() >= 25
    assert set(english.values_list("article_type", flat=True)) == set(ArticleType.values)
    for code in ("fa", "hi", "ka", "tl"):
        translated = ArticlePage.objects.live().filter(locale__language_code=code)
        assert translated.count() >= 6, code
        assert all(a.get_translation_or_none(english.first().locale) for a in translated)

    used = {block.block_type for a in ArticlePage.objects.all() for block in a.body}
    assert used >= BLOCK_TYPES

    products = ProductPage.objects.filter(locale__language_code="en")
    assert products.count() == 3
    assert all(p.image_id and p.community_forum_id for p in products)
    lessons = english.filter(article_type="training", course__icontains="LedgerLite")
    assert lessons.count() >= 4

    before = content_counts()
    call_command("seed_demo")
    assert content_counts() == before
