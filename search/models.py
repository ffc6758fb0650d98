"""The database backend's index: one row per searchable document.

On SQLite an FTS5 table mirrors these rows (created in the migration, kept in step by
triggers); on PostgreSQL queries use full-text search over the same columns.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexedDocument(models.Model):
    key = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=10, db_index=True)
    object_id = models.PositiveBigIntegerField()
    locale = models.CharField(max_length=10, db_index=True)
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    answer = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    products = models.TextField(blank=True, help_text="Product names, one per line")
    url = models.CharField(max_length=500)
    solved = models.BooleanField(default=False)
    helpful = models.FloatField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    updated = models.DateTimeField(null=True)
    indexed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.key


class SynonymGroup(models.Model):
    """Words customers use for the same thing; every backend expands queries with them."""

    terms = models.CharField(
        _("terms"),
        max_length=500,
        help_text=_(
            "Comma-separated words or phrases that mean the same, e.g. wifi, wi-fi, wireless"
        ),
    )
    locale = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Leave empty to apply in every language."),
    )

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonyms")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    def term_list(self) -> list[str]:
        return [t for t in (" ".join(part.split()).lower() for part in self.terms.split(",")) if t]


class PendingIndexUpdate(models.Model):
    """An index write that failed: kept until it succeeds, so nothing is ever dropped."""

    backend = models.CharField(max_length=40)
    kind = models.CharField(max_length=10)
    object_id = models.PositiveBigIntegerField()
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["backend", "kind", "object_id"], name="unique_pending_index_update"
            )
        ]

    def __str__(self) -> str:
        return f"{self.backend} {self.kind}:{self.object_id}"


class SearchQueryDay(models.Model):
    """Per day, language and normalised query: how often it was searched, found nothing, clicked."""

    day = models.DateField(db_index=True)
    locale = models.CharField(max_length=10)
    query = models.CharField(max_length=200)
    searches = models.PositiveIntegerField(default=0)
    zero_results = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "locale", "query"], name="unique_query_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.locale} {self.query}"
