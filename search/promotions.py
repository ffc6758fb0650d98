"""Editors' picks for a query (Wagtail's search promotions), shown above the ranked results."""

from django.utils.html import escape
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Locale
from wagtail.search.utils import normalise_query_string

from .backends.base import Hit


def _page_in(page, locale: str | None):
    """The live translation of ``page`` in ``locale`` when there is one, else ``page``."""
    if locale and page.locale.language_code != locale:
        target = Locale.objects.filter(language_code=locale).first()
        translation = page.get_translation_or_none(target) if target else None
        if translation and translation.live:
            return translation
    return page


def promoted_hits(text: str, locale: str | None) -> list[Hit]:
    normalised = normalise_query_string(text)
    if not normalised:
        return []
    picks = SearchPromotion.objects.filter(query__query_string=normalised).select_related("page")
    hits = []
    for pick in picks.order_by("sort_order"):
        if pick.page_id:
            page = pick.page.specific
            if not page.live:
                continue
            page = _page_in(page, locale)
            kind, title, url = "article", page.title, page.get_url() or ""
            updated = page.last_published_at
            locale_code, object_id = page.locale.language_code, page.pk
        else:
            kind, title, url = "link", pick.external_link_text or pick.external_link_url, ""
            url, updated, locale_code, object_id = pick.external_link_url, None, locale or "", 0
        hits.append(
            Hit(
                kind=kind,
                id=object_id,
                title=title,
                url=url,
                snippet=escape(pick.description),
                score=0.0,
                locale=locale_code,
                product="",
                solved=kind == "article",
                updated=updated,
                promoted=True,
            )
        )
    return hits
