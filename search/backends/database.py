"""Search in the site's own database: SQLite FTS5 (bm25, snippets) or PostgreSQL full text.

The hot path is shaped so its cost follows the page, not the corpus: matching and ranking
read only the full-text index, rows are loaded without their bodies, snippets are built for
the hits on the page alone, and the language facet is one grouped count.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction

from search.documents import SearchDocument
from search.models import IndexedDocument
from search.ranking import MARK_CLOSE, MARK_OPEN, fuse, match_terms, query_terms, snippet_html

from .base import BaseSearchBackend, Health, Hit, SearchQuery, SearchResults
from .spelling import forget_vocabulary, spelling_correction

CANDIDATES = 500
# bm25 weights for title, summary, body, answer, tags (FTS5 column order).
BM25_WEIGHTS = "10.0, 4.0, 1.0, 3.0, 3.0"
# What a hit shows; the long body and answer stay in the database.
HIT_FIELDS = ("id", "kind", "object_id", "locale", "title", "summary", "products", "url")
HIT_FIELDS += ("solved", "helpful", "updated")


def _row_values(doc: SearchDocument) -> dict:
    return {
        "kind": doc.kind,
        "object_id": doc.object_id,
        "locale": doc.locale,
        "title": doc.title,
        "summary": doc.summary,
        "body": doc.body,
        "answer": doc.answer,
        "tags": " ".join(doc.tags),
        "products": "\n".join(doc.products),
        "url": doc.url,
        "solved": doc.solved,
        "helpful": doc.helpful,
        "reply_count": doc.reply_count,
        "updated": doc.updated,
    }


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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

    # Writing ------------------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents.

        The spelling vocabulary is not dropped here: rebuilding it reads every title, too
        costly for each new post; it expires within ``spelling.CACHE_SECONDS``.
        """
        written = 0
        with transaction.atomic():
            for doc in documents:
                IndexedDocument.objects.update_or_create(key=doc.key, defaults=_row_values(doc))
                written += 1
        return written

    def rebuild(self, documents, on_progress=None) -> int:
        """Insert in batches into an emptied table, in one transaction.

        Readers keep seeing the old index until the new one is complete; bulk inserts skip
        the per-document lookup ``index`` needs for updates.
        """
        written = 0
        with transaction.atomic():
            self.reset()
            batch: list[IndexedDocument] = []
            for doc in documents:
                batch.append(IndexedDocument(key=doc.key, **_row_values(doc)))
                if len(batch) == 500:
                    written += self._insert(batch, on_progress)
                    batch = []
            written += self._insert(batch, on_progress)
        forget_vocabulary()
        return written

    @staticmethod
    def _insert(rows: list[IndexedDocument], on_progress) -> int:
        if rows:
            IndexedDocument.objects.bulk_create(rows)
            if on_progress:
                on_progress(len(rows))
        return len(rows)

    def delete(self, keys: Iterable[str]) -> None:
        IndexedDocument.objects.filter(key__in=list(keys)).delete()

    def reset(self) -> None:
        IndexedDocument.objects.all().delete()
        forget_vocabulary()

    def indexed_keys(self):
        return dict(IndexedDocument.objects.values_list("key", "updated"))

    # Reading ------------------------------------------------------------------------------

    @staticmethod
    def _filters(query: SearchQuery, *, with_locale: bool = True) -> tuple[str, list]:
        """SQL conditions on the document table ``d`` for the reader's filters."""
        sql, params = [], []
        if with_locale and query.locale:
            sql.append("d.locale = %s")
            params.append(query.locale)
        if query.kind:
            sql.append("d.kind = %s")
            params.append(query.kind)
        if query.solved is not None:
            sql.append("d.solved = %s")
            params.append(query.solved)
        if query.product:
            sql.append("d.products LIKE %s ESCAPE '\\'")
            params.append(f"%{_like_escape(query.product)}%")
        return "".join(f" AND {condition}" for condition in sql), params

    def _match(self, terms: list[str], query: SearchQuery):
        """The backend's match expression: every word (stopwords dropped) or a synonym phrase."""
        phrases = [words for words in (query_terms(p) for p in query.synonyms) if words]
        if connection.vendor == "sqlite":
            return " OR ".join(
                [f'"{term}"' for term in terms] + [f'"{" ".join(words)}"' for words in phrases]
            )
        alternatives = [f"'{term}'" for term in terms]
        alternatives += ["(" + " <-> ".join(f"'{w}'" for w in words) + ")" for words in phrases]
        return " | ".join(alternatives)

    def _candidates(self, match, query: SearchQuery) -> list[tuple[int, float]]:
        """(row id, relevance) of the best matching rows, best first."""
        where, params = self._filters(query)
        if connection.vendor == "sqlite":
            sql = (
                f"SELECT f.rowid, -bm25(search_fts, {BM25_WEIGHTS}) AS relevance "
                "FROM search_fts f JOIN search_indexeddocument d ON d.id = f.rowid "
                f"WHERE search_fts MATCH %s{where} ORDER BY relevance DESC LIMIT {CANDIDATES}"
            )
            params = [match, *params]
        else:
            tsquery, count = _pg_tsquery(query.locale)
            sql = (
                "SELECT d.id, ts_rank(d.search_vector, q) AS relevance "
                f"FROM search_indexeddocument d, {tsquery} "
                f"WHERE d.search_vector @@ q{where} ORDER BY relevance DESC LIMIT {CANDIDATES}"
            )
            params = [*[match] * count, *params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _snippets(self, match, ids: list[int], locale: str | None) -> dict[int, str]:
        """Highlighted passages for the hits on the page only: the costly part of a search."""
        if not ids:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        if connection.vendor == "sqlite":
            sql = (
                "SELECT rowid, snippet(search_fts, -1, %s, %s, '…', 16) FROM search_fts "
                f"WHERE search_fts MATCH %s AND rowid IN ({marks})"
            )
            params = [MARK_OPEN, MARK_CLOSE, match, *ids]
        else:
            tsquery, count = _pg_tsquery(locale)
            sql = (
                "SELECT d.id, ts_headline(CASE WHEN d.locale = 'en' THEN 'english'::regconfig "
                "ELSE 'simple'::regconfig END, "
                "concat_ws('. ', d.title, d.summary, d.answer, d.body), q, %s) "
                f"FROM search_indexeddocument d, {tsquery} WHERE d.id IN ({marks})"
            )
            options = f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=30, MinWords=10"
            params = [options, *[match] * count, *ids]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return dict(cursor.fetchall())

    def _locale_counts(self, match, query: SearchQuery) -> dict[str, int]:
        """Matches per language under the other filters: a count, no ranking."""
        where, params = self._filters(query, with_locale=False)
        if connection.vendor == "sqlite":
            sql = (
                "SELECT d.locale, COUNT(*) FROM search_fts f "
                "JOIN search_indexeddocument d ON d.id = f.rowid "
                f"WHERE search_fts MATCH %s{where} GROUP BY d.locale"
            )
            params = [match, *params]
        else:
            tsquery, count = _pg_tsquery(None)
            sql = (
                f"SELECT d.locale, COUNT(*) FROM search_indexeddocument d, {tsquery} "
                f"WHERE d.search_vector @@ q{where} GROUP BY d.locale"
            )
            params = [*[match] * count, *params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return dict(cursor.fetchall())

    def search(self, query: SearchQuery) -> SearchResults:
        terms = query_terms(query.text)
        if not terms:
            return SearchResults(query=query, total=0, hits=[], backend=self.name)
        match = self._match(match_terms(terms), query)
        found = self._candidates(match, query)
        rows = IndexedDocument.objects.only(*HIT_FIELDS).in_bulk([i for i, _ in found])
        candidates = [
            {
                "id": row_id,
                "relevance": relevance,
                "row": rows[row_id],
                "kind": rows[row_id].kind,
                "title": rows[row_id].title,
                "solved": rows[row_id].solved,
                "helpful": rows[row_id].helpful,
            }
            for row_id, relevance in found
        ]
        ranked = fuse(candidates, query.text)
        correction = "" if ranked else spelling_correction(terms, query.locale)
        start = (query.page - 1) * query.page_size
        page = ranked[start : start + query.page_size]
        snippets = self._snippets(match, [c["id"] for c in page], query.locale)
        return SearchResults(
            query=query,
            total=len(ranked),
            hits=[self._hit(c, snippets.get(c["id"], "")) for c in page],
            facets=self._facets(match, query, [c["row"] for c in ranked]),
            backend=self.name,
            did_you_mean=correction,
        )

    def _facets(self, match, query: SearchQuery, rows) -> dict[str, dict[str, int]]:
        products = Counter(p for row in rows for p in row.products.splitlines() if p)
        return {
            "kind": dict(Counter(row.kind for row in rows)),
            "product": dict(products.most_common(20)),
            "solved": dict(Counter("yes" if row.solved else "no" for row in rows)),
            "locale": self._locale_counts(match, query),
        }

    @staticmethod
    def _hit(candidate: dict, raw_snippet: str) -> Hit:
        row = candidate["row"]
        return Hit(
            kind=row.kind,
            id=row.object_id,
            title=row.title,
            url=row.url,
            snippet=snippet_html(raw_snippet or row.summary[:200]),
            score=candidate["score"],
            locale=row.locale,
            product=(row.products.splitlines() or [""])[0],
            solved=row.solved,
            updated=row.updated,
        )

    def suggest(self, text: str, *, locale: str | None = None, limit: int = 10) -> list[str]:
        terms = query_terms(text)
        if not terms:
            return []
        rows = IndexedDocument.objects.all()
        if locale:
            rows = rows.filter(locale=locale)
        for term in terms:
            rows = rows.filter(title__icontains=term)
        return list(
            rows.order_by("-solved", "kind", "title")
            .values_list("title", flat=True)
            .distinct()[:limit]
        )


def _pg_tsquery(locale: str | None) -> tuple[str, int]:
    """The tsquery ``q`` in the configuration ``locale``'s documents were indexed with.

    English documents are stemmed (``english``), the others are not (``simple``); across
    languages both forms are tried. Returns the SQL and how many times it takes the match.
    """
    if locale == "en":
        return "to_tsquery('english', %s) AS q", 1
    if locale:
        return "to_tsquery('simple', %s) AS q", 1
    return "(SELECT to_tsquery('english', %s) || to_tsquery('simple', %s)) AS s(q)", 2


SearchBackend = DatabaseSearchBackend
