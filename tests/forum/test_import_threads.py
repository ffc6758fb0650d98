"""import_content with threads: good lines import, bad ones are reported, re-import updates."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from machina.apps.forum_conversation.models import Topic

from forum.models import TopicSolution

pytestmark = pytest.mark.django_db

THREAD = {
    "type": "thread",
    "forum": "SkyLink routers",
    "locale": "en",
    "external_id": "t-1",
    "subject": "Internet drops every night",
    "body": "Drops at 3am.",
    "author": "reza1368",
    "created": "2026-06-01T10:00:00+00:00",
    "replies": [
        {
            "body": "Check the scheduled reboot.",
            "author": "support_lena",
            "accepted": True,
            "created": "2026-06-01T12:00:00+00:00",
        },
        {"body": "That was it!", "author": "reza1368", "created": "2026-06-02T08:00:00+00:00"},
    ],
}


def run(tmp_path, *lines):
    path = tmp_path / "threads.jsonl"
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines),
        encoding="utf-8",
    )
    out, err = StringIO(), StringIO()
    call_command("import_content", str(path), "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_thread_with_replies_and_solution(tmp_path):
    out, err = run(tmp_path, THREAD)
    assert "Imported 1 thread(s); 0 line(s) skipped." in out, err
    topic = Topic.objects.get(subject="Internet drops every night")
    assert topic.forum.name == "SkyLink routers"
    assert topic.posts_count == 3
    assert topic.created.isoformat().startswith("2026-06-01T10:00")
    assert [p.content.raw for p in topic.posts.order_by("created")] == [
        "Drops at 3am.",
        "Check the scheduled reboot.",
        "That was it!",
    ]
    assert TopicSolution.objects.get(topic=topic).post.poster.username == "support_lena"
    author = get_user_model().objects.get(username="reza1368")
    assert not author.is_active and not author.has_usable_password()


def test_reimport_updates_instead_of_duplicating(tmp_path):
    run(tmp_path, THREAD)
    changed = {
        **THREAD,
        "subject": "Internet drops every night at 3am",
        "replies": THREAD["replies"][:1],
    }
    run(tmp_path, changed)
    topic = Topic.objects.get()
    assert topic.subject == "Internet drops every night at 3am"
    assert topic.posts.count() == 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({**THREAD, "subject": ""}, '"subject" is required'),
        ({**THREAD, "body": 5}, '"body" is required'),
        ({**THREAD, "created": "yesterday"}, '"created" is not an ISO 8601 date-time'),
        ({**THREAD, "replies": "none"}, '"replies" must be a list'),
        ({**THREAD, "replies": [{"author": "x"}]}, 'reply 1: "body" is required'),
        (
            {**THREAD, "replies": [{"body": "a", "author": "x", "accepted": True}] * 2},
            "at most one reply can be accepted",
        ),
        ({**THREAD, "body": "x" * 20_001}, '"body" is longer than 20000 characters'),
    ],
)
def test_bad_lines_are_reported_and_skipped(tmp_path, line, message):
    good = {**THREAD, "external_id": "t-good"}
    out, err = run(tmp_path, line, good)
    assert "Imported 1 thread(s); 1 line(s) skipped." in out
    assert f"line 1: {message}" in err
    assert Topic.objects.count() == 1
