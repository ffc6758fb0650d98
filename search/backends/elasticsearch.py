"""Search on an Elasticsearch 8 cluster through the official client and ``elasticsearch.dsl``.

The index is versioned (``<prefix>-unified-<stamp>``) behind the alias ``<prefix>-unified``;
a rebuild fills a new index and swaps the alias in one atomic call, so readers never see an
empty or half-built index. Queries are built as plain ``match``/``multi_match`` clauses from
extracted words: user text never reaches a query-string parser.
"""

import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime

from django.utils import timezone
from elasticsearch import Elasticsearch
from elasticsearch.dsl import Index
from elasticsearch.exceptions import ApiError, NotFoundError, TransportError
from elasticsearch.helpers import BulkIndexError, bulk, scan, streaming_bulk

from search.documents import (
    KINDS,
    LANGUAGE_ANALYZERS,
    SearchDocument,
    elasticsearch_source,
    unified_document,
)
from search.ranking import MARK_CLOSE, MARK_OPEN, fuse, query_terms, snippet_html

from .base import BaseSearchBackend, Health, Hit, SearchQuery, SearchResults

logger = logging.getLogger(__name__)

MAX_CANDIDATES = 500  # per kind; deeper pages are answered empty (the total stays right)
CHUNK = 500
FIELD_WEIGHTS = {"title": 4, "answer": 2, "summary": 2, "body": 1}
SOURCE_FIELDS = [
    "kind",
    "object_id",
    "locale",
    "display_title",
    "url",
    "summary",
    "products",
    "solved",
    "helpful",
    "updated",
]


class SearchRequestError(RuntimeError):
    """The cluster refused a search (the service answers from the database instead)."""


class IndexWriteError(RuntimeError):
    """Some documents were refused; the caller keeps them as pending and retries."""


