"""Retire cached knowledge-base pages when what they show changes (see ``core.pagecache``)."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.pagecache import bump

from .models import KB_GENERATION, ArticlePage, HelpCenterPage, ProductPage


def kb_changed(sender, **kwargs):
    """Any publish, unpublish, move or delete: lists, breadcrumbs and links may all change."""
    bump(KB_GENERATION)


def connect() -> None:
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
