"""SQLite only: rebuild the FTS5 table with the Porter stemmer over unicode61.

Porter makes "printers" find "printer" in English; it only rewrites ASCII word endings, so
Persian, Hindi and Georgian words pass through unchanged.
"""

from django.db import migrations

from search.migrations import _fts

TOKENIZER = "porter unicode61 remove_diacritics 2"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _fts.DROP + _fts.create_statements(TOKENIZER):
            schema_editor.execute(statement)
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _fts.DROP + _fts.create_statements("unicode61 remove_diacritics 2"):
            schema_editor.execute(statement)
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_synonyms_pending_analytics")]
    operations = [migrations.RunPython(create, drop)]
