"""Turn request parameters into a SearchQuery, or say clearly which one is wrong."""

from django.conf import settings
from django.utils.translation import gettext as _

from core.text import single_line

from .backends.base import SearchQuery
from .documents import KINDS

MAX_QUERY = 200
MAX_PAGE = 1000
MAX_PAGE_SIZE = 50


class BadParameter(ValueError):
    pass


def _int(raw: str, name: str, low: int, high: int, default: int) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError) as exc:
        raise BadParameter(_("“%(name)s” must be a whole number.") % {"name": name}) from exc
    if not low <= value <= high:
        raise BadParameter(
            _("“%(name)s” must be between %(low)s and %(high)s.")
            % {"name": name, "low": low, "high": high}
        )
    return value


def search_query_from(params, *, default_locale: str) -> SearchQuery:
    kind = params.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise BadParameter(_("“kind” must be article or thread."))
    locale = params.get("locale") or default_locale
    if locale not in dict(settings.LANGUAGES) and locale != "all":
        raise BadParameter(_("Unknown language “%(code)s”.") % {"code": locale[:10]})
    solved_raw = (params.get("solved") or "").lower()
    if solved_raw not in ("", "yes", "no", "true", "false", "1", "0"):
        raise BadParameter(_("“solved” must be yes or no."))
    solved = None if not solved_raw else solved_raw in ("yes", "true", "1")
    return SearchQuery(
        text=single_line(params.get("q"), MAX_QUERY),
        locale=None if locale == "all" else locale,
        kind=kind,
        product=single_line(params.get("product"), 120) or None,
        solved=solved,
        page=_int(params.get("page"), "page", 1, MAX_PAGE, 1),
        page_size=_int(params.get("page_size"), "page_size", 1, MAX_PAGE_SIZE, 20),
    )
