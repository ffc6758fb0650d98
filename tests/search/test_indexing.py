"""Content events reach the index through tasks queued after commit; the ranking mixes kinds."""

import pytest
from django.core.management import call_command
from machina.apps.forum_conversation.models import Post

from forum.demo import topic_create
from forum.models import TopicSolution
from search.backends import get_search_backend
from search.backends.base import SearchQuery
from tests.factories import UserFactory
from tests.factories.kb import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_backend")]


def titles(text, **filters):
    results = get_search_backend().search(SearchQuery(text=text, locale="en", **filters))
    return [hit.title for hit in results.hits]


def test_publishing_and_unpublishing_articles(help_center, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("Replace the ink cartridge", body="## Steps\n\n1. Open it.\n")
    assert titles("cartridge") == ["Replace the ink cartridge"]
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert titles("cartridge") == []


def test_threads_follow_posts_solutions_and_deletion(forum, django_capture_on_commit_callbacks):
    asker = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        topic = topic_create(
            forum=forum,
            poster=asker,
            subject="Router reboots at night",
            content="Every night at 3am.",
        )
    assert titles("router") == ["Router reboots at night"]
    with django_capture_on_commit_callbacks(execute=True):
        reply = Post.objects.create(
            topic=topic,
            poster=UserFactory(),
            subject="Re",
            content="Disable the scheduled firmware check.",
            approved=True,
        )
    assert titles("firmware") == ["Router reboots at night"]
    assert titles("router", solved=True) == []
    with django_capture_on_commit_callbacks(execute=True):
        TopicSolution.objects.create(topic=topic, post=reply, marked_by=asker)
    assert titles("router", solved=True) == ["Router reboots at night"]
    with django_capture_on_commit_callbacks(execute=True):
        topic.delete()
    assert titles("router") == []


def test_languages_are_kept_apart(help_center, django_capture_on_commit_callbacks):
    from kb.importing import ImportContext, import_article

    with django_capture_on_commit_callbacks(execute=True):
        make_article("Router setup", external_id="router-setup", product="SkyLink")
        import_article(
            {
                "type": "article",
                "locale": "fa",
                "translation_of": "router-setup",
                "external_id": "fa-router",
                "article_type": "guide",
                "title": "راه‌اندازی روتر",
                "summary": "روتر",
                "body_markdown": "## شروع\n\nروتر را روشن کنید.",
            },
            ImportContext(),
        )
    assert titles("router") == ["Router setup"]
    persian = get_search_backend().search(SearchQuery(text="روتر", locale="fa"))
    assert [h.title for h in persian.hits] == ["راه‌اندازی روتر"]
    everywhere = get_search_backend().search(SearchQuery(text="router روتر", locale=None))
    assert everywhere.facets["locale"] == {"en": 1, "fa": 1}


def test_articles_and_threads_interleave(help_center, forum, django_capture_on_commit_callbacks):
    long_body = "## Jam\n\n" + ("paper jam paper jam rollers sensor " * 200)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            make_article(f"Paper jam guide {n}", body=long_body)
        for n in range(3):
            topic_create(
                forum=forum,
                poster=UserFactory(),
                subject=f"Paper jam question {n}",
                content="paper jam",
            )
    kinds = [
        h.kind for h in get_search_backend().search(SearchQuery(text="paper jam", locale="en")).hits
    ]
    assert kinds[:4].count("article") == 2 and kinds[:4].count("thread") == 2


def test_pagination_and_facets(help_center, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            make_article(f"Printer tip {n}", product="InkWell" if n % 2 else "SkyLink")
    backend = get_search_backend()
    first = backend.search(SearchQuery(text="printer", locale="en", page=1, page_size=2))
    third = backend.search(SearchQuery(text="printer", locale="en", page=3, page_size=2))
    assert first.total == 5 and len(first.hits) == 2 and len(third.hits) == 1
    assert first.facets["product"] == {"SkyLink": 3, "InkWell": 2}
    assert sorted(titles("printer", product="InkWell")) == ["Printer tip 1", "Printer tip 3"]


def test_reindex_command_rebuilds_from_the_database(help_center):
    make_article("Offline printer", body="## A\n\nText\n")
    assert titles("offline") == []  # nothing was queued outside a commit
    call_command("search_reindex", "--no-progress")
    assert titles("offline") == ["Offline printer"]
