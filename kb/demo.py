"""Demo help center: the root page in every enabled language."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from .models import HelpCenterPage

logger = logging.getLogger(__name__)


def ensure_locales() -> dict[str, Locale]:
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.LANGUAGES
    }


def help_center_texts(code: str) -> tuple[str, str]:
    with translation.override(code):
        return (
            _("How can we help?"),
            _(
                "Guides, troubleshooting and answers from the community "
                "for everything you bought from us."
            ),
        )


@transaction.atomic
def seed_help_center() -> HelpCenterPage:
    """One help center per language, the English one as the default site's root."""
    locales = ensure_locales()
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locales["en"])
    )
    home = HelpCenterPage.objects.filter(locale=locales["en"]).first()
    if home is None:
        title, intro = help_center_texts("en")
        home = HelpCenterPage(title=title, slug="help", intro=intro, locale=locales["en"])
        root.add_child(instance=home)
        home.save_revision().publish()
        logger.info("Created the English help center")
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    old_root_id = site.root_page_id if site.pk else None
    site.hostname, site.port, site.site_name = "localhost", 80, "Helpdesk Commons"
    site.root_page = home
    site.save()
    if old_root_id and old_root_id != home.pk:
        stale = Page.objects.filter(pk=old_root_id, content_type__model="page").first()
        if stale is not None:
            stale.delete()  # Wagtail's "Welcome" placeholder
    for code, locale in locales.items():
        if code != "en" and not home.has_translation(locale):
            copy = home.copy_for_translation(locale)
            copy.title, copy.intro = help_center_texts(code)
            copy.save_revision().publish()
            logger.info("Created the %s help center", code)
    return home
