"""The help center root exists in every language and Persian renders right-to-left."""

import pytest
from django.conf import settings
from wagtail.models import Site

from kb.models import HelpCenterPage

pytestmark = pytest.mark.django_db


def test_one_live_help_center_per_language(help_center):
    codes = set(HelpCenterPage.objects.live().values_list("locale__language_code", flat=True))
    assert codes == {code for code, _ in settings.LANGUAGES}
    assert Site.objects.get(is_default_site=True).root_page.specific == help_center


def test_seeding_twice_adds_nothing(help_center):
    from kb.demo import seed_help_center

    seed_help_center()
    assert HelpCenterPage.objects.count() == len(settings.LANGUAGES)


@pytest.mark.parametrize(
    ("code", "direction"),
    [
        ("en", "ltr"),
        ("fa", "rtl"),
        ("hi", "ltr"),
        ("ka", "ltr"),
        ("tl", "ltr"),
    ],
)
def test_home_page_in_each_language(client, help_center, code, direction):
    response = client.get(f"/{code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}" dir="{direction}">' in html


def test_persian_home_is_translated(client, help_center):
    html = client.get("/fa/").content.decode()
    assert "How can we help?" not in html
    assert "Help center" not in html


def test_language_switcher_links_to_each_translation(client, help_center):
    html = client.get("/en/").content.decode()
    for code, _name in settings.LANGUAGES:
        assert f'href="/{code}/" hreflang="{code}"' in html


def test_root_redirects_to_a_language(client, help_center):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_root_honours_the_browser_language(client, help_center):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fa-IR,fa;q=0.9")
    assert response["Location"] == "/fa/"
