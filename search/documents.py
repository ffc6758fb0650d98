"""One document shape for everything the search box finds, built from each source.

Kitsune keeps a document class per source with ``prepare_<field>`` methods; here each source has
a builder function returning the same flat ``SearchDocument``, so every backend indexes one
shape and the unified result list can merge kinds.
"""

import html
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.html import strip_tags
from django.utils.translation import override
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Float,
    Integer,
    Keyword,
    Long,
    Object,
    Text,
    analyzer,
    token_filter,
)

ARTICLE, THREAD = "article", "thread"
KINDS = (ARTICLE, THREAD)
BATCH = 200


@dataclass
class SearchDocument:
    kind: str
    object_id: int
    locale: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    answer: str = ""  # a thread's accepted answer, weighted above the other replies
    products: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    solved: bool = False
    helpful: float = 0.0
    reply_count: int = 0
    updated: datetime | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"


def article_document(page) -> SearchDocument:
    """Expects a page from ``article_documents_queryset()``: its votes and tags are read there."""
    from kb.text import streamfield_text

    votes = page.feedback_votes or 0
    return SearchDocument(
        kind=ARTICLE,
        object_id=page.pk,
        locale=page.locale.language_code,
        title=page.title,
        url=page.get_url() or "",
        summary=page.summary,
        body=streamfield_text(page.body),
        products=[p.title for p in page.products.all()],
        # ``page.tags.all()`` would query again per page: the prefetched items carry the tags.
        tags=[item.tag.name for item in page.tagged_items.all()],
        solved=True,
        helpful=(page.feedback_helpful or 0) / votes if votes else 0.0,
        updated=page.last_published_at,
    )


def thread_document(topic) -> SearchDocument:
    """Expects a topic from ``thread_documents_queryset()``: posts and me-too count come with it."""
    from django.urls import reverse

    posts = topic.approved_posts
    solution = getattr(topic, "solution", None)
    answer_id = solution.post_id if solution else None
    question = post_text(posts[0]) if posts else ""
    replies = [post_text(p) for p in posts[1:] if p.pk != answer_id]
    answer = next((post_text(p) for p in posts if p.pk == answer_id), "")
    language = _thread_language(topic)
    with override(language):
        url = reverse(
            "forum_conversation:topic",
            args=[topic.forum.slug, topic.forum_id, topic.slug, topic.pk],
        )
    return SearchDocument(
        kind=THREAD,
        object_id=topic.pk,
        locale=language,
        title=topic.subject,
        url=url,
        summary=question[:300],
        body=" ".join([question, *replies]),
        answer=answer,
        products=[topic.forum.name],
        solved=solution is not None,
        helpful=float(topic.me_too_count or 0),
        reply_count=max(len(posts) - 1, 0),
        updated=topic.last_post_on or topic.updated,
    )


def post_text(post) -> str:
    """A post's words as plain text (markup removed, entities decoded; escaped when shown)."""
    return html.unescape(strip_tags(post.content.rendered))


def _thread_language(topic) -> str:
    """machina has no language field; ours is recorded when a topic is asked or imported."""
    from django.conf import settings

    record = getattr(topic, "language_record", None)
    return record.language if record else settings.LANGUAGE_CODE


def article_queryset():
    from kb.models import ArticlePage

    return (
        ArticlePage.objects.live()
        .public()
        .select_related("locale")
        .prefetch_related("products", "tagged_items__tag")
    )


def thread_queryset():
    """Approved topics in forums anonymous visitors may read: search is for the public site."""
    from django.contrib.auth.models import AnonymousUser
    from machina.apps.forum_conversation.models import Topic

    from forum.selectors import readable_forum_ids

    return Topic.approved_objects.filter(
        forum_id__in=readable_forum_ids(AnonymousUser())
    ).select_related("forum", "solution", "language_record")


def _count(queryset, **filters):
    """A correlated ``COUNT`` subquery: counted in the main query, not one query per row."""
    from django.db.models import Count, IntegerField, Subquery

    counted = queryset.filter(**filters).order_by().values(*filters).annotate(n=Count("pk"))
    return Subquery(counted.values("n"), output_field=IntegerField())


def article_documents_queryset():
    """Searchable articles with what their documents need, in a fixed number of queries."""
    from django.db.models import OuterRef

    from kb.models import ArticleFeedback

    return article_queryset().annotate(
        feedback_votes=_count(ArticleFeedback.objects.all(), article=OuterRef("pk")),
        feedback_helpful=_count(
            ArticleFeedback.objects.filter(helpful=True), article=OuterRef("pk")
        ),
    )


