"""Search in the site's own database: SQLite FTS5 or PostgreSQL full-text search."""

from django.db import connection

from .base import BaseSearchBackend, Health


class DatabaseSearchBackend(BaseSearchBackend):
    """The embedded default: needs nothing beyond the database the site already uses."""

    name = "database"

    def health(self) -> Health:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as exc:  # any driver error means we cannot serve
            return Health(ok=False, detail=str(exc))
        return Health(ok=True)


SearchBackend = DatabaseSearchBackend
