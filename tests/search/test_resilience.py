"""Search outages: writes are kept and replayed, reads fall back to the database, none lost."""

import http.server
import socket
import threading
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from forum.demo import topic_create
from search import circuit
from search.backends import get_search_backend
from search.backends.base import SearchQuery
from search.indexing import apply_update
from search.models import PendingIndexUpdate
from search.services import run_search
from tests.factories import UserFactory
from tests.factories.kb import make_article

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cluster(use_search_backend, url: str, **options) -> None:
    use_search_backend(
        {
            "BACKEND": "search.backends.elasticsearch",
            "URL": url,
            "TIMEOUT": 0.3,
            "INDEX_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
            **options,
        },
        fallback=True,
    )


class Overloaded(http.server.BaseHTTPRequestHandler):
    """A cluster answering every request with 503 (or 429), as Elasticsearch does under load."""

    status = 503

    def _answer(self):
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.end_headers()
        self.wfile.write(b'{"error": "unavailable", "status": %d}' % self.status)

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(params=[503, 429])
def overloaded_cluster(request):
    handler = type("Handler", (Overloaded,), {"status": request.param})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_writes_during_an_outage_are_kept_then_replayed(
    help_center, use_search_backend, elasticsearch_target, django_capture_on_commit_callbacks
):
    cluster(use_search_backend, f"http://127.0.0.1:{free_port()}")  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("Reset the router to factory settings")
    pending = PendingIndexUpdate.objects.get()
    assert (pending.backend, pending.kind, pending.object_id) == ("default", "article", article.pk)
    assert pending.attempts == 1 and pending.next_attempt_at > timezone.now()

    results = run_search(SearchQuery(text="router", locale="en"))
    assert [h.title for h in results.hits] == ["Reset the router to factory settings"]
    assert results.backend == "database" and results.degraded

    # The cluster comes back (same alias, now reachable): the scheduler's sync replays the write.
    target = dict(elasticsearch_target)
    cluster(use_search_backend, target.pop("URL"), **target)
    call_command("search_sync", "--all")
    assert not PendingIndexUpdate.objects.exists()
    assert [h.title for h in get_search_backend().search(SearchQuery(text="router")).hits] == [
        "Reset the router to factory settings"
    ]


def test_overloaded_cluster_answers_are_retried_not_dropped(
    help_center, use_search_backend, overloaded_cluster, client, django_capture_on_commit_callbacks
):
    cluster(use_search_backend, overloaded_cluster)
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Printer offline after update")
    assert PendingIndexUpdate.objects.filter(backend="default").count() == 1
    assert not PendingIndexUpdate.objects.filter(backend="fallback").exists()
    data = client.get("/api/search/", {"q": "offline"}).json()
    assert data["backend"] == "database" and data["total"] == 1
    assert client.get("/healthz").json()["search"] == "degraded"


def test_a_failing_backend_is_skipped_for_a_while(help_center, use_search_backend):
    cluster(use_search_backend, f"http://127.0.0.1:{free_port()}")
    run_search(SearchQuery(text="anything"))
    assert circuit.is_open("default")
    circuit.close("default")
    assert not circuit.is_open("default")


