"""SQLite only: an external-content FTS5 table over search_indexeddocument, kept by triggers."""

from django.db import migrations

from search.migrations import _fts


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _fts.create_statements("unicode61 remove_diacritics 2"):
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _fts.DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
