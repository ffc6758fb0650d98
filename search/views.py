"""The search page and the JSON API; both ask ``search.services`` and never a backend by name."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.ratelimit import rate_limit
from core.text import single_line

from .analytics import record_click, record_search
from .params import BadParameter, search_query_from
from .services import filter_params, popular_when_nothing_found, run_search, suggest_titles

SEARCHING_TOO_FAST = _("Too many searches. Please wait %(seconds)s seconds.")
# The page and the API share one budget: they are the same search.
limit_searches = rate_limit(
    "search", limit=120, seconds=60, methods=("GET",), message=SEARCHING_TOO_FAST
)


@limit_searches
def results(request: HttpRequest) -> HttpResponse:
    try:
        query = search_query_from(request.GET, default_locale=get_language())
        error = ""
    except BadParameter as exc:
        query, error = (
            search_query_from({"q": request.GET.get("q", "")}, default_locale=get_language()),
            str(exc),
        )
    found = run_search(query) if query.text else None
    if found is not None and query.page == 1:
        record_search(query.text, query.locale or get_language(), total=found.total)
    return render(
        request,
        "search/results.html",
        {
            "search_query": query.text,
            "query": query,
            "results": found,
            "error": error,
            "popular": popular_when_nothing_found(found, query),
            "filter_params": filter_params(query),
        },
        status=400 if error else 200,
    )


@limit_searches
def api_search(request: HttpRequest) -> JsonResponse:
    try:
        query = search_query_from(request.GET, default_locale=get_language())
    except BadParameter as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    found = run_search(query)
    return JsonResponse(
        {
            "query": query.text,
            "total": found.total,
            "results": [
                {
                    "kind": hit.kind,
                    "id": hit.id,
                    "title": hit.title,
                    "url": hit.url,
                    "snippet": hit.snippet,
                    "score": hit.score,
                    "locale": hit.locale,
                    "product": hit.product,
                    "solved": hit.solved,
                    "updated": hit.updated.isoformat() if hit.updated else None,
                    "promoted": hit.promoted,
                }
                for hit in found.hits
            ],
            "facets": found.facets,
            "did_you_mean": found.did_you_mean,
            "corrected_from": found.corrected_from,
            "backend": found.backend,
        }
    )


@rate_limit(
    "suggest",
    limit=600,
    seconds=60,
    methods=("GET",),
    message=SEARCHING_TOO_FAST,
)
def api_suggest(request: HttpRequest) -> JsonResponse:
    """Titles completing what is typed, in ``locale`` (the page's language) when it is valid."""
    text = single_line(request.GET.get("q"), 100)
    locale = request.GET.get("locale", "")
    if locale not in dict(settings.LANGUAGES):
        locale = get_language()
    return JsonResponse({"query": text, "suggestions": suggest_titles(text, locale)})


@csrf_exempt  # sent with navigator.sendBeacon, which cannot add a CSRF header; it only counts
@require_POST
@rate_limit("click", limit=300, seconds=60)
def api_click(request: HttpRequest) -> HttpResponse:
    """Count a click on a result for its query (the page never waits for this)."""
    query = single_line(request.POST.get("q"), 200)
    locale = request.POST.get("locale") or get_language()
    if query.strip() and locale in dict(settings.LANGUAGES):
        record_click(query, locale)
    return HttpResponse(status=204)
