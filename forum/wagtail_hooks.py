"""Editors' dashboard: how often the ask page answered a question before it was asked."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from kb.editorial import is_editorial_staff

from .models import Deflection


class DeflectionPanel(Component):
    template_name = "forum/admin/deflection_panel.html"
    order = 240

    def get_context_data(self, parent_context):
        since = timezone.now() - timedelta(days=30)
        recent = Deflection.objects.filter(created_at__gte=since)
        return {
            "heading": _("Questions answered before they were asked (30 days)"),
            "deflected": recent.filter(posted=False).count(),
            "asked_anyway": recent.filter(posted=True).count(),
            "top_queries": list(
                recent.filter(posted=False).values_list("query", flat=True).distinct()[:5]
            ),
        }


@hooks.register("construct_homepage_panels")
def add_deflection_panel(request, panels):
    if not is_editorial_staff(request.user):  # customers' questions: editorial staff only
        return
    panels.append(DeflectionPanel())
