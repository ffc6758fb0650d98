"""Every contract test runs once per backend: the database and Elasticsearch (osmem or real)."""

import uuid

import pytest

from search.backends import get_search_backend


@pytest.fixture(params=["database", "elasticsearch"])
def search_backend(request, use_search_backend):
    """The configured backend for this run; Elasticsearch gets its own index per test."""
    if request.param == "database":
        use_search_backend({"BACKEND": "search.backends.database"})
        yield get_search_backend()
        return
    backend = elasticsearch_backend(
        use_search_backend, request.getfixturevalue("elasticsearch_target"), fallback=True
    )
    yield backend
    drop_indices(backend)


@pytest.fixture
def es_backend(use_search_backend, elasticsearch_target):
    """Elasticsearch alone (no fallback), in an index of its own."""
    backend = elasticsearch_backend(use_search_backend, elasticsearch_target)
    yield backend
    drop_indices(backend)


def elasticsearch_backend(use_search_backend, target: dict, *, fallback: bool = False):
    use_search_backend(
        {
            "BACKEND": "search.backends.elasticsearch",
            "INDEX_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
            **target,
        },
        fallback=fallback,
    )
    return get_search_backend()


def drop_indices(backend) -> None:
    for index in backend.current_indices():
        backend.writer.indices.delete(index=index, ignore_unavailable=True)
