"""PostgreSQL only: a stored, GIN-indexed tsvector, so a search reads an index, not every row.

English rows are stemmed with the ``english`` configuration, the others use ``simple``
(PostgreSQL has none for Persian, Hindi, Georgian or Tagalog). Title weighs A; summary,
answer and tags B; the body C.
"""

from django.db import migrations

CONFIG = "CASE WHEN locale = 'en' THEN 'english'::regconfig ELSE 'simple'::regconfig END"
VECTOR = (
    f"setweight(to_tsvector({CONFIG}, coalesce(title, '')), 'A') || "
    f"setweight(to_tsvector({CONFIG}, coalesce(summary, '') || ' ' || coalesce(answer, '') || ' ' || coalesce(tags, '')), 'B') || "
    f"setweight(to_tsvector({CONFIG}, coalesce(body, '')), 'C')"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_indexeddocument ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({VECTOR}) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX search_indexeddocument_search_vector "
            "ON search_indexeddocument USING GIN (search_vector)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_indexeddocument DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_sqlite_fts5_porter")]
    operations = [migrations.RunPython(create, drop)]
