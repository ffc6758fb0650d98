"""Where the language switcher sends a reader: the same page in the other language."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info
from wagtail.models import Page


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name_local: str
    url: str
    is_current: bool
    bidi: bool


def live_translation_urls(page: Page) -> dict[str, str]:
    """Language code → URL of each live translation of ``page`` (itself included)."""
    translations = page.get_translations(inclusive=True).live().select_related("locale")
    return {p.locale.language_code: p.get_url() for p in translations.specific()}


def language_links(path: str, current: str, page: Page | None = None) -> list[LanguageLink]:
    """One link per enabled language; on a CMS page, to its translation when it exists."""
    translated = live_translation_urls(page) if isinstance(page, Page) else {}
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            LanguageLink(
                code=code,
                name_local=info["name_local"],
                url=translated.get(code) or translate_url(path, code),
                is_current=code == current,
                bidi=info["bidi"],
            )
        )
    return links
