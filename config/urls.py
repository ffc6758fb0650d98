"""URLs: language-neutral endpoints first, then everything a person reads under /<lang>/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.health import healthz
from kb.sitemaps import sitemap_for_language, sitemap_index
from search import views as search_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/search/", search_views.api_search, name="api_search"),
    path("api/search/suggest/", search_views.api_suggest, name="api_search_suggest"),
    path("api/search/click/", search_views.api_click, name="api_search_click"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<str:code>.xml", sitemap_for_language, name="sitemap_language"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.http import HttpResponseNotFound

    # Forum attachments are only ever served by machina's permission-checked download view.
    urlpatterns += [
        path("media/machina/attachments/<path:rest>", lambda request, rest: HttpResponseNotFound())
    ]
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("accounts/", include("accounts.urls")),
    path("community/", include("forum.urls")),
    path("search/", include("search.urls")),
    path("kb/", include("kb.urls")),
    path("", include(wagtail_urls)),
)
