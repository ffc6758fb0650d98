"""The bench builder writes the same Whoosh index as haystack's ``update_index``.

``bench.run`` times machina's forum index with ``bench.indexing.build_machina_index`` instead of
haystack's ``update_index`` (35 minutes at 10 000 documents); the latency baseline is only fair
if both give machina's search the same index, so both are built here over one small forum and
compared document by document and query by query.
"""

import pytest
from django.core.management import call_command
from haystack import connections
from haystack.management.commands.update_index import Command as HaystackUpdateIndex
from machina.apps.forum_conversation.models import Post

from bench.corpus import CorpusGenerator, bulk_load
from bench.indexing import build_machina_index, measure_machina_index

pytestmark = pytest.mark.django_db

QUERIES = ["printer", "paper jam", "firmware update", "E-03", "bluetooth", "روتر", "reset"]


@pytest.fixture
def small_forum():
    """~40 threads from the benchmark's corpus generator, plus one unapproved post."""
    generator = CorpusGenerator(60, seed=7)
    threads = [line for line in generator.documents() if line["type"] == "thread"]
    bulk_load(threads)
    post = Post.objects.order_by("pk").last()
    Post.objects.filter(pk=post.pk).update(approved=False)
    return Post.objects.filter(approved=True).count()


@pytest.fixture
def whoosh_at(monkeypatch):
    """Point haystack's default connection at a Whoosh folder (the site uses SimpleEngine)."""

    def point(path):
        monkeypatch.setitem(
            connections.connections_info,
            "default",
            {"ENGINE": "haystack.backends.whoosh_backend.WhooshEngine", "PATH": str(path)},
        )
        return connections.reload("default").get_backend()

    yield point
    monkeypatch.undo()
    connections.reload("default")


def stored(backend) -> list[dict]:
    with backend.index.refresh().searcher() as searcher:
        return sorted((dict(fields) for fields in searcher.all_stored_fields()), key=str)


def hits(backend, query: str) -> list[tuple[str, float]]:
    """Every hit with its score; sorted, since posts of equal score may come in segment order."""
    found = backend.search(query)
    return sorted((result.pk, round(result.score, 6)) for result in found["results"])


@pytest.mark.parametrize("procs", [1, 2])
def test_builder_matches_haystack_update_index(small_forum, whoosh_at, tmp_path, procs):
    haystack_backend = whoosh_at(tmp_path / "haystack")
    call_command(HaystackUpdateIndex(), verbosity=0)
    expected = stored(haystack_backend)
    expected_hits = {query: hits(haystack_backend, query) for query in QUERIES}

    builder_backend = whoosh_at(tmp_path / "builder")
    written = build_machina_index(procs=procs, chunk=50, progress=False)

    assert written == small_forum == len(expected)
    assert stored(builder_backend) == expected
    assert {query: hits(builder_backend, query) for query in QUERIES} == expected_hits
    assert any(expected_hits.values())


def test_builder_replaces_an_existing_index(small_forum, whoosh_at, tmp_path):
    backend = whoosh_at(tmp_path / "index")
    build_machina_index(procs=2, progress=False)
    assert build_machina_index(procs=2, progress=False) == small_forum
    assert backend.index.refresh().doc_count() == small_forum


def test_cache_reuses_only_an_index_of_the_same_documents(small_forum, whoosh_at, tmp_path):
    backend = whoosh_at(tmp_path / "index")
    cache = tmp_path / "cache"

    built = measure_machina_index(cache)
    assert "reused" not in built and built["posts"] == small_forum
    expected = stored(backend)

    reused = measure_machina_index(cache)
    assert reused["reused"]["digest"]
    assert reused["posts_per_second"] == built["posts_per_second"]  # the rate it was built at
    assert stored(backend) == expected

    post = Post.objects.filter(approved=True).order_by("pk").first()
    Post.objects.filter(pk=post.pk).update(subject="A subject the cached index has not seen")
    rebuilt = measure_machina_index(cache)
    assert "reused" not in rebuilt
    assert stored(backend) != expected
