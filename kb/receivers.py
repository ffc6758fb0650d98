"""Retire cached knowledge-base pages when what they show changes (see ``core.pagecache``);
give every install, and every new help center, the editorial roles."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.pagecache import bump

from .models import KB_GENERATION, ArticlePage, HelpCenterPage, ProductPage


def kb_changed(sender, **kwargs):
    """Any publish, unpublish, move or delete: lists, breadcrumbs and links may all change."""
    bump(KB_GENERATION)


def editorial_roles_after_migrate(sender, **kwargs):
    from .editorial import setup_editorial_roles_once

    setup_editorial_roles_once()


def help_center_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .editorial import grant_editorial_rights

        transaction.on_commit(lambda: grant_editorial_rights(instance))


def connect() -> None:
    post_save.connect(help_center_created, sender=HelpCenterPage, dispatch_uid="kb_new_home")
    for model in (ArticlePage, ProductPage, HelpCenterPage):
        for signal in (page_published, page_unpublished, post_delete):
            signal.connect(
                kb_changed, sender=model, dispatch_uid=f"pagecache_{model.__name__}_{id(signal)}"
            )
    post_page_move.connect(kb_changed, dispatch_uid="pagecache_page_moved")
    for model in (PageViewRestriction, Site):
        for signal in (post_save, post_delete):
            signal.connect(
                kb_changed, sender=model, dispatch_uid=f"pagecache_{model.__name__}_{id(signal)}"
            )
