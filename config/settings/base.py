"""Settings shared by every environment; integrations switch on when their variable is set."""

from datetime import timedelta

import dj_database_url
from django.conf import locale as django_locale
from django.utils.translation import gettext_lazy as _
from machina import MACHINA_MAIN_STATIC_DIR, MACHINA_MAIN_TEMPLATE_DIR

from config import env
from config.release import code_release

BASE_DIR = env.BASE_DIR
SECRET_KEY = env.SECRET_KEY
DEBUG = env.DEBUG
ALLOWED_HOSTS = env.ALLOWED_HOSTS

INSTALLED_APPS = [
    "core",
    "accounts",
    "kb",
    "forum",
    "search",
    "axes",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # django-machina and what it needs
    "mptt",
    "haystack",
    "widget_tweaks",
    "machina",
    "machina.apps.forum",
    "machina.apps.forum_conversation",
    "machina.apps.forum_conversation.forum_attachments",
    "machina.apps.forum_conversation.forum_polls",
    "machina.apps.forum_feeds",
    "machina.apps.forum_moderation",
    "machina.apps.forum_search",
    "machina.apps.forum_tracking",
    "machina.apps.forum_member",
    "machina.apps.forum_permission",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RejectOversizedIdsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Serves anonymous visitors' pages from the cache; before machina's middleware, which
    # would otherwise create a session (a database write) for every cookie-less visitor.
    "core.pagecache.PageCacheMiddleware",
    "machina.apps.forum_permission.middleware.ForumPermissionMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", MACHINA_MAIN_TEMPLATE_DIR],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "machina.core.context_processors.metadata",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
SQLITE_PATH = BASE_DIR / "var" / "helpdesk.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(env.DATABASE_URL, conn_max_age=60)
    if env.DATABASE_URL
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": SQLITE_PATH},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: take the write lock up front and wait for it rather than failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# machina declares no default_auto_field: keep its tables as migrated; our apps set BigAutoField.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins before checking passwords
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): 5 failures lock the account and, separately, the address for
# 15 minutes; the site and the Wagtail admin both log in through Django's authenticate().
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_USERNAME_CALLABLE = "accounts.lockout.username_for_axes"
AXES_IPWARE_PROXY_COUNT = env.TRUSTED_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
TRUSTED_PROXY_COUNT = env.TRUSTED_PROXY_COUNT
RATE_LIMITS_ENABLED = env.RATE_LIMITS_ENABLED

# Content-Security-Policy (django-csp): no inline or third-party scripts on the public site.
# Wagtail's admin is excluded: it is staff-only and relies on inline styles and scripts.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "/"

# Languages: English first, Persian right-to-left; URLs carry the language prefix.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fa", _("Persian")),
    ("hi", _("Hindi")),
    ("ka", _("Georgian")),
    ("tl", _("Tagalog")),
]
# Django ships no metadata for Tagalog; the documented way is to extend LANG_INFO.
django_locale.LANG_INFO.setdefault(
    "tl", {"bidi": False, "code": "tl", "name": "Tagalog", "name_local": "Tagalog"}
)
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = env.STATIC_ROOT
STATICFILES_DIRS = [BASE_DIR / "static", MACHINA_MAIN_STATIC_DIR]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.MEDIA_ROOT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Files under var/cache are shared by every worker process on the host, so rate limits and
# posting limits count requests across gunicorn workers (per-process memory would not).
# Keys carry the release: pages and fragments rendered by the previous code are not served.
RELEASE = env.RELEASE or code_release(BASE_DIR)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": BASE_DIR / "var" / "cache" / "default",
        "KEY_PREFIX": f"release-{RELEASE}",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
    "machina_attachments": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": BASE_DIR / "var" / "cache" / "machina_attachments",
    },
}

# Email: console unless an SMTP host is configured.
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL
SERVER_EMAIL = env.DEFAULT_FROM_EMAIL
if env.EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.EMAIL_HOST
    EMAIL_PORT = env.EMAIL_PORT
    EMAIL_HOST_USER = env.EMAIL_HOST_USER
    EMAIL_HOST_PASSWORD = env.EMAIL_HOST_PASSWORD
    EMAIL_USE_TLS = env.EMAIL_USE_TLS
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Background tasks: run inline unless a worker-backed queue is configured.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if env.TASKS_BACKEND == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
    }
}

# Wagtail
WAGTAIL_SITE_NAME = "Helpdesk Commons"
WAGTAILADMIN_BASE_URL = env.SITE_URL
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatar requests to a third party from the admin
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the dashboard would fetch releases.wagtail.org
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Every document downloads as an attachment: nothing uploaded is ever rendered in our origin.
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "csv", "zip", "odt", "docx", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# django-machina
MACHINA_FORUM_NAME = "Community"
MACHINA_BASE_TEMPLATE_NAME = "base.html"
MACHINA_USER_DISPLAY_NAME_METHOD = "get_display_name"
# Post length is capped in forum.views (POST_MAX_LENGTH), not with MACHINA_POST_CONTENT_MAX_LENGTH:
# that setting changes machina's model state and makes Django want a migration inside machina.
MACHINA_MARKUP_LANGUAGE = ("forum.markup.render_post_markdown", {})
MACHINA_MARKUP_WIDGET = "forum.widgets.MarkdownEditorWidget"
MACHINA_ATTACHMENT_MAX_FILES_PER_POST = 5
# Default permissions are forum permission rows (forum.permissions), not
# MACHINA_DEFAULT_AUTHENTICATED_USER_FORUM_PERMISSIONS: it overrides per-forum denies (machina #70).
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}

# Unified search (search/backends). With a cluster, the database index is kept as "fallback"
# so searches still answer when the cluster is down.
SEARCH_BACKENDS = (
    {
        "default": {
            "BACKEND": "search.backends.elasticsearch",
            "URL": env.ELASTICSEARCH_URL,
            "INDEX_PREFIX": env.ELASTICSEARCH_INDEX_PREFIX,
            "TIMEOUT": 0.5,
        },
        "fallback": {"BACKEND": "search.backends.database"},
    }
    if env.ELASTICSEARCH_URL
    else {"default": {"BACKEND": "search.backends.database"}}
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "accounts": {"level": "INFO"},
        "kb": {"level": "INFO"},
        "forum": {"level": "INFO"},
        "search": {"level": "INFO"},
    },
}
KB_READING_WORDS_PER_MINUTE = 200
# A product page lists the first few articles of each type with "See all", which pages through
# that type: a product with thousands of articles stays a small page.
KB_PRODUCT_GROUP_PREVIEW = 8
KB_PRODUCT_TYPE_PAGE_SIZE = 25

# Anonymous page cache (core.pagecache) in the default cache: pages live at most
# PAGE_CACHE_TIMEOUT seconds (changes retire them sooner); browsers and proxies may keep them
# PAGE_CACHE_MAX_AGE seconds. Article and topic views are written in batches of KB_VIEW_BUFFER
# or every KB_VIEW_FLUSH_SECONDS per process (core.counters).
PAGE_CACHE_ENABLED = True
PAGE_CACHE_TIMEOUT = 600
PAGE_CACHE_MAX_AGE = 60
KB_VIEW_BUFFER = 200
KB_VIEW_FLUSH_SECONDS = 30
