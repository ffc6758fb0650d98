"""The public search page.

Until the unified index lands (issue: unified search), this searches live help pages in the reader's
language through Wagtail's database search, so the header box already leads somewhere useful.
"""

import re

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from wagtail.models import Locale, Page

MAX_QUERY_LENGTH = 200


def clean_query(raw: str) -> str:
    """Collapse whitespace and cap the length: any text is a valid query."""
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


def query_terms(query: str) -> str:
    """Only the words: quotes and operators would reach the FTS parser and make it fail."""
    return " ".join(re.sub(r"[^\w]+", " ", query).split())


def results(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q", ""))
    pages = Page.objects.none()
    terms = query_terms(query)
    if terms:
        locale = Locale.objects.filter(language_code=get_language()).first()
        live = Page.objects.live().public().filter(depth__gt=1)
        if locale is not None:
            live = live.filter(locale=locale)
        pages = live.search(terms, operator="or")
    page_obj = Paginator(pages, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "search/results.html",
        {
            "search_query": query,
            "page_obj": page_obj,
        },
    )