def test_retries_are_deferred_with_growing_delays(
    help_center, use_search_backend, settings, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cluster(use_search_backend, f"http://127.0.0.1:{free_port()}")
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("Ink smudges on the page")
    default_task_backend.clear()
    delays = []
    for _ in range(3):
        circuit.close()
        apply_update("default", "article", article.pk)
        deferred = default_task_backend.results[-1]
        delays.append((deferred.task.run_after - timezone.now()).total_seconds())
    assert 3 < delays[0] < 7 and 7 < delays[1] < 13 and 15 < delays[2] < 25
    assert PendingIndexUpdate.objects.get(backend="default").attempts == 3


@pytest.mark.django_db(transaction=True)
def test_search_server_stopped_mid_run_loses_nothing(
    help_center, forum, use_search_backend, settings
):
    """Stop the server, write content through the task queue, restart it empty, run the worker."""
    from osmem_server import OsmemServer

    from tests.support.osmem import PlainJsonNode

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    address = f"127.0.0.1:{free_port()}"
    server = OsmemServer.start(seed=[], japanese=False, addr=address)
    try:
        cluster(
            use_search_backend,
            server.url,
            CLIENT_OPTIONS={"node_class": PlainJsonNode},
            ANALYZERS={"fa": "standard", "hi": "standard"},  # osmem lacks both (see conftest)
        )
        make_article("Before the outage: clean the print head")
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
        assert get_search_backend().search(SearchQuery(text="print head")).total == 1

        server.close()  # the search server goes away mid-run
        make_article("During the outage: replace the toner")
        topic = topic_create(
            forum=forum, poster=UserFactory(), subject="Toner light blinks", content="Why?"
        )
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
        during = run_search(SearchQuery(text="toner", locale="en"))
        assert during.degraded and "During the outage: replace the toner" in [
            h.title for h in during.hits
        ]
        assert PendingIndexUpdate.objects.filter(backend="default").exists()

        server = OsmemServer.start(seed=[], japanese=False, addr=address)  # back, but empty
        circuit.close()
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
        call_command("search_sync", "--repair")
        backend = get_search_backend()
        titles = {h.title for h in backend.search(SearchQuery(text="toner print head")).hits}
        assert titles == {
            "Before the outage: clean the print head",
            "During the outage: replace the toner",
            topic.subject,
        }
        assert not PendingIndexUpdate.objects.exists()
        from search.consistency import index_drift

        for alias in ("default", "fallback"):
            assert index_drift(alias).in_step, alias
    finally:
        server.close()


POST_FORM = {
    "topic_type": 0,
    "attachment-TOTAL_FORMS": "0",
    "attachment-INITIAL_FORMS": "0",
    "attachment-MIN_NUM_FORMS": "0",
    "attachment-MAX_NUM_FORMS": "5",
}


@pytest.mark.django_db(transaction=True)
def test_outage_while_people_post_edit_vote_and_publish(help_center, forum, use_search_backend):
    """Kill the server mid-run: every request still answers (search within 1 s), nothing lost."""
    import time

    from django.test import Client
    from django.urls import reverse
    from machina.apps.forum_conversation.models import Post, Topic
    from osmem_server import OsmemServer

    from search.consistency import index_drift
    from tests.support.osmem import PlainJsonNode

    address = f"127.0.0.1:{free_port()}"
    server = OsmemServer.start(seed=[], japanese=False, addr=address)
    statuses, search_times = [], []
    people = []
    for n in range(3):
        client = Client()
        client.force_login(UserFactory(username=f"person{n}"))
        people.append(client)
    editor = UserFactory(username="editor", is_staff=True)

    def activity(round_no: int):
        asker, helper, voter = people[round_no % 3], people[(round_no + 1) % 3], people[2]
        base = [forum.slug, forum.pk]
        response = asker.post(
            reverse("forum_topic_create", args=base),
            {**POST_FORM, "subject": f"Outage question {round_no}", "content": "Tray stuck"},
        )
        statuses.append(response.status_code)
        topic = Topic.objects.get(subject=f"Outage question {round_no}")
        topic_args = [*base, topic.slug, topic.pk]
        response = helper.post(
            reverse("forum_post_create", args=topic_args),
            {**POST_FORM, "subject": "Re", "content": f"Reply {round_no}: lift the tray"},
        )
        statuses.append(response.status_code)
        reply = Post.objects.filter(topic=topic).latest("created")
        response = helper.post(
            reverse("forum_post_update", args=[*topic_args, reply.pk]),
            {**POST_FORM, "subject": "Re", "content": f"Reply {round_no}: lift the tray gently"},
        )
        statuses.append(response.status_code)
        response = asker.post(
            reverse("forum_helpful", args=[reply.pk]), HTTP_ACCEPT="application/json"
        )
        statuses.append(response.status_code)
        statuses.append(voter.post(reverse("forum_me_too", args=[topic.pk])).status_code)
        article = make_article(f"Outage article {round_no}")
        article.save_revision(user=editor).publish()
        for query in ("outage", "tray gently"):
            started = time.monotonic()
            response = people[0].get("/api/search/", {"q": query})
            search_times.append(time.monotonic() - started)
            statuses.append(response.status_code)
        return response.json()

    try:
        cluster(
            use_search_backend,
            server.url,
            CLIENT_OPTIONS={"node_class": PlainJsonNode},
            ANALYZERS={"fa": "standard", "hi": "standard"},  # osmem lacks both (see conftest)
        )
        assert activity(0)["backend"] == "elasticsearch"
        server.close()  # the search server dies mid-run
        for round_no in (1, 2, 3):
            during = activity(round_no)
            assert during["backend"] == "database"
        assert people[0].get("/healthz").json()["search"] == "degraded"
        server = OsmemServer.start(seed=[], japanese=False, addr=address)  # back, empty
        circuit.close()
        call_command("search_sync", "--repair")

        assert all(status < 500 for status in statuses), statuses
        assert max(search_times) < 1.0, search_times
        assert Topic.objects.filter(subject__startswith="Outage question").count() == 4
        assert Post.objects.filter(content__contains="lift the tray gently").count() == 4
        for alias in ("default", "fallback"):
            assert index_drift(alias).in_step, alias
        found = get_search_backend().search(SearchQuery(text="outage", locale="en", page_size=50))
        assert found.total == 8 and found.backend == "elasticsearch"
    finally:
        server.close()
