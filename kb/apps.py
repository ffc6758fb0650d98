from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeBaseConfig(AppConfig):
    """Help articles published by editors in Wagtail."""

    name = "kb"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Knowledge base")

    def ready(self):
        from . import receivers

        receivers.connect()
