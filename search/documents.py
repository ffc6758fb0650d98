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
    from kb.selectors import article_satisfaction
    from kb.text import streamfield_text

    satisfaction = article_satisfaction(article=page)
    return SearchDocument(
        kind=ARTICLE,
        object_id=page.pk,
        locale=page.locale.language_code,
        title=page.title,
        url=page.get_url() or "",
        summary=page.summary,
        body=streamfield_text(page.body),
        products=[p.title for p in page.products.all()],
        tags=[t.name for t in page.tags.all()],
        solved=True,
        helpful=satisfaction["ratio"] or 0.0,
        updated=page.last_published_at,
    )


def thread_document(topic) -> SearchDocument:
    from django.urls import reverse

    posts = list(topic.posts.filter(approved=True).order_by("created"))
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
        helpful=float(topic.me_too.count()),
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


def document_for(kind: str, object_id: int) -> SearchDocument | None:
    """The current document for one object, or None when it should not be searchable."""
    queryset = article_queryset() if kind == ARTICLE else thread_queryset()
    obj = queryset.filter(pk=object_id).first()
    if obj is None:
        return None
    return article_document(obj) if kind == ARTICLE else thread_document(obj)


def all_documents() -> Iterator[SearchDocument]:
    """Every searchable document, streamed in batches (memory stays flat as content grows)."""
    for obj in article_queryset().order_by("pk").iterator(chunk_size=BATCH):
        yield article_document(obj)
    for obj in thread_queryset().order_by("pk").iterator(chunk_size=BATCH):
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
