"""Whole-page cache shared by every worker through the default cache.

Views opt in with ``cache_shared_page(request, depends_on=[...])``: the rendered page is stored
under its host, language, path and *audience*, together with the *generations* of what it shows
(``"kb"``, ``"topic:12"``, ``"forum:3"``…). Writes bump those generations (``bump``), so a stored
page whose generations no longer match is a miss in every worker at once: no worker has to find
and delete the pages a change touched, and the cache may evict anything at any time.

There are two audiences. Anonymous visitors share one copy of a page. Signed-in members share
another, for views that opt in with ``members=True`` (knowledge-base pages, which show members
nothing of their own but the account menu): the menu, between ``<!--account-menu-->`` markers,
is cut out before storing and rendered for each member when served (``includes/account_menu.html``).

What is never stored: members' pages of views that did not opt them in, pages shown with
messages, responses that set cookies or the session, anything but a 200 HTML page, URLs with
query parameters other than ``page``, ``type`` and ``untranslated``. CSRF tokens are not stored: a
form's hidden token is replaced by a placeholder before storing and by the visitor's own token
when served (such pages are ``Cache-Control: private``; token-free anonymous pages are
``public``; members' pages are never kept by browsers or proxies).
"""

from __future__ import annotations

import hashlib
import re
import uuid

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.module_loading import import_string
from django.utils.translation import get_language

KEY_PREFIX = "pagecache:v2"
ALLOWED_PARAMS = {
    "page": re.compile(r"\d{1,6}"),
    "type": re.compile(r"[a-z]{1,20}"),
    "untranslated": re.compile(r"[a-z-]{2,10}"),
}
CSRF_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")([^"]+)(")')
CSRF_PLACEHOLDER = "__page_cache_csrf_token__"
ACCOUNT_MENU = re.compile(r"<!--account-menu-->.*?<!--/account-menu-->", re.DOTALL)
ACCOUNT_MENU_PLACEHOLDER = "<!--page-cache:account-menu-->"
ACCOUNT_MENU_TEMPLATE = "includes/account_menu.html"
ANONYMOUS, MEMBERS = "anonymous", "members"
REQUEST_ATTR = "_page_cache"
# Set by middleware inside this one (django-csp); stored with the page and sent with each hit.
REPLAYED_HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
# machina gives every anonymous visitor a session key for its own permission checks.
IGNORED_SESSION_KEYS = {"_anonymous_forum_key"}


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def timeout() -> int:
    """How long a stored page may live at most (generations usually retire it sooner)."""
    return getattr(settings, "PAGE_CACHE_TIMEOUT", 600)


def max_age() -> int:
    """Cache-Control max-age for anonymous pages: short, since browsers cannot be invalidated."""
    return getattr(settings, "PAGE_CACHE_MAX_AGE", 60)


# Generations ----------------------------------------------------------------------------------


def _generation_key(name: str) -> str:
    return f"{KEY_PREFIX}:gen:{name}"


def generations(names) -> dict[str, str]:
    """The current generation of each name, creating missing ones (evicted or never set)."""
    keys = {_generation_key(name): name for name in names}
    found = cache.get_many(list(keys))
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key)
    return {keys[key]: value for key, value in found.items()}


def bump(*names: str) -> None:
    """Retire every stored page that depends on ``names``.

    Bumped now, so this process's next request misses, and again once the transaction commits,
    so a page rendered from the old rows while the change was being committed is retired too.
    """

    def new_generations():
        cache.set_many({_generation_key(n): uuid.uuid4().hex for n in names}, None)

    new_generations()
    transaction.on_commit(new_generations)


# Opting in (views) ----------------------------------------------------------------------------


def cache_shared_page(
    request,
    *,
    depends_on: list[str],
    members: bool = False,
    on_hit: str | None = None,
    on_hit_args: tuple = (),
    seconds: int | None = None,
) -> None:
    """Let the middleware store this response for the visitor's audience.

    Anonymous visitors always share pages; signed-in members only with ``members=True``, for
    pages whose only member-specific part is the account menu. Call it before reading what the
    page shows: the generations are taken now, so a change committed while the page renders
    leaves it already retired. ``on_hit`` (a dotted path, called with ``on_hit_args``) runs for
    each visitor served from the cache, e.g. to count a view.
    """
    preview = getattr(request, "is_preview", False)
    # Members' pages and previews are never kept by browsers or proxies, shared or not.
    request._page_cache_private = preview or request.user.is_authenticated
    if preview or (request.user.is_authenticated and not members) or not enabled():
        return
    setattr(
        request,
        REQUEST_ATTR,
        {
            "generations": generations(depends_on),
            "on_hit": on_hit,
            "on_hit_args": tuple(on_hit_args),
            "seconds": seconds or timeout(),
        },
    )


# Middleware -----------------------------------------------------------------------------------