class ElasticsearchSearchBackend(BaseSearchBackend):
    """The scale-out backend; user-facing calls use a short timeout so an outage degrades fast."""

    name = "elasticsearch"

    def __init__(
        self,
        *,
        alias: str = "default",
        url: str,
        index_prefix: str = "helpdesk",
        timeout: float = 0.5,
        index_timeout: float = 30.0,
        refresh: str | bool = "wait_for",
        analyzers: dict[str, str] | None = None,
        client_options: dict | None = None,
    ):
        super().__init__(alias=alias)
        self.url = url
        self.index_alias = f"{index_prefix}-unified"
        self.timeout = timeout
        self.refresh = refresh
        self.analyzers = {**LANGUAGE_ANALYZERS, **(analyzers or {})}
        self.document_class = unified_document(self.analyzers)
        self.client = Elasticsearch(
            url, request_timeout=timeout, max_retries=0, **(client_options or {})
        )
        self.writer = self.client.options(request_timeout=index_timeout)
        self._index_ready = False

    # Index lifecycle ------------------------------------------------------------------------

    def health(self) -> Health:
        try:
            self.client.options(request_timeout=self.timeout).info()
        except (TransportError, ApiError) as exc:
            logger.warning("Elasticsearch at %s is unreachable: %s", self.url, exc)
            return Health(ok=False, detail=str(exc))
        return Health(ok=True)

    def create_index(self) -> str:
        """A new, empty, versioned index with the current mapping; not yet behind the alias."""
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        name = f"{self.index_alias}-{stamp}-{uuid.uuid4().hex[:6]}"
        index = Index(name)
        index.settings(number_of_shards=1, number_of_replicas=0)
        index.document(self.document_class)
        index.create(using=self.writer)
        return name

    def current_indices(self) -> list[str]:
        try:
            return sorted(self.writer.indices.get_alias(name=self.index_alias).body)
        except NotFoundError:
            return []

    def point_alias_at(self, name: str) -> None:
        """Move the alias to ``name`` in one call, then drop the indices it left."""
        old = [i for i in self.current_indices() if i != name]
        actions = [{"remove": {"index": i, "alias": self.index_alias}} for i in old]
        actions.append({"add": {"index": name, "alias": self.index_alias}})
        self.writer.indices.update_aliases(actions=actions)
        for index in old:
            self.writer.indices.delete(index=index, ignore_unavailable=True)
        self._index_ready = True

    def ensure_index(self) -> None:
        """Create the first index on first write (a fresh or wiped cluster)."""
        if self._index_ready:
            return
        if not self.current_indices():
            self.point_alias_at(self.create_index())
            logger.info("Created search index behind alias %s", self.index_alias)
        self._index_ready = True

    def reset(self) -> None:
        self.point_alias_at(self.create_index())

    def rebuild(
        self,
        documents: Iterable[SearchDocument],
        on_progress: Callable[[int], None] | None = None,
    ) -> int:
        """Fill a new index with streamed bulk requests, then swap the alias to it."""
        name = self.create_index()
        actions = (
            {"_index": name, "_id": doc.key, "_source": elasticsearch_source(doc)}
            for doc in documents
        )
        written = 0
        try:
            for ok, item in streaming_bulk(
                self.writer,
                actions,
                chunk_size=CHUNK,
                max_retries=5,
                initial_backoff=1,
                raise_on_error=False,
            ):
                if not ok:
                    raise IndexWriteError(f"Refused while rebuilding: {item}")
                written += 1
                if on_progress:
                    on_progress(1)
            self.writer.indices.refresh(index=name)
        except Exception:
            self.writer.indices.delete(index=name, ignore_unavailable=True)
            raise
        self.point_alias_at(name)
        return written

    # Writing --------------------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> int:
        self.ensure_index()
        actions = [
            {"_index": self.index_alias, "_id": doc.key, "_source": elasticsearch_source(doc)}
            for doc in documents
        ]
        try:
            # require_alias: never let a write auto-create an unmapped index named like the alias
            written, _ = bulk(self.writer, actions, refresh=self.refresh, require_alias=True)
        except BulkIndexError as exc:
            self._index_ready = False  # e.g. a wiped cluster: re-check the alias next time
            refused = f"{len(exc.errors)} document(s) refused: {exc.errors[:3]}"
            raise IndexWriteError(refused) from exc
        except (TransportError, ApiError):
            self._index_ready = False
            raise
        return written

    def delete(self, keys: Iterable[str]) -> None:
        self.ensure_index()
        actions = [{"_op_type": "delete", "_index": self.index_alias, "_id": k} for k in keys]
        try:
            _, errors = bulk(self.writer, actions, refresh=self.refresh, raise_on_error=False)
        except (TransportError, ApiError):
            self._index_ready = False
            raise
        refused = [e for e in errors if e.get("delete", {}).get("status") != 404]
        if refused:
            raise IndexWriteError(f"{len(refused)} deletion(s) refused: {refused[:3]}")

    def indexed_keys(self) -> dict[str, datetime | None]:
        if not self.current_indices():
            return {}
        return {
            hit["_id"]: _parse_date(hit["_source"].get("updated"))
            for hit in scan(self.writer, index=self.index_alias, _source=["updated"])
        }

    # Reading --------------------------------------------------------------------------------

    def _locales(self, query: SearchQuery) -> list[str]:
        return [query.locale] if query.locale in self.analyzers else list(self.analyzers)

    def _text_clause(self, query: SearchQuery, terms: list[str]) -> dict:
        """Fuzzy word matches, with exact words and whole phrases in titles scoring higher."""
        locales = self._locales(query)
        fields = [f"{name}.{code}^{w}" for name, w in FIELD_WEIGHTS.items() for code in locales]
        fields.append("tags^2")
        titles = [f"title.{code}" for code in locales]
        text = " ".join(terms)

        def words(phrase: str, **extra) -> dict:
            return {"multi_match": {"query": phrase, "fields": fields, **extra}}

        should = [
            words(text, type="most_fields", fuzziness="AUTO", prefix_length=1, max_expansions=20),
            words(text, type="most_fields", boost=2),
            {"multi_match": {"query": text, "type": "phrase", "fields": titles, "boost": 6}},
            *(words(phrase, type="phrase", boost=0.8) for phrase in query.synonyms),
        ]
        return {"bool": {"should": should, "minimum_should_match": 1}}

    @staticmethod
    def _filters(query: SearchQuery, *, with_locale: bool = True) -> list[dict]:
        filters = []
        if with_locale and query.locale:
            filters.append({"term": {"locale": query.locale}})
        if query.kind:
            filters.append({"term": {"kind": query.kind}})
        if query.product:
            filters.append({"term": {"products": query.product}})
        if query.solved is not None:
            filters.append({"term": {"solved": query.solved}})
        return filters

    def _highlight(self, query: SearchQuery) -> dict:
        fields = {
            f"{name}.{code}": {}
            for name in ("answer", "summary", "body", "title")
            for code in self._locales(query)
        }
        return {
            "fields": fields,
            "pre_tags": [MARK_OPEN],
            "post_tags": [MARK_CLOSE],
            "fragment_size": 160,
            "number_of_fragments": 1,
            "encoder": "default",
        }

    def search(self, query: SearchQuery) -> SearchResults:
        terms = query_terms(query.text)
        if not terms:
            return SearchResults(query=query, total=0, hits=[], backend=self.name)
        text_clause = self._text_clause(query, terms)
        needed = min(query.page * query.page_size, MAX_CANDIDATES)
        kinds = [query.kind] if query.kind else list(KINDS)
        searches: list[dict] = []
        for kind in kinds:
            filters = [*self._filters(query), {"term": {"kind": kind}}]
            searches += [
                {"index": self.index_alias, "ignore_unavailable": True},
                {
                    "query": {"bool": {"must": [text_clause], "filter": filters}},
                    "size": needed,
                    "_source": SOURCE_FIELDS,
                    "highlight": self._highlight(query),
                },
            ]
        searches += [
            {"index": self.index_alias, "ignore_unavailable": True},
            self._facet_body(query, text_clause, terms),
        ]
        responses = self.client.msearch(searches=searches)["responses"]
        for response in responses:
            if "error" in response:
                raise SearchRequestError(str(response["error"])[:2000])
        candidates = [
            _candidate(hit) for response in responses[:-1] for hit in response["hits"]["hits"]
        ]
        ranked = fuse(candidates, query.text)
        start = (query.page - 1) * query.page_size
        facets, total, correction = _read_facets(responses[-1], " ".join(terms))
        return SearchResults(
            query=query,
            total=total,
            hits=[_hit(c) for c in ranked[start : start + query.page_size]],
            facets=facets,
            backend=self.name,
            did_you_mean=correction,
        )

    def _facet_body(self, query: SearchQuery, text_clause: dict, terms: list[str]) -> dict:
        here = {"term": {"locale": query.locale}} if query.locale else {"match_all": {}}
        return {
            "size": 0,
            "query": {
                "bool": {"must": [text_clause], "filter": self._filters(query, with_locale=False)}
            },
            "aggs": {
                "locale": {"terms": {"field": "locale", "size": 20}},
                "here": {
                    "filter": here,
                    "aggs": {
                        "kind": {"terms": {"field": "kind", "size": 5}},
                        "product": {"terms": {"field": "products", "size": 20}},
                        "solved": {"terms": {"field": "solved", "size": 2}},
                    },
                },
            },
            "suggest": {
                "spelling": {
                    "text": " ".join(terms),
                    "term": {"field": "spelling", "suggest_mode": "missing", "size": 1},
                }
            },
        }

    def suggest(self, text: str, *, locale: str | None = None, limit: int = 10) -> list[str]:
        terms = query_terms(text)
        if not terms:
            return []
        filters = [{"term": {"locale": locale}}] if locale else []
        response = self.client.search(
            index=self.index_alias,
            query={
                "bool": {
                    "must": [
                        {"match": {"autocomplete": {"query": " ".join(terms), "operator": "and"}}}
                    ],
                    "filter": filters,
                }
            },
            size=limit * 2,
            source=["display_title"],
            ignore_unavailable=True,
        )
        titles = [hit["_source"]["display_title"] for hit in response["hits"]["hits"]]
        return list(dict.fromkeys(titles))[:limit]


