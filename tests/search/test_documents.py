"""Building search documents: what they hold, and a query count that does not grow with content."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from machina.apps.forum_conversation.models import Post

from forum.demo import topic_create
from forum.models import TopicMeToo, TopicSolution
from kb.models import ArticleFeedback
from search.documents import ARTICLE, THREAD, all_documents, document_for
from tests.factories import UserFactory
from tests.factories.kb import make_article

pytestmark = pytest.mark.django_db


def article(n: int, *, votes: tuple[bool, ...] = ()):
    page = make_article(f"Printer guide {n}", tags=[f"ink{n}", "paper"])
    for number, helpful in enumerate(votes):
        ArticleFeedback.objects.create(
            article=page, locale=page.locale, helpful=helpful, voter=f"s:{n}-{number}"
        )
    return page


def thread(forum, n: int, *, replies: int = 2, me_too: int = 1, solved: bool = True):
    topic = topic_create(
        forum=forum, poster=UserFactory(), subject=f"Router question {n}", content="It drops."
    )
    posts = [
        Post.objects.create(
            topic=topic,
            poster=UserFactory(),
            subject="Re",
            content=f"Reply {r} to {n}",
            approved=True,
        )
        for r in range(replies)
    ]
    Post.objects.create(
        topic=topic, poster=UserFactory(), subject="Re", content="Held back", approved=False
    )
    if solved and posts:
        TopicSolution.objects.create(topic=topic, post=posts[0])
    for _ in range(me_too):
        TopicMeToo.objects.create(topic=topic, user=UserFactory())
    return topic


def add_content(forum, first: int, count: int) -> None:
    for n in range(first, first + count):
        article(n, votes=(True, False, True))
        thread(forum, n)


def queries_to_build_all() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        documents = list(all_documents())
    return len(documents), len(captured.captured_queries)


def test_building_every_document_takes_the_same_queries_for_n_and_3n(help_center, forum):
    add_content(forum, 0, 2)
    list(all_documents())  # warm caches (site root paths, permissions) like a running site
    small_docs, small_queries = queries_to_build_all()
    add_content(forum, 2, 4)
    large_docs, large_queries = queries_to_build_all()
    assert (small_docs, large_docs) == (4, 12)
    assert large_queries == small_queries


def test_article_documents_carry_votes_tags_and_products(help_center):
    page = article(1, votes=(True, True, True, False))
    unrated = article(2)
    docs = {doc.object_id: doc for doc in all_documents()}
    assert docs[page.pk].helpful == 0.75
    assert docs[unrated.pk].helpful == 0.0
    assert sorted(docs[page.pk].tags) == ["ink1", "paper"]
    assert docs[page.pk].products == ["InkWell P200 Home Printer"]
    assert docs[page.pk].url == page.get_url()
    assert docs[page.pk] == document_for(ARTICLE, page.pk)


def test_thread_documents_carry_posts_answer_and_me_too(forum):
    topic = thread(forum, 1, replies=3, me_too=2)
    unsolved = thread(forum, 2, replies=0, me_too=0, solved=False)
    docs = {doc.object_id: doc for doc in all_documents()}
    doc = docs[topic.pk]
    assert doc.answer == "Reply 0 to 1"
    assert doc.body == "It drops. Reply 1 to 1 Reply 2 to 1"  # question first, answer apart
    assert "Held back" not in doc.body  # unapproved replies are not searchable
    assert (doc.reply_count, doc.helpful, doc.solved) == (3, 2.0, True)
    assert (docs[unsolved.pk].reply_count, docs[unsolved.pk].helpful) == (0, 0.0)
    assert docs[unsolved.pk].solved is False
    assert doc == document_for(THREAD, topic.pk)
