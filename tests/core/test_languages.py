"""Language links go to the same page in the other language."""

import pytest

from core.languages import language_links

pytestmark = pytest.mark.django_db


def test_non_cms_pages_switch_by_prefix():
    links = {link.code: link for link in language_links("/en/accounts/signup/", "en")}
    assert links["fa"].url == "/fa/accounts/signup/"
    assert links["fa"].bidi is True
    assert links["en"].is_current
    assert links["tl"].name_local == "Tagalog"


def test_cms_pages_use_the_translation_url(help_center):
    links = {link.code: link.url for link in language_links("/en/", "en", page=help_center)}
    assert links == {"en": "/en/", "fa": "/fa/", "hi": "/hi/", "ka": "/ka/", "tl": "/tl/"}
