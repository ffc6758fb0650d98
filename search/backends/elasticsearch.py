"""Search on an Elasticsearch 8 cluster through the official client and ``elasticsearch.dsl``.

The index is versioned (``<prefix>-unified-<stamp>``) behind the alias ``<prefix>-unified``;
a rebuild fills a new index and swaps the alias in one atomic call, so readers never see an
empty or half-built index. Queries are built as plain ``match``/``multi_match`` clauses from
extracted words: user text never reaches a query-string parser.
"""

import logging
import queue
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import islice

from django.utils import timezone
from elasticsearch import Elasticsearch
from elasticsearch.dsl import Index
from elasticsearch.exceptions import ApiError, NotFoundError, TransportError
from elasticsearch.helpers import BULK_FLUSH, BulkIndexError, bulk, scan, streaming_bulk

from search.documents import (
    KINDS,
    LANGUAGE_ANALYZERS,
    SearchDocument,
    elasticsearch_source,
    unified_document,
)
from search.ranking import MARK_CLOSE, MARK_OPEN, fuse, match_terms, query_terms, snippet_html

from .base import BaseSearchBackend, Health, Hit, SearchQuery, SearchResults

logger = logging.getLogger(__name__)

MAX_CANDIDATES = 500  # per kind; deeper pages are answered empty (the total stays right)
CHUNK = 500
FACET_SIZE = 20  # products listed in the facet
PRODUCT_BUCKETS = 100  # per kind, so the merged top FACET_SIZE counts are exact
SENDERS = 2  # bulk requests in flight during a rebuild, while the next chunk is built
DEPTH = 2  # built chunks waiting for a sender
HANDOVER_POLL = 0.1  # seconds; how often a waiting side checks whether the other one stopped
FIELD_WEIGHTS = {"title": 4, "answer": 2, "summary": 2, "body": 1}
SOURCE_FIELDS = [
    "kind",
    "object_id",
    "locale",
    "display_title",
    "url",
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
        """Fill a new index with streamed bulk requests, then swap the alias to it.

        Documents are built in this thread (database access stays on the caller's connection)
        while sender threads post earlier chunks, so reading the database and waiting for the
        cluster overlap instead of taking turns; see ``BulkPipeline``.
        """
        name = self.create_index()
        actions = (
            {"_index": name, "_id": doc.key, "_source": elasticsearch_source(doc)}
            for doc in documents
        )
        try:
            written = BulkPipeline(self.writer).run(actions, on_progress)
            self.writer.indices.refresh(index=name)
        except BaseException:
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

    def _text_clause(
        self, query: SearchQuery, terms: list[str], locales: list[str] | None = None
    ) -> dict:
        """Fuzzy word matches, with exact words and whole phrases in titles scoring higher."""
        locales = locales or self._locales(query)
        fields = [f"{name}.{code}^{w}" for name, w in FIELD_WEIGHTS.items() for code in locales]
        fields.append("tags^2")
        titles = [f"title.{code}" for code in locales]
        text = " ".join(terms)
        # Common words would match nearly every document (languages analysed with ``standard``
        # keep them); the title phrase still uses the whole query.
        worth = " ".join(match_terms(terms))

        def words(phrase: str, **extra) -> dict:
            return {"multi_match": {"query": phrase, "fields": fields, **extra}}

        should = [
            words(worth, type="most_fields", fuzziness="AUTO", prefix_length=1, max_expansions=20),
            words(worth, type="most_fields", boost=2),
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
        """One ``msearch`` (a body per kind, one for other languages), then page snippets.

        Facets cost the cluster more than ranking, per matching document and per aggregation,
        so each count comes from where it is cheapest: kinds and the total from each kind's
        hit count, products and solved from aggregations inside the kind searches, the
        language facet from a search of the *other* languages only. Highlighting runs
        afterwards for the hits fusion put on the page, not for every candidate.
        """
        terms = query_terms(query.text)
        if not terms:
            return SearchResults(query=query, total=0, hits=[], backend=self.name)
        text_clause = self._text_clause(query, terms)
        needed = min(query.page * query.page_size, MAX_CANDIDATES)
        kinds = [query.kind] if query.kind else list(KINDS)
        bodies = [self._kind_body(query, text_clause, kind, needed) for kind in kinds]
        bodies.append(self._languages_body(query, terms))
        searches = []
        for body in bodies:
            searches += [{"index": self.index_alias, "ignore_unavailable": True}, body]
        responses = self.client.msearch(searches=searches)["responses"]
        for response in responses:
            if "error" in response:
                raise SearchRequestError(str(response["error"])[:2000])
        by_kind, languages = responses[:-1], responses[-1]
        candidates = [_candidate(hit) for r in by_kind for hit in r["hits"]["hits"]]
        ranked = fuse(candidates, query.text)
        start = (query.page - 1) * query.page_size
        shown = ranked[start : start + query.page_size]
        snippets = self._snippets(query, text_clause, [c["key"] for c in shown])
        facets = _facets(query, dict(zip(kinds, by_kind, strict=True)), languages)
        return SearchResults(
            query=query,
            total=sum(facets["kind"].values()),
            hits=[_hit(c, snippets.get(c["key"], "")) for c in shown],
            facets=facets,
            backend=self.name,
            did_you_mean=_correction(languages, " ".join(terms)),
        )

    def _kind_body(self, query: SearchQuery, text_clause: dict, kind: str, size: int) -> dict:
        """The best ``size`` matches of one kind (ranked apart, then fused), with its counts."""
        return {
            "query": {
                "bool": {
                    "must": [text_clause],
                    "filter": [*self._filters(query), {"term": {"kind": kind}}],
                }
            },
            "size": size,
            "_source": SOURCE_FIELDS,
            "track_total_hits": True,
            "aggs": {
                "product": {"terms": {"field": "products", "size": PRODUCT_BUCKETS}},
                "solved": {"filter": {"term": {"solved": True}}},
            },
        }

    def _languages_body(self, query: SearchQuery, terms: list[str]) -> dict:
        """Matches in the other languages under the same filters, and the spelling suggestion.

        The reader's own language is left out (its count is the kind searches' total), so this
        query names only the other languages' fields and the aggregation reads few documents.
        """
        others = [code for code in self.analyzers if code != query.locale]
        other_languages = self._text_clause(query, terms, others)
        own = [{"term": {"locale": query.locale}}] if query.locale else []
        return {
            "size": 0,
            "track_total_hits": False,
            "query": {
                "bool": {
                    "must": [other_languages],
                    "filter": self._filters(query, with_locale=False),
                    "must_not": own,
                }
            },
            "aggs": {"locale": {"terms": {"field": "locale", "size": 20}}},
            "suggest": {
                "spelling": {
                    "text": " ".join(terms),
                    "term": {"field": "spelling", "suggest_mode": "missing", "size": 1},
                }
            },
        }

    def _snippets(self, query: SearchQuery, text_clause: dict, keys: list[str]) -> dict[str, str]:
        """Key → highlighted fragment (or the start of the summary) for the hits shown."""
        if not keys:
            return {}
        response = self.client.search(
            index=self.index_alias,
            query={"ids": {"values": keys}},
            size=len(keys),
            source=["summary"],
            highlight={**self._highlight(query), "highlight_query": text_clause},
            track_total_hits=False,
            ignore_unavailable=True,
        )
        snippets = {}
        for hit in response["hits"]["hits"]:
            fragments = hit.get("highlight", {})
            snippet = next((frags[0] for frags in fragments.values() if frags), "")
            if not snippet:
                summary = hit.get("_source", {}).get("summary", {})
                snippet = next(iter(summary.values()), "")[:200]
            snippets[hit["_id"]] = snippet
        return snippets

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


class _Cancelled(Exception):
    """Another side of a bulk pipeline failed: this sender stops without sending the rest."""


class BulkPipeline:
    """Bulk actions grouped into chunks by the calling thread and sent by ``senders`` threads.

    Each sender runs ``streaming_bulk`` (429 retries with backoff, as a plain bulk would) over
    the chunks it takes from a queue of at most ``depth``: the caller keeps building while
    requests are in flight, and memory holds a bounded number of chunks however many documents
    there are. The first failure on either side stops both and is raised in the caller.
    """

    def __init__(self, client: Elasticsearch, *, senders: int = SENDERS, depth: int = DEPTH):
        self.client = client
        self.senders = senders
        self.chunks: queue.Queue[list[dict] | None] = queue.Queue(maxsize=depth)
        self.stop = threading.Event()
        self.failures: list[BaseException] = []
        self.acknowledged = [0] * senders  # one slot per sender: no shared counter to lock
        self.reported = 0

    def run(self, actions: Iterable[dict], on_progress: Callable[[int], None] | None) -> int:
        threads = [
            threading.Thread(target=self._send, args=(n,), name=f"bulk sender {n}", daemon=True)
            for n in range(self.senders)
        ]
        for thread in threads:
            thread.start()
        iterator = iter(actions)
        try:
            while not self.stop.is_set() and (chunk := list(islice(iterator, CHUNK))):
                self._hand_over(chunk, on_progress)
            for _ in threads:
                self._hand_over(None, on_progress)  # one end marker per sender
        except BaseException:
            self.stop.set()
            raise
        finally:
            for thread in threads:
                thread.join()
        self._report(on_progress)
        failures = [f for f in self.failures if not isinstance(f, _Cancelled)]
        if failures:
            raise failures[0]
        return sum(self.acknowledged)

    def _hand_over(self, chunk: list[dict] | None, on_progress) -> None:
        """Queue ``chunk`` once there is room, reporting progress while waiting."""
        while not self.stop.is_set():
            try:
                self.chunks.put(chunk, timeout=HANDOVER_POLL)
                break
            except queue.Full:
                pass
            finally:
                self._report(on_progress)

    def _report(self, on_progress) -> None:
        done = sum(self.acknowledged)
        if on_progress and done > self.reported:
            on_progress(done - self.reported)
        self.reported = done

    def _queued_actions(self) -> Iterator:
        while not self.stop.is_set():
            try:
                chunk = self.chunks.get(timeout=HANDOVER_POLL)
            except queue.Empty:
                continue
            if chunk is None:
                return
            yield from chunk
            yield BULK_FLUSH  # send it now, not when the next chunk's first action arrives
        raise _Cancelled

    def _send(self, number: int) -> None:
        try:
            for ok, item in streaming_bulk(
                self.client,
                self._queued_actions(),
                chunk_size=CHUNK,
                max_retries=5,
                initial_backoff=1,
                raise_on_error=False,
            ):
                if not ok:
                    raise IndexWriteError(f"Refused while rebuilding: {item}")
                self.acknowledged[number] += 1
        except BaseException as exc:  # raised in the calling thread by ``run``
            self.failures.append(exc)
            self.stop.set()


def _parse_date(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _candidate(hit: dict) -> dict:
    source = hit["_source"]
    return {
        "key": hit["_id"],
        "kind": source["kind"],
        "relevance": hit["_score"] or 0.0,
        "title": source["display_title"],
        "solved": source["solved"],
        "helpful": source.get("helpful") or 0.0,
        "source": source,
    }


def _hit(candidate: dict, snippet: str) -> Hit:
    source = candidate["source"]
    return Hit(
        kind=source["kind"],
        id=source["object_id"],
        title=source["display_title"],
        url=source["url"],
        snippet=snippet_html(snippet),
        score=candidate["score"],
        locale=source["locale"],
        product=(source.get("products") or [""])[0],
        solved=source["solved"],
        updated=_parse_date(source.get("updated")),
    )


def _largest_first(counts: dict[str, int], limit: int | None = None) -> dict[str, int]:
    """Non-empty counts ordered as a ``terms`` aggregation orders its buckets."""
    found = sorted(((k, n) for k, n in counts.items() if n), key=lambda kn: (-kn[1], kn[0]))
    return dict(found[:limit])


def _facets(query: SearchQuery, by_kind: dict[str, dict], languages: dict) -> dict:
    """Facet counts from the kind searches (this language) and the other-languages search."""
    kinds = {kind: r["hits"]["total"]["value"] for kind, r in by_kind.items()}
    solved = sum(
        r.get("aggregations", {}).get("solved", {}).get("doc_count", 0)  # none without an index
        for r in by_kind.values()
    )
    products: dict[str, int] = {}
    for response in by_kind.values():
        for bucket in response.get("aggregations", {}).get("product", {}).get("buckets", []):
            products[str(bucket["key"])] = products.get(str(bucket["key"]), 0) + bucket["doc_count"]
    locales = {
        str(b["key"]): b["doc_count"]
        for b in languages.get("aggregations", {}).get("locale", {}).get("buckets", [])
    }
    if query.locale:
        locales[query.locale] = sum(kinds.values())
    total = sum(kinds.values())
    return {
        "kind": _largest_first(kinds),
        "product": _largest_first(products, FACET_SIZE),
        "solved": _largest_first({"yes": solved, "no": total - solved}),
        "locale": _largest_first(locales),
    }


def _correction(response: dict, text: str) -> str:
    """The query with each word the index does not know replaced by the closest one it does."""
    words = []
    for entry in response.get("suggest", {}).get("spelling", []):
        options = entry.get("options") or []
        words.append(options[0]["text"] if options else entry["text"])
    correction = " ".join(words)
    return correction if correction and correction != text else ""


SearchBackend = ElasticsearchSearchBackend
