from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Our customisations of django-machina: the community forum."""

    name = "forum"
    default_auto_field = "django.db.models.BigAutoField"
    label = "community"
    verbose_name = _("Community forum")

    def ready(self):
        from . import receivers  # the @receiver functions connect on import

        receivers.connect_page_cache()
