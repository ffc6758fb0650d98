"""The site's URLs plus ``/bench/bare/``: the ceiling ``bench.page_speed`` compares pages with.

The bare view goes through the same middleware and server as every page, so its throughput
is what this machine can serve at all; a page's share of it is what its own work costs.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *site_urlpatterns]
