from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeBaseConfig(AppConfig):
    """Help articles published by editors in Wagtail."""

    name = "kb"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Knowledge base")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from . import receivers

        receivers.connect()
        # After the last post_migrate (sent only to apps with models): every permission exists.
        last_app = [app for app in apps.get_app_configs() if app.models_module][-1]
        post_migrate.connect(
            receivers.editorial_roles_after_migrate,
            sender=last_app,
            dispatch_uid="kb_editorial_roles_after_migrate",
        )
