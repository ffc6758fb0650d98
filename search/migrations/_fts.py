"""The SQLite FTS5 table and the triggers that keep it in step with search_indexeddocument."""

COLUMNS = "title, summary, body, answer, tags"


def create_statements(tokenizer: str) -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS}, "
        f"content='search_indexeddocument', content_rowid='id', tokenize='{tokenizer}')",
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
