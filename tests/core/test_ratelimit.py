"""Rate limits on sign-up, voting and search: tripped by floods, never by normal use."""

import pytest
from django.urls import reverse
from machina.apps.forum_conversation.models import Post

from forum.demo import topic_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signup_data(n):
    return {
        "username": f"flood{n}",
        "email": f"flood{n}@example.com",
        "display_name": "",
        "password1": "a long enough pass phrase 42",
        "password2": "a long enough pass phrase 42",
    }


def test_signup_flood_from_one_address_gets_429(client):
    url = "/en/accounts/signup/"
    for n in range(10):
        client.logout()
        assert client.post(url, signup_data(n), REMOTE_ADDR="10.1.1.1").status_code in (200, 302)
    client.logout()
    response = client.post(url, signup_data(99), REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many sign-ups from your network" in response.content.decode()
    client.logout()
    assert client.post(url, signup_data(100), REMOTE_ADDR="10.1.1.2").status_code == 302


def test_voting_flood_gets_429_but_normal_voting_works(member_client, forum):
    topic = topic_create(forum=forum, poster=UserFactory(), subject="Scanner", content="Stuck")
    post = Post.objects.create(
        topic=topic, poster=UserFactory(), subject="Re", content="Try this", approved=True
    )
    url = reverse("forum_helpful", args=[post.pk])
    json = {"HTTP_ACCEPT": "application/json"}
    assert member_client.post(url, **json).status_code == 200  # a normal vote
    for _ in range(29):
        member_client.post(url, **json)
    flooded = member_client.post(url, **json)
    assert flooded.status_code == 429
    assert flooded.json()["retry_after"] == int(flooded["Retry-After"]) > 0


def test_search_api_flood_gets_json_429(client):
    for _ in range(120):
        assert client.get("/api/search/", {"q": "x"}, REMOTE_ADDR="10.2.2.2").status_code == 200
    flooded = client.get("/api/search/", {"q": "x"}, REMOTE_ADDR="10.2.2.2")
    assert flooded.status_code == 429 and "Too many searches" in flooded.json()["error"]
    assert client.get("/api/search/", {"q": "x"}, REMOTE_ADDR="10.2.2.3").status_code == 200


def test_a_forwarded_address_counts_only_behind_a_trusted_proxy(client, settings):
    for n in range(121):
        client.get("/api/search/", {"q": "x"}, HTTP_X_FORWARDED_FOR=f"10.3.3.{n % 250}")
    # Without a trusted proxy the header is ignored: everyone above came from one address.
    assert client.get("/api/search/", {"q": "x"}).status_code == 429
    settings.TRUSTED_PROXY_COUNT = 1
    assert (
        client.get("/api/search/", {"q": "x"}, HTTP_X_FORWARDED_FOR="10.4.4.4").status_code == 200
    )
