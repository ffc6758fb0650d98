"""sitemap.xml: an index pointing at one sitemap per language, each URL with its hreflang twins."""

from collections import defaultdict

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_page
from wagtail.models import Locale, Page

SITEMAP_CACHE_SECONDS = 60 * 15


def sitemap_index(request: HttpRequest) -> HttpResponse:
    sitemaps = [
        request.build_absolute_uri(reverse("sitemap_language", args=[code]))
        for code, _name in settings.LANGUAGES
    ]
    return render(
        request, "kb/sitemap_index.xml", {"sitemaps": sitemaps}, content_type="application/xml"
    )


def _alternates(pages: list[Page], request) -> dict[str, list[tuple[str, str]]]:
    """translation_key → [(language, absolute URL)] over every live translation."""
    keys = {page.translation_key for page in pages}
    twins = defaultdict(list)
    translations = (
        Page.objects.live()
        .public()
        .filter(translation_key__in=keys)
        .select_related("locale")
        .order_by("locale__language_code")
    )
    for twin in translations:
        url = twin.get_full_url(request)
        if url:
            twins[twin.translation_key].append((twin.locale.language_code, url))
    return twins


@cache_page(SITEMAP_CACHE_SECONDS)
def sitemap_for_language(request: HttpRequest, code: str) -> HttpResponse:
    if code not in dict(settings.LANGUAGES):
        raise Http404("Unknown language")
    locale = Locale.objects.filter(language_code=code).first()
    pages = (
        list(Page.objects.live().public().filter(locale=locale, depth__gt=1).order_by("path"))
        if locale
        else []
    )
    twins = _alternates(pages, request)
    urls = [
        {
            "location": page.get_full_url(request),
            "lastmod": page.last_published_at,
            "alternates": twins.get(page.translation_key, []),
        }
        for page in pages
    ]
    return render(
        request,
        "kb/sitemap.xml",
        {"urls": [u for u in urls if u["location"]]},
        content_type="application/xml",
    )