def _page_key(request, audience: str = ANONYMOUS) -> str | None:
    """Cache key of this URL for an audience, or None when its query string could make it vary."""
    for name, values in request.GET.lists():
        pattern = ALLOWED_PARAMS.get(name)
        if pattern is None or len(values) != 1 or not pattern.fullmatch(values[0]):
            return None
    url = f"{request.get_host()}|{get_language()}|{request.path}|{sorted(request.GET.items())}"
    return f"{KEY_PREFIX}:{audience}:{hashlib.sha256(url.encode()).hexdigest()}"


def _audience(request) -> str | None:
    """Whose copy of a page this visitor may share; None when they are shown messages."""
    if len(get_messages(request)):  # len() leaves the messages unread
        return None
    return MEMBERS if request.user.is_authenticated else ANONYMOUS


def _account_menu(request) -> str:
    context = {"user": request.user, "csrf_token": get_token(request)}
    return get_template(ACCOUNT_MENU_TEMPLATE).render(context).strip()


class PageCacheMiddleware:
    """Serves and stores the pages views opted in for (see ``cache_shared_page``).

    Sits after the session, authentication, messages, CSRF and X-Frame-Options middleware, which
    treat hits like any response; the CSP header, set further in, is stored and replayed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = audience = None
        if enabled() and request.method in ("GET", "HEAD"):
            audience = _audience(request)
            key = _page_key(request, audience) if audience else None
            if key is not None:
                hit = self._serve(request, key, audience)
                if hit is not None:
                    return hit
        session_before = _session_state(request) if key is not None else None
        response = self.get_response(request)
        stored = False
        if (
            key is not None
            and hasattr(request, REQUEST_ATTR)
            and _session_state(request) == session_before
        ):
            stored = self._store(request, key, audience, response)
        if getattr(request, "_page_cache_private", False):
            add_never_cache_headers(response)
        elif stored:
            self._cache_headers(response, csrf=stored == "csrf")
        return response

    def _serve(self, request, key: str, audience: str) -> HttpResponse | None:
        entry = cache.get(key)
        if entry is None or generations(entry["generations"]) != entry["generations"]:
            return None
        if entry["on_hit"]:
            import_string(entry["on_hit"])(*entry["on_hit_args"])
        body = entry["body"]
        if entry["csrf"]:
            body = body.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
        if audience == MEMBERS:
            menu = _account_menu(request).encode()
            body = body.replace(ACCOUNT_MENU_PLACEHOLDER.encode(), menu, 1)
        response = HttpResponse(body, content_type=entry["content_type"])
        for name, value in entry["headers"].items():
            response[name] = value
        if audience == MEMBERS:
            add_never_cache_headers(response)
        else:
            self._cache_headers(response, csrf=entry["csrf"])
        response["X-Page-Cache"] = "hit"
        return response

    def _store(self, request, key: str, audience: str, response) -> str | bool:
        """Store the page; "csrf" when it carried tokens, False when it could not be stored."""
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or response.has_header("Cache-Control")
            or not response.get("Content-Type", "").startswith("text/html")
            or len(get_messages(request))
        ):
            return False
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        body, tokens = _strip_csrf_tokens(response.content)
        if body is None or (request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not tokens):
            return False  # the visitor's token is somewhere we cannot replace it
        if audience == MEMBERS:
            text, menus = ACCOUNT_MENU.subn(ACCOUNT_MENU_PLACEHOLDER, body.decode())
            if menus != 1:
                return False  # the member's own part is not where it can be cut out
            body = text.encode()
            tokens = tokens if CSRF_PLACEHOLDER in text else set()
        meta = getattr(request, REQUEST_ATTR)
        entry = {
            "body": body,
            "content_type": response["Content-Type"],
            "headers": {name: response[name] for name in REPLAYED_HEADERS if name in response},
            "csrf": bool(tokens),
            "generations": meta["generations"],
            "on_hit": meta["on_hit"],
            "on_hit_args": meta["on_hit_args"],
        }
        cache.set(key, entry, meta["seconds"])
        response["X-Page-Cache"] = "miss"
        return "csrf" if tokens else True

    @staticmethod
    def _cache_headers(response, *, csrf: bool) -> None:
        # A page carrying the visitor's CSRF token must not be shared by proxies or CDNs.
        if csrf:
            patch_cache_control(response, private=True, max_age=max_age())
        else:
            patch_cache_control(response, public=True, max_age=max_age())


def _session_state(request) -> dict | None:
    """What the view could have put in the session (a page depending on it is not stored)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    return {k: v for k, v in session.items() if k not in IGNORED_SESSION_KEYS}


def _strip_csrf_tokens(content: bytes) -> tuple[bytes | None, set[str]]:
    """The page with its CSRF inputs emptied, and the tokens removed; None if a token is
    anywhere else in the page (then it cannot be stored)."""
    text = content.decode()
    tokens = {match.group(2) for match in CSRF_INPUT.finditer(text)}
    stripped = CSRF_INPUT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<3>", text)
    if any(token in stripped for token in tokens):
        return None, tokens
    return stripped.encode(), tokens
