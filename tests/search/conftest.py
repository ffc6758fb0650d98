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
    target = request.getfixturevalue("elasticsearch_target")
    use_search_backend(
        {
            "BACKEND": "search.backends.elasticsearch",
            "INDEX_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
            **target,
        },
        fallback=True,
    )
    backend = get_search_backend()
    yield backend
    for index in backend.current_indices():
        backend.writer.indices.delete(index=index, ignore_unavailable=True)
