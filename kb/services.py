"""Writes for the knowledge base: feedback votes and view counts."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

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


def article_record_view(*, article: ArticlePage) -> None:
    today = timezone.localdate()
    updated = ArticleViewDay.objects.filter(article=article, day=today).update(views=F("views") + 1)
    if not updated:
        try:
            with transaction.atomic():
                ArticleViewDay.objects.create(article=article, day=today, views=1)
        except IntegrityError:
            ArticleViewDay.objects.filter(article=article, day=today).update(views=F("views") + 1)
