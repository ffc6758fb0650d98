"""The page-speed benchmark's ceiling view and its load loop."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import Client
from bench.page_speed import BARE_PATH, against_best_ceiling, hammer


@pytest.mark.django_db
def test_bare_view_answers_through_the_whole_middleware_stack(client, settings):
    settings.ROOT_URLCONF = "bench.urls"
    response = client.get(BARE_PATH)
    assert response.status_code == 200 and response.content == b"ok"
    assert "Content-Security-Policy" in response


def test_hammer_counts_answers_and_errors():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/ok" else 500)
            self.end_headers()
            self.wfile.write(b"x")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        clients = [Client(base, source_ip=None, timeout=5) for _ in range(2)]
        ok = hammer(clients, "/ok", 0.3)
        bad = hammer(clients, "/broken", 0.3)
    finally:
        server.shutdown()
    assert ok["requests"] > 0 and ok["errors"] == 0 and ok["rps"] > 0
    assert ok["p50_ms"] <= ok["p95_ms"]
    assert (
        bad["requests"] == 0 and bad["errors"] > 0 and bad["error_kinds"] == {"500": bad["errors"]}
    )


def test_pages_are_compared_with_the_faster_bare_view_run():
    pages = [{"page": "home", "rps": 200.0}]
    result = against_best_ceiling({"rps": 250.0}, {"rps": 400.0}, pages)
    assert result["ceiling"] == {"rps": 400.0} and pages[0]["share_of_ceiling"] == 0.5
    assert result["ceiling_start"] == {"rps": 250.0}
