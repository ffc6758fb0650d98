"""What a locked-out sign-in gets from django-axes: a 429 that says when to try again."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    retry_after = int(settings.AXES_COOLOFF_TIME.total_seconds())
    message = _(
        "Too many failed sign-in attempts. For your security, signing in is paused for "
        "%(minutes)s minutes. You can reset your password meanwhile."
    ) % {"minutes": retry_after // 60}
    if "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"error": message, "retry_after": retry_after}, status=429)
    else:
        response = render(
            request,
            "429.html",
            {"message": message, "retry_after": retry_after, "locked_out": True},
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    return response


def username_for_axes(request: HttpRequest, credentials: dict | None) -> str:
    """The typed username as django-axes records it: cut to its varchar(255) columns, which
    PostgreSQL would otherwise refuse with an error page for an over-long login attempt."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return str(username)[:255]
