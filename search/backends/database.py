"""Search in the site's own database: SQLite FTS5 (bm25, snippets) or PostgreSQL full text."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from django.db import connection, transaction

from search.documents import SearchDocument
from search.models import IndexedDocument
from search.ranking import MARK_CLOSE, MARK_OPEN, fuse, query_terms, snippet_html

from .base import BaseSearchBackend, Health, Hit, SearchQuery, SearchResults
from .spelling import forget_vocabulary, spelling_correction

CANDIDATES = 500
# bm25 weights for title, summary, body, answer, tags (FTS5 column order).
BM25_WEIGHTS = "10.0, 4.0, 1.0, 3.0, 3.0"


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
        written = 0
        with transaction.atomic():
            for doc in documents:
                IndexedDocument.objects.update_or_create(
                    key=doc.key,
                    defaults={
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
                    },
                )
                written += 1
                forget_vocabulary(doc.locale)
        return written

    def rebuild(self, documents, on_progress=None) -> int:
        # One transaction: readers keep seeing the old index until the new one is complete.
        with transaction.atomic():
            return super().rebuild(documents, on_progress)

    def delete(self, keys: Iterable[str]) -> None:
        IndexedDocument.objects.filter(key__in=list(keys)).delete()
        forget_vocabulary(None)

    def reset(self) -> None:
        IndexedDocument.objects.all().delete()
        forget_vocabulary(None)

    def indexed_keys(self):
        return dict(IndexedDocument.objects.values_list("key", "updated"))

    # Reading ------------------------------------------------------------------------------

    def _filtered(self, query: SearchQuery, *, with_locale: bool = True):
        rows = IndexedDocument.objects.all()
        if with_locale and query.locale:
            rows = rows.filter(locale=query.locale)
        if query.kind:
            rows = rows.filter(kind=query.kind)
        if query.solved is not None:
            rows = rows.filter(solved=query.solved)
        if query.product:
            rows = rows.filter(products__contains=query.product)
        return rows

    def _candidates(self, terms: list[str], query: SearchQuery) -> list[dict]:
        """(row id, relevance, raw snippet) of matching rows, best first, per backend."""
        ids = self._filtered(query).values_list("id", flat=True)
        phrases = [query_terms(p) for p in query.synonyms]
        if connection.vendor == "sqlite":
            return self._sqlite_candidates(terms, phrases, ids)
        return self._postgres_candidates(terms, phrases, ids, query.locale)

    def _sqlite_candidates(self, terms: list[str], phrases: list[list[str]], ids) -> list[dict]:
        match = " OR ".join(
            [f'"{term}"*' for term in terms] + [f'"{" ".join(words)}"' for words in phrases]
        )
        id_sql, id_params = ids.query.sql_with_params()
        sql = (
            f"SELECT search_fts.rowid, -bm25(search_fts, {BM25_WEIGHTS}), "
            f"snippet(search_fts, -1, %s, %s, '…', 16) FROM search_fts "
            f"WHERE search_fts MATCH %s AND search_fts.rowid IN ({id_sql}) "
            f"ORDER BY bm25(search_fts, {BM25_WEIGHTS}) LIMIT {CANDIDATES}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [MARK_OPEN, MARK_CLOSE, match, *id_params])
            return [{"id": r[0], "relevance": r[1], "snippet": r[2]} for r in cursor.fetchall()]

    def _postgres_candidates(self, terms, phrases, ids, locale: str | None) -> list[dict]:
        from django.contrib.postgres.search import (
            SearchHeadline,
            SearchRank,
            SearchVector,
        )
        from django.contrib.postgres.search import (
            SearchQuery as PgQuery,
        )
        from django.db.models import TextField, Value
        from django.db.models.functions import Concat

        config = "english" if locale == "en" else "simple"  # PostgreSQL has no fa/hi/ka/tl
        vector = (
            SearchVector("title", weight="A", config=config)
            + SearchVector("answer", "summary", "tags", weight="B", config=config)
            + SearchVector("body", weight="C", config=config)
        )
        alternatives = [f"{term}:*" for term in terms]
        alternatives += [f"({' <-> '.join(words)})" for words in phrases if words]
        tsquery = PgQuery(" | ".join(alternatives), search_type="raw", config=config)
        rows = (
            IndexedDocument.objects.filter(id__in=ids)
            .annotate(relevance=SearchRank(vector, tsquery))
            .filter(relevance__gt=0)
            .annotate(
                raw_snippet=SearchHeadline(
                    Concat(
                        "title",
                        Value(". "),
                        "summary",
                        Value(". "),
                        "answer",
                        Value(". "),
                        "body",
                        output_field=TextField(),
                    ),
                    tsquery,
                    config=config,
                    start_sel=MARK_OPEN,
                    stop_sel=MARK_CLOSE,
                    max_words=30,
                    min_words=10,
                )
            )
            .order_by("-relevance")
            .values_list("id", "relevance", "raw_snippet")[:CANDIDATES]
        )
        return [{"id": i, "relevance": r, "snippet": s} for i, r, s in rows]

    def search(self, query: SearchQuery) -> SearchResults:
        terms = query_terms(query.text)
        if not terms:
            return SearchResults(query=query, total=0, hits=[], backend=self.name)
        found = self._candidates(terms, query)
        rows = IndexedDocument.objects.in_bulk([c["id"] for c in found])
        candidates = []
        for c in found:
            row = rows[c["id"]]
            candidates.append(
                {
                    **c,
                    "row": row,
                    "kind": row.kind,
                    "title": row.title,
                    "solved": row.solved,
                    "helpful": row.helpful,
                }
            )
        ranked = fuse(candidates, query.text)
        correction = "" if ranked else spelling_correction(terms, query.locale)
        start = (query.page - 1) * query.page_size
        hits = [self._hit(c) for c in ranked[start : start + query.page_size]]
        return SearchResults(
            query=query,
            total=len(ranked),
            hits=hits,
            facets=self._facets(terms, query, [c["row"] for c in ranked]),
            backend=self.name,
            did_you_mean=correction,
        )

    def _facets(self, terms, query: SearchQuery, rows) -> dict[str, dict[str, int]]:
        products = Counter(p for row in rows for p in row.products.splitlines() if p)
        facets = {
            "kind": dict(Counter(row.kind for row in rows)),
            "product": dict(products.most_common(20)),
            "solved": dict(Counter("yes" if row.solved else "no" for row in rows)),
        }
        everywhere = replace(query, locale=None)
        all_ids = [c["id"] for c in self._candidates(terms, everywhere)]
        facets["locale"] = dict(
            Counter(IndexedDocument.objects.filter(id__in=all_ids).values_list("locale", flat=True))
        )
        return facets

    @staticmethod
    def _hit(candidate: dict) -> Hit:
        row = candidate["row"]
        raw = candidate["snippet"] or row.summary[:200]
        return Hit(
            kind=row.kind,
            id=row.object_id,
            title=row.title,
            url=row.url,
            snippet=snippet_html(raw),
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


SearchBackend = DatabaseSearchBackend
