from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Unified search over knowledge-base articles and forum threads."""

    name = "search"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Unified search")

    def ready(self):
        from . import signals

        signals.connect()
