"""The database backend's index: one row per searchable document.

On SQLite an FTS5 table mirrors these rows (created in the migration, kept in step by
triggers); on PostgreSQL queries use full-text search over the same columns.
"""

from django.db import models


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
