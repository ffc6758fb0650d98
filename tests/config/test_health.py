"""/healthz tells a load balancer whether to send traffic, and operators whether search is whole."""

import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthy_on_the_embedded_default(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "search": "ok", "search_backend": "database"}
    assert "no-cache" in response["Cache-Control"]


def test_elasticsearch_reachable(client, use_search_backend, elasticsearch_target):
    use_search_backend({"BACKEND": "search.backends.elasticsearch", **elasticsearch_target})
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "search": "ok", "search_backend": "elasticsearch"}


def test_unreachable_cluster_degrades_but_keeps_serving(client, use_search_backend):
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    use_search_backend({"BACKEND": "search.backends.elasticsearch", "URL": "http://127.0.0.1:9"})
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "search": "degraded",
        "search_backend": "elasticsearch",
    }


class BrokenConnection:
    """Stands in for a database whose server went away."""

    def cursor(self):
        raise OperationalError("server closed the connection unexpectedly")


def test_database_down_answers_503(client, monkeypatch):
    monkeypatch.setattr("config.health.connection", BrokenConnection())
    monkeypatch.setattr("search.backends.database.connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert response.json()["search"] == "degraded"
