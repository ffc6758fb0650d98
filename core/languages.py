"""Where the language switcher sends a reader: the same page in the other language."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info
from wagtail.models import Page

UNTRANSLATED_PARAM = "untranslated"


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
    """One link per enabled language.

    On a CMS page: its translation when one is live, otherwise the page itself with a
    "not yet translated" notice for the language asked for. Elsewhere: the same path under
    the other language prefix.
    """
    is_cms_page = isinstance(page, Page)
    translated = live_translation_urls(page) if is_cms_page else {}
    links = []
    for code, _name in settings.LANGUAGES:
        if code in translated:
            url = translated[code]
        elif is_cms_page:
            url = f"{page.get_url()}?{urlencode({UNTRANSLATED_PARAM: code})}"
        else:
            url = translate_url(path, code)
        info = get_language_info(code)
        links.append(
            LanguageLink(
                code=code,
                name_local=info["name_local"],
                url=url,
                is_current=code == current,
                bidi=info["bidi"],
            )
        )
    return links


def missing_translation_language(request, page) -> str | None:
    """The language a reader asked for when the switcher fell back to ``page``."""
    code = request.GET.get(UNTRANSLATED_PARAM, "") if request else ""
    if not isinstance(page, Page) or code not in dict(settings.LANGUAGES):
        return None
    return None if code == page.locale.language_code else code
