from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The site shell every page shares: header, language switching, demo content orchestration."""

    name = "core"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Site shell")
