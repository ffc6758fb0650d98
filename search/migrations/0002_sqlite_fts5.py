"""SQLite only: an external-content FTS5 table over search_indexeddocument, kept by triggers."""

from django.db import migrations

COLUMNS = "title, summary, body, answer, tags"
CREATE = [
    f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS}, "
    "content='search_indexeddocument', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON search_indexeddocument BEGIN
        INSERT INTO search_fts(rowid, {COLUMNS})
        VALUES (new.id, new.title, new.summary, new.body, new.answer, new.tags); END""",
    f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON search_indexeddocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.title, old.summary, old.body, old.answer, old.tags); END""",
    f"""CREATE TRIGGER search_fts_update AFTER UPDATE ON search_indexeddocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.title, old.summary, old.body, old.answer, old.tags);
        INSERT INTO search_fts(rowid, {COLUMNS})
        VALUES (new.id, new.title, new.summary, new.body, new.answer, new.tags); END""",
]
DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
