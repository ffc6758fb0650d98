"""Writes for the knowledge base: feedback votes and view counts."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.counters import BufferedCounter

from .models import ArticleFeedback, ArticlePage, ArticleViewDay


def article_record_feedback(
    *, article: ArticlePage, voter: str, helpful: bool, reason: str = "", comment: str = ""
) -> tuple[ArticleFeedback, bool]:
    """Store a visitor's vote; a second vote replaces the first. Returns (vote, created)."""
    values = {
        "helpful": helpful,
        "reason": "" if helpful else reason,
        "comment": comment.strip(),
        "locale_id": article.locale_id,
    }
    try:
        with transaction.atomic():
            return ArticleFeedback.objects.update_or_create(
                article=article, voter=voter, defaults=values
            )
    except IntegrityError:
        # Two requests from the same visitor raced; the unique constraint kept one row.
        ArticleFeedback.objects.filter(article=article, voter=voter).update(**values)
        return ArticleFeedback.objects.get(article=article, voter=voter), False


def _write_view_days(batch: dict[tuple[int, object], int]) -> None:
    """Add buffered views to their (article, day) rows in one transaction."""
    with transaction.atomic():
        missing = {}
        for (article_id, day), views in batch.items():
            updated = ArticleViewDay.objects.filter(article_id=article_id, day=day).update(
                views=F("views") + views
            )
            if not updated:
                missing[(article_id, day)] = views
        if not missing:
            return
        # An article deleted since it was viewed keeps no counts.
        existing = set(
            ArticlePage.objects.filter(pk__in={a for a, _day in missing}).values_list(
                "pk", flat=True
            )
        )
        for (article_id, day), views in missing.items():
            if article_id not in existing:
                continue
            try:
                with transaction.atomic():
                    ArticleViewDay.objects.create(article_id=article_id, day=day, views=views)
            except IntegrityError:  # another process created the row meanwhile
                ArticleViewDay.objects.filter(article_id=article_id, day=day).update(
                    views=F("views") + views
                )


article_views = BufferedCounter(
    _write_view_days,
    max_pending=lambda: getattr(settings, "KB_VIEW_BUFFER", 200),
    max_seconds=lambda: getattr(settings, "KB_VIEW_FLUSH_SECONDS", 30),
)


def article_record_view(*, article: ArticlePage) -> None:
    """Count a view; written to ``ArticleViewDay`` in batches (see ``core.counters``)."""
    article_count_view(article.pk)


def article_count_view(article_id: int) -> None:
    """The same for a page served from the anonymous page cache, which has only the id."""
    article_views.add((article_id, timezone.localdate()))


def article_views_flush() -> None:
    """Write buffered views now (``manage.py`` commands, tests)."""
    article_views.flush()
