"""Knowledge-base pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HelpCenterPage(Page):
    """The site root in each language: where customers start looking for help."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences under the search box."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("help center")
