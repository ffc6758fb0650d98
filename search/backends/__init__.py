"""Backends chosen by ``settings.SEARCH_BACKENDS``, the way Django picks ``CACHES``.

Each backend module ends with ``SearchBackend = <class>``; callers use ``get_search_backend()``
and never ask which backend they got.
"""

from functools import cache
from importlib import import_module

from django.conf import settings

from .base import BaseSearchBackend


@cache
def get_search_backend(alias: str = "default") -> BaseSearchBackend:
    config = dict(settings.SEARCH_BACKENDS[alias])
    module = import_module(config.pop("BACKEND"))
    options = {key.lower(): value for key, value in config.items()}
    return module.SearchBackend(alias=alias, **options)


def reset_search_backends() -> None:
    """Forget constructed backends (settings changed, e.g. in tests)."""
    get_search_backend.cache_clear()
