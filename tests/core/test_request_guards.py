"""Guards that keep odd requests from becoming server errors, on every URL."""

import pytest

pytestmark = pytest.mark.django_db


def test_ids_beyond_any_database_integer_are_not_found(client, help_center):
    huge = 2**63
    assert client.post(f"/en/kb/feedback/{huge}/").status_code == 404
    response = client.post(f"/en/kb/feedback/{huge}/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404 and "error" in response.json()
    assert client.get(f"/en/community/attachment/{huge}/").status_code == 404


def test_ask_open_only_follows_paths_on_this_site(client):
    for target in ("0", "//evil.example/", "https://evil.example/", "javascript:alert(1)", ""):
        response = client.get("/en/community/ask/open/", {"to": target, "q": "x"})
        assert response.status_code == 302 and response["Location"] == "/en/community/ask/"
    response = client.get("/en/community/ask/open/", {"to": "/en/kb/", "q": "x"})
    assert response["Location"] == "/en/kb/"


def test_a_failing_import_line_is_reported_and_the_rest_imported(help_center):
    from core.importing import import_lines

    lines = [
        '{"type": ["article"]}',
        "[" * 100_000,
        '{"type": "thread", "subject": "s", "body": "b", "forum": "F", "author": "a", '
        '"created": "0001-01-01T00:00:00+01:00"}',
        '{"type": "product", "name": "Good printer", "locale": "en"}',
    ]
    report = import_lines(lines)
    assert [number for number, _ in report.errors] == [1, 2, 3]
    assert report.imported["product"] == 1
