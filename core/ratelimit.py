"""Fixed-window rate limits answered with HTTP 429 and ``Retry-After``.

Counters live in the cache (one shared cache in production, so limits hold across workers).
Signed-in members are counted per account, everyone else per address; the address honours
``X-Forwarded-For`` only from the number of proxies declared in ``TRUSTED_PROXY_COUNT``.
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

VOTING_TOO_FAST = gettext_lazy("You're voting very quickly. Please wait %(seconds)s seconds.")


def client_ip(request: HttpRequest) -> str:
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "unknown")


def requester(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def seconds_until_allowed(scope: str, who: str, *, limit: int, seconds: int) -> int:
    """Count one request; 0 while within ``limit`` per ``seconds``, else seconds to wait."""
    if not getattr(settings, "RATE_LIMITS_ENABLED", True):
        return 0
    now = time.time()
    window = int(now // seconds)
    key = f"ratelimit:{scope}:{who}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * seconds - now))


def too_many_requests(request: HttpRequest, message: str, retry_after: int) -> HttpResponse:
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"error": message, "retry_after": retry_after}, status=429)
    else:
        response = render(
            request, "429.html", {"message": message, "retry_after": retry_after}, status=429
        )
    response["Retry-After"] = str(retry_after)
    return response


def rate_limit(scope: str, *, limit: int, seconds: int, methods=("POST",), message=None):
    """Limit a view to ``limit`` requests per ``seconds`` per member or address.

    ``message`` may contain ``%(seconds)s``.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                wait = seconds_until_allowed(
                    scope, requester(request), limit=limit, seconds=seconds
                )
                if wait:
                    template = message or _(
                        "Too many requests. Please wait %(seconds)s seconds and try again."
                    )
                    text = str(template) % {"seconds": wait}
                    return too_many_requests(request, text, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
