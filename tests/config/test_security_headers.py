"""The hardening headers and cookies, asserted on real responses with production's settings."""

import importlib
import io

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HARDENING = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "X_FRAME_OPTIONS",
]


@pytest.fixture
def production(settings, monkeypatch):
    """This test's settings take production's hardening values (imported, not copied by hand)."""
    monkeypatch.setattr("config.env.SECRET_KEY", "p" * 64)
    import sys

    sys.modules.pop("config.settings.production", None)
    module = importlib.import_module("config.settings.production")
    for name in HARDENING:
        setattr(settings, name, getattr(module, name))
    return settings


@pytest.fixture
def public_pages(help_center, forum):
    from django.urls import reverse
    from django.utils.translation import override

    from forum.demo import topic_create
    from tests.factories.kb import make_article

    article = make_article("Clean the rollers")
    topic = topic_create(forum=forum, poster=UserFactory(), subject="Rollers squeak", content="?")
    with override("en"):
        topic_url = reverse(
            "forum_conversation:topic", args=[forum.slug, forum.pk, topic.slug, topic.pk]
        )
    return ["/en/", article.url, "/en/search/?q=rollers", "/en/community/", topic_url]


def test_public_pages_send_a_strict_policy_and_hardening_headers(client, production, public_pages):
    for url in public_pages:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        policy = dict(
            part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
        )
        assert policy["script-src"] == "'self'", url  # no unsafe-inline, no other origin
        assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
        assert "unsafe-eval" not in response["Content-Security-Policy"]
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_plain_http_is_redirected_to_https(client, production):
    response = client.get("/en/")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_session_and_csrf_cookies_are_secure_httponly_and_samesite(client, production):
    UserFactory(username="kim")
    page = client.get("/en/accounts/login/", secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        "/en/accounts/login/",
        {"username": "kim", "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": csrf.value},
        secure=True,
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_documents_download_as_attachments_and_never_as_html(client, production, help_center):
    document = get_document_model().objects.create(
        title="Manual", file=ContentFile(b"%PDF-1.4 manual", name="manual.pdf")
    )
    response = client.get(document.url, secure=True)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"


def test_html_and_svg_uploads_are_refused_as_documents(settings):
    from wagtail.documents.forms import get_document_form

    form_class = get_document_form(get_document_model())
    for name, body in [("page.html", b"<script>alert(1)</script>"), ("x.svg", b"<svg onload=1>")]:
        from django.core.files.uploadedfile import SimpleUploadedFile

        form = form_class(
            data={"title": name},
            files={"file": SimpleUploadedFile(name, body)},
            user=UserFactory(is_superuser=True),
        )
        assert not form.is_valid() and "file" in form.errors, name


def test_forum_attachments_download_as_attachments(client, production, forum, member):
    from machina.apps.forum_conversation.forum_attachments.models import Attachment
    from machina.apps.forum_conversation.models import Post

    from forum.demo import topic_create

    topic = topic_create(forum=forum, poster=member, subject="Photo", content="See attached")
    post = Post.objects.filter(topic=topic).first()
    attachment = Attachment.objects.create(
        post=post, file=ContentFile(io.BytesIO(b"\x89PNG\r\n").read(), name="photo.png")
    )
    client.force_login(member)
    response = client.get(f"/en/community/attachment/{attachment.pk}/", secure=True)
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
