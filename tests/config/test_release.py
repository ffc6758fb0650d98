"""A deploy retires cached pages: the default cache's keys carry the code's release."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from config.release import code_release
from tests.factories.kb import make_article, make_product


def test_release_changes_with_a_template_and_only_then(tmp_path):
    template = tmp_path / "templates" / "kb" / "page.html"
    template.parent.mkdir(parents=True)
    template.write_text("<h1>{{ page.title }}</h1>")
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "log.txt").write_text("not code")
    first = code_release(tmp_path)
    assert code_release(tmp_path) == first
    (tmp_path / "var" / "log.txt").write_text("still not code")
    assert code_release(tmp_path) == first
    template.write_text("<h1 class='title'>{{ page.title }}</h1>")
    assert code_release(tmp_path) != first


def cache_for(release: str) -> dict:
    backend = "django.core.cache.backends.locmem.LocMemCache"
    default = {"BACKEND": backend, "LOCATION": "release-test", "KEY_PREFIX": release}
    return {**settings.CACHES, "default": default}


@pytest.mark.django_db
def test_pages_cached_by_the_previous_release_are_not_served(help_center):
    make_product()
    article = make_article("Install your printer")
    with override_settings(CACHES=cache_for("release-old")):
        Client().get(article.url)
        assert Client().get(article.url)["X-Page-Cache"] == "hit"
    with override_settings(CACHES=cache_for("release-new")):
        assert Client().get(article.url)["X-Page-Cache"] == "miss"