def thread_documents_queryset():
    """Searchable topics with approved posts and me-too count, in a fixed number of queries."""
    from django.db.models import OuterRef, Prefetch
    from machina.apps.forum_conversation.models import Post

    from forum.models import TopicMeToo

    posts = (
        Post.objects.filter(approved=True)
        .order_by("created", "pk")
        .only("pk", "topic_id", "created", "content", "_content_rendered")
    )
    return (
        thread_queryset()
        .annotate(me_too_count=_count(TopicMeToo.objects.all(), topic=OuterRef("pk")))
        .prefetch_related(Prefetch("posts", queryset=posts, to_attr="approved_posts"))
    )


def document_for(kind: str, object_id: int) -> SearchDocument | None:
    """The current document for one object, or None when it should not be searchable."""
    if kind == ARTICLE:
        obj = article_documents_queryset().filter(pk=object_id).first()
        return article_document(obj) if obj is not None else None
    obj = thread_documents_queryset().filter(pk=object_id).first()
    return thread_document(obj) if obj is not None else None


def all_documents() -> Iterator[SearchDocument]:
    """Every searchable document, streamed in batches (memory stays flat as content grows).

    ``iterator(chunk_size=…)`` runs the prefetches once per batch, so the number of queries
    grows with the number of batches, never with the number of documents.
    """
    from wagtail.models import Site

    site_root_paths = Site.get_site_root_paths()
    for obj in article_documents_queryset().order_by("pk").iterator(chunk_size=BATCH):
        # ``get_url()`` reads (and unpickles) the site root paths from the cache on every call
        # unless the page holds them: read once, this takes a tenth of the time per page.
        obj._wagtail_cached_site_root_paths = site_root_paths
        yield article_document(obj)
    for obj in thread_documents_queryset().order_by("pk").iterator(chunk_size=BATCH):
        yield thread_document(obj)


def count_sources() -> dict[str, int]:
    return {ARTICLE: article_queryset().count(), THREAD: thread_queryset().count()}


def source_versions() -> dict[str, datetime | None]:
    """Key → last change date of everything that should be searchable, read in two queries."""
    versions: dict[str, datetime | None] = {}
    for pk, published in article_queryset().values_list("pk", "last_published_at"):
        versions[f"{ARTICLE}:{pk}"] = published
    for pk, last_post, updated in thread_queryset().values_list("pk", "last_post_on", "updated"):
        versions[f"{THREAD}:{pk}"] = last_post or updated
    return versions


# The Elasticsearch mapping ------------------------------------------------------------------

# Built-in Elasticsearch analyzers per language; Georgian and Tagalog have none, so they get
# the standard analyzer (Unicode word breaks, lowercase).
LANGUAGE_ANALYZERS = {
    "en": "english",
    "fa": "persian",
    "hi": "hindi",
    "ka": "standard",
    "tl": "standard",
}
TEXT_FIELDS = ("title", "summary", "body", "answer")

_autocomplete = analyzer(
    "autocomplete",
    tokenizer="standard",
    filter=["lowercase", token_filter("autocomplete_edge", "edge_ngram", min_gram=1, max_gram=20)],
)
_autocomplete_search = analyzer("autocomplete_search", tokenizer="standard", filter=["lowercase"])


class UnifiedDocumentBase(Document):
    """Fields every document has. Text fields are added per language by ``unified_document``."""

    kind = Keyword()
    object_id = Long()
    locale = Keyword()
    display_title = Keyword(index=False)
    url = Keyword(index=False)
    products = Keyword()
    tags = Text(analyzer="standard", fields={"raw": Keyword()})
    solved = Boolean()
    helpful = Float()
    reply_count = Integer()
    updated = Date()
    autocomplete = Text(analyzer=_autocomplete, search_analyzer=_autocomplete_search)
    spelling = Text(analyzer="standard")  # titles and tags: the vocabulary "did you mean" uses


def unified_document(analyzers: dict[str, str] | None = None) -> type[Document]:
    """The index's Document class: ``title.<lang>``, ``body.<lang>``… each with its analyzer.

    One field per language (Kitsune's layout) lets a query name exactly the fields analysed
    for the reader's language, or all of them when searching every language.
    """
    chosen = {**LANGUAGE_ANALYZERS, **(analyzers or {})}

    def localized() -> Object:
        return Object(properties={code: Text(analyzer=name) for code, name in chosen.items()})

    return type("UnifiedDocument", (UnifiedDocumentBase,), {f: localized() for f in TEXT_FIELDS})


def elasticsearch_source(doc: SearchDocument) -> dict:
    """The indexed JSON for one document (plain dicts: the bulk path stays cheap)."""
    source = {name: {doc.locale: getattr(doc, name)} for name in TEXT_FIELDS}
    source.update(
        kind=doc.kind,
        object_id=doc.object_id,
        locale=doc.locale,
        display_title=doc.title,
        url=doc.url,
        products=doc.products,
        tags=doc.tags,
        solved=doc.solved,
        helpful=doc.helpful,
        reply_count=doc.reply_count,
        updated=doc.updated.isoformat() if doc.updated else None,
        autocomplete=doc.title,
        spelling=" ".join([doc.title, *doc.tags]),
    )
    return source
