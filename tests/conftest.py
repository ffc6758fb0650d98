"""Shared fixtures: a help center in every language and forums with their permissions."""

import pytest
from django.core.cache import cache

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def help_center(db):
    """The English help center as the site root, translated into every enabled language."""
    from kb.demo import seed_help_center

    return seed_help_center()


@pytest.fixture
def forum(db):
    """An open forum inside a category, with the site's default permission rows."""
    from machina.apps.forum.models import Forum

    from forum.demo import forum_get_or_create

    category = forum_get_or_create(name="Products", kind=Forum.FORUM_CAT)
    return forum_get_or_create(name="Printers", description="Printing help", parent=category)


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


OSMEM_ANALYZERS = {"fa": "standard", "hi": "standard"}


@pytest.fixture(scope="session")
def elasticsearch_target(request):
    """URL and client options of the cluster the Elasticsearch tests use.

    A real cluster when ``ELASTICSEARCH_URL`` is set; otherwise an in-memory osmem-server
    (OpenSearch-compatible, see tests/support/osmem.py for what it cannot cover).
    """
    import os

    url = os.environ.get("ELASTICSEARCH_URL")
    if url:
        yield {"URL": url, "CLIENT_OPTIONS": {}, "TIMEOUT": 5}
        return
    from osmem_server import OsmemServer

    from tests.support.osmem import PlainJsonNode

    server = OsmemServer.start(seed=[], freeze=False, japanese=False)
    request.addfinalizer(server.close)
    yield {
        "URL": server.url,
        "CLIENT_OPTIONS": {"node_class": PlainJsonNode},
        "TIMEOUT": 5,
        # osmem has no ``persian`` or ``hindi`` analyzer (mapper_parsing_exception): Persian and
        # Hindi text is analysed with ``standard`` here, so stemming and normalisation in those
        # languages are only tested against a real cluster (tests/search/test_languages.py).
        "ANALYZERS": OSMEM_ANALYZERS,
    }


@pytest.fixture
def use_search_backend(settings):
    """Switch the unified search backend for one test: ``use_search_backend({...})``."""
    from search import circuit
    from search.backends import reset_search_backends

    def switch(config: dict, fallback: bool = False):
        settings.SEARCH_BACKENDS = {"default": config}
        if fallback:
            settings.SEARCH_BACKENDS["fallback"] = {"BACKEND": "search.backends.database"}
        reset_search_backends()
        circuit.close()

    yield switch
    reset_search_backends()
    circuit.close()


@pytest.fixture
def roles(db):
    """One user in each editorial group (Editors, Reviewers, Moderators), keyed by group name."""
    from django.contrib.auth.models import Group

    from kb.editorial import EDITORS, MODERATORS, REVIEWERS, setup_editorial_roles

    setup_editorial_roles()

    def user_in(group_name):
        user = UserFactory(username=group_name.lower())
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return {name: user_in(name) for name in (EDITORS, REVIEWERS, MODERATORS)}


@pytest.fixture
def editor_client(client, roles):
    from kb.editorial import EDITORS

    client.force_login(roles[EDITORS])
    return client