def _parse_date(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _candidate(hit: dict) -> dict:
    source = hit["_source"]
    fragments = hit.get("highlight", {})
    snippet = next((frags[0] for frags in fragments.values() if frags), "")
    if not snippet:
        snippet = next(iter(source.get("summary", {}).values()), "")[:200]
    return {
        "kind": source["kind"],
        "relevance": hit["_score"] or 0.0,
        "title": source["display_title"],
        "solved": source["solved"],
        "helpful": source.get("helpful") or 0.0,
        "source": source,
        "snippet": snippet,
    }


def _hit(candidate: dict) -> Hit:
    source = candidate["source"]
    return Hit(
        kind=source["kind"],
        id=source["object_id"],
        title=source["display_title"],
        url=source["url"],
        snippet=snippet_html(candidate["snippet"]),
        score=candidate["score"],
        locale=source["locale"],
        product=(source.get("products") or [""])[0],
        solved=source["solved"],
        updated=_parse_date(source.get("updated")),
    )


def _read_facets(response: dict, text: str) -> tuple[dict, int, str]:
    if "aggregations" not in response:  # no index yet
        return {}, 0, ""
    aggs = response["aggregations"]
    here = aggs["here"]

    def buckets(agg: dict) -> dict[str, int]:
        return {str(b["key"]): b["doc_count"] for b in agg["buckets"]}

    solved = {
        ("yes" if b.get("key_as_string", str(b["key"])) in ("true", "1") else "no"): b["doc_count"]
        for b in here["solved"]["buckets"]
    }
    facets = {
        "kind": buckets(here["kind"]),
        "product": buckets(here["product"]),
        "solved": solved,
        "locale": buckets(aggs["locale"]),
    }
    words = []
    for entry in response.get("suggest", {}).get("spelling", []):
        options = entry.get("options") or []
        words.append(options[0]["text"] if options else entry["text"])
    correction = " ".join(words)
    return facets, here["doc_count"], correction if correction and correction != text else ""


SearchBackend = ElasticsearchSearchBackend
