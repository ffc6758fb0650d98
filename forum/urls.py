from django.urls import include, path
from machina import urls as machina_urls

from . import views

urlpatterns = [
    path("ask/", views.ask, name="forum_ask"),
    path("", include(machina_urls)),
]
