"""Elasticsearch rebuilds: documents are built while earlier chunks are sent, and still nothing is
lost, half-swapped or silently dropped when either side fails."""

import threading

import pytest
from elasticsearch import ConnectionError as ClusterConnectionError
from elasticsearch import Elasticsearch

import search.backends.elasticsearch as es_module
from search.backends.base import SearchQuery
from search.backends.elasticsearch import IndexWriteError
from search.documents import SearchDocument

pytestmark = pytest.mark.django_db

CHUNK = 10  # small chunks, so a few dozen documents make many bulk requests


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(es_module, "CHUNK", CHUNK)


@pytest.fixture
def bulk_calls(monkeypatch):
    """Wrap the client's bulk call: ``bulk_calls.hooks`` may change each response or raise."""
    real_bulk = Elasticsearch.bulk

    class Calls:
        count = 0
        started = threading.Event()
        hooks: list = []

    lock = threading.Lock()

    def bulk(self, *args, **kwargs):
        with lock:  # two senders call at once
            Calls.count += 1
            number = Calls.count
        Calls.started.set()
        response = real_bulk(self, *args, **kwargs)
        for hook in Calls.hooks:
            hook(number, response.body["items"])
        return response

    monkeypatch.setattr(Elasticsearch, "bulk", bulk)
    return Calls


def doc(object_id: int, title: str = "Printer guide") -> SearchDocument:
    return SearchDocument(
        kind="article", object_id=object_id, locale="en", title=title, url=f"/a/{object_id}/"
    )


def indices_named_like(backend) -> list[str]:
    return sorted(backend.writer.indices.get(index=f"{backend.index_alias}-*").body)


def sender_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("bulk sender")]


def test_rebuild_writes_every_document_and_reports_progress(es_backend):
    progress = []
    written = es_backend.rebuild((doc(n) for n in range(7 * CHUNK + 3)), progress.append)
    assert written == sum(progress) == 7 * CHUNK + 3
    assert set(es_backend.indexed_keys()) == {f"article:{n}" for n in range(7 * CHUNK + 3)}
    assert indices_named_like(es_backend) == es_backend.current_indices()
    assert sender_threads() == []


def test_chunks_are_sent_while_the_next_ones_are_built(es_backend, bulk_calls):
    sent_while_building = []

    def documents():
        for n in range(3 * CHUNK):
            if n == CHUNK:  # the first chunk is complete; building goes on without waiting
                sent_while_building.append(bulk_calls.started.wait(timeout=10))
            yield doc(n)

    assert es_backend.rebuild(documents()) == 3 * CHUNK
    assert sent_while_building == [True]


def test_building_runs_only_a_few_chunks_ahead_of_the_cluster(es_backend, bulk_calls):
    """Memory stays flat: while the cluster does not answer, building stops soon."""
    release = threading.Event()
    produced = []
    bulk_calls.hooks.append(lambda number, items: release.wait(timeout=10))

    def documents():
        for n in range(30 * CHUNK):
            produced.append(n)
            yield doc(n)

    timer = threading.Timer(1.0, lambda: (produced.append("released"), release.set()))
    timer.start()
    assert es_backend.rebuild(documents()) == 30 * CHUNK
    ahead = produced.index("released")
    assert ahead <= (es_module.SENDERS + es_module.DEPTH + 1) * CHUNK + 1


def test_a_refused_document_fails_the_rebuild_and_keeps_the_old_index(es_backend, bulk_calls):
    es_backend.index([doc(1, "Old printer guide")])
    old = es_backend.current_indices()
    bulk_calls.count = 0

    def refuse_one_in_the_second_chunk(number, items):
        if number == 2:
            items[3]["index"].update(status=400, error={"type": "mapper_parsing_exception"})

    bulk_calls.hooks.append(refuse_one_in_the_second_chunk)
    with pytest.raises(IndexWriteError, match="mapper_parsing_exception"):
        es_backend.rebuild(doc(n, "New printer guide") for n in range(100, 100 + 5 * CHUNK))
    assert es_backend.current_indices() == old
    assert indices_named_like(es_backend) == old  # the half-built index is gone
    hits = es_backend.search(SearchQuery("printer")).hits
    assert [h.title for h in hits] == ["Old printer guide"]
    assert sender_threads() == []


def test_rejections_by_an_overloaded_cluster_are_retried(es_backend, bulk_calls, monkeypatch):
    waits = []
    monkeypatch.setattr("elasticsearch.helpers.actions.time.sleep", waits.append)

    def reject_the_first_answer(number, items):
        if number == 1:
            for item in items:
                item["index"].update(status=429, error={"type": "es_rejected_execution"})

    bulk_calls.hooks.append(reject_the_first_answer)
    assert es_backend.rebuild(doc(n) for n in range(3 * CHUNK)) == 3 * CHUNK
    assert waits == [1]  # initial backoff, then the chunk went through
    assert len(es_backend.indexed_keys()) == 3 * CHUNK


def test_an_unreachable_cluster_fails_the_rebuild_without_a_swap(es_backend, bulk_calls):
    es_backend.index([doc(1, "Old printer guide")])
    old = es_backend.current_indices()
    bulk_calls.count = 0

    def drop_the_connection(number, items):
        if number == 3:
            raise ClusterConnectionError("connection reset")

    bulk_calls.hooks.append(drop_the_connection)
    produced = []
    with pytest.raises(ClusterConnectionError):
        es_backend.rebuild(produced.append(n) or doc(n) for n in range(30 * CHUNK))
    assert indices_named_like(es_backend) == es_backend.current_indices() == old
    assert len(produced) < 30 * CHUNK  # building stopped soon after the failure
    assert sender_threads() == []


def test_a_failure_while_building_stops_the_senders(es_backend):
    es_backend.index([doc(1, "Old printer guide")])
    old = es_backend.current_indices()

    def documents():
        yield from (doc(n) for n in range(100, 100 + 3 * CHUNK))
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError, match="database went away"):
        es_backend.rebuild(documents())
    assert indices_named_like(es_backend) == es_backend.current_indices() == old
    assert sender_threads() == []
