"""Reading forum pages as a given member, shared by the forum tests."""

from django.test import Client

from forum.views import topic_url


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def topic_html(client, topic) -> str:
    """The topic page's HTML, which must have been served."""
    response = client.get(topic_url(topic))
    assert response.status_code == 200
    return response.content.decode()
