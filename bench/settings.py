"""Settings for the benchmarks (``bench.run`` sets ``DJANGO_SETTINGS_MODULE=bench.settings``).

The test settings (fast hashing, in-memory caches, inline tasks) plus everything pointed into
the run's throwaway folder ``BENCH_DIR``: the database comes from ``DATABASE_URL`` (``bench.run``
always sets it to a temporary SQLite file or a fresh PostgreSQL database), media, machina's
attachment cache and machina's own forum search index (django-haystack + Whoosh, as machina
documents it) live there too. Nothing here touches ``var/``.

``BENCH_SEARCH=elasticsearch`` with ``BENCH_ES_URL`` selects the Elasticsearch backend (with the
database as fallback, as in production); otherwise the database backend. Live indexing is off:
the benchmark builds indices with ``search_reindex`` and measures that.
"""

from pathlib import Path

from config.env import env_str
from config.settings.test import *  # noqa: F403
from config.settings.test import BASE_DIR, CACHES, LOGGING

BENCH_DIR = Path(env_str("BENCH_DIR") or BASE_DIR / "var" / "bench")

ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = BENCH_DIR / "media"
CACHES = {
    **CACHES,
    "machina_attachments": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": BENCH_DIR / "cache" / "machina_attachments",
    },
}
# Searches and page views come from one address, far faster than any person.
RATE_LIMITS_ENABLED = False
SEARCH_LIVE_INDEXING = False


def _plain_node():
    from tests.support.osmem import PlainJsonNode

    return PlainJsonNode


HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": str(BENCH_DIR / "whoosh"),
    }
}

# The Elasticsearch configuration the benchmark measures (``tests/search/conftest.py``'s shape):
# osmem-server needs plain JSON media types and has no persian/hindi analyzers (BENCH_ES_PLAIN).
_plain = bool(env_str("BENCH_ES_PLAIN"))
BENCH_ES_BACKENDS = {
    "default": {
        "BACKEND": "search.backends.elasticsearch",
        "URL": env_str("BENCH_ES_URL"),
        "INDEX_PREFIX": env_str("BENCH_ES_PREFIX", "bench"),
        # The tests' timeout: the in-memory emulator on a busy 2-core machine can exceed
        # production's 0.5 s, and a timeout would silently measure the database fallback.
        "TIMEOUT": 5,
        "INDEX_TIMEOUT": 300,
        "CLIENT_OPTIONS": {"node_class": _plain_node()} if _plain else {},
        "ANALYZERS": {"fa": "standard", "hi": "standard"} if _plain else {},
    },
    "fallback": {"BACKEND": "search.backends.database"},
}
BENCH_DATABASE_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}
SEARCH_BACKENDS = (
    BENCH_ES_BACKENDS if env_str("BENCH_SEARCH") == "elasticsearch" else BENCH_DATABASE_BACKENDS
)

# bench.page_speed serves the site with bench.urls (a bare view as the ceiling) and the page
# cache as in production: a file cache shared by the gunicorn workers (BENCH_PAGE_CACHE=on).
# Other steps keep the per-process memory cache with the page cache off, so query counts and
# search latencies measure rendering, not cache hits. Views are buffered as in production.
ROOT_URLCONF = "bench.urls"
KB_VIEW_BUFFER = 200
PAGE_CACHE_ENABLED = env_str("BENCH_PAGE_CACHE") == "on"
if PAGE_CACHE_ENABLED:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": BENCH_DIR / "cache" / "default",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }

LOGGING = {
    **LOGGING,
    "loggers": {name: {"level": "WARNING"} for name in ("accounts", "kb", "forum", "search")},
}
