"""The search page and the JSON API; both ask ``search.services`` and never a backend by name."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language

from .params import BadParameter, search_query_from
from .services import run_search, suggest_titles


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
    return render(
        request,
        "search/results.html",
        {
            "search_query": query.text,
            "query": query,
            "results": found,
            "error": error,
        },
        status=400 if error else 200,
    )


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
                }
                for hit in found.hits
            ],
            "facets": found.facets,
            "backend": found.backend,
        }
    )


def api_suggest(request: HttpRequest) -> JsonResponse:
    text = " ".join(request.GET.get("q", "").split())[:100]
    return JsonResponse({"query": text, "suggestions": suggest_titles(text, get_language())})
