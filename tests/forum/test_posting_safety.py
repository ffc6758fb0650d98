"""Attachments by content, posting limits, honeypots and review of newcomers' first posts."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from machina.apps.forum_conversation.forum_attachments.models import Attachment
from machina.apps.forum_conversation.models import Post, Topic
from PIL import Image

from forum.demo import topic_create
from forum.limits import TOPICS_PER_WINDOW_NEW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def topic_form(files=(), **extra):
    data = {
        "subject": "Printer shows offline",
        "content": "My words, kept.",
        "topic_type": 0,
        "attachment-TOTAL_FORMS": str(len(files)),
        "attachment-INITIAL_FORMS": "0",
        "attachment-MIN_NUM_FORMS": "0",
        "attachment-MAX_NUM_FORMS": "5",
        **extra,
    }
    for index, upload in enumerate(files):
        data[f"attachment-{index}-file"] = upload
        data[f"attachment-{index}-comment"] = ""
    return data


def create_url(forum):
    return reverse("forum_conversation:topic_create", args=[forum.slug, forum.pk])


def test_screenshot_is_accepted_and_renamed_by_content(member_client, forum):
    upload = SimpleUploadedFile("Скриншот ../../evil.html", png_bytes(), content_type="text/html")
    response = member_client.post(create_url(forum), topic_form([upload]))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.file.name.endswith(".png")
    assert ".." not in attachment.file.name and "html" not in attachment.file.name


def test_pdf_is_accepted(member_client, forum):
    upload = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n")
    assert member_client.post(create_url(forum), topic_form([upload])).status_code == 302
    assert Attachment.objects.get().file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>", "Only screenshots"),
        (
            "logo.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
            "Only screenshots",
        ),
        ("photo.png", b"<html>not a png</html>", "Only screenshots"),
        ("empty.png", b"", "empty"),
        ("polyglot.png", png_bytes()[:40] + b"<script>alert(1)</script>", "Only screenshots"),
    ],
)
def test_other_files_are_refused_and_the_text_is_kept(member_client, forum, name, content, message):
    response = member_client.post(
        create_url(forum), topic_form([SimpleUploadedFile(name, content)])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "My words, kept." in html
    assert not Topic.objects.exists() and not Attachment.objects.exists()


def test_files_over_5_mb_are_refused(member_client, forum):
    big = SimpleUploadedFile("big.png", png_bytes() + b"\0" * (5 * 1024 * 1024))
    response = member_client.post(create_url(forum), topic_form([big]))
    assert "at most 5 MB" in response.content.decode()
    assert not Topic.objects.exists()


def test_at_most_five_files(member_client, forum):
    uploads = [SimpleUploadedFile(f"s{n}.png", png_bytes()) for n in range(6)]
    data = topic_form(uploads)
    data["attachment-MAX_NUM_FORMS"] = "6"
    response = member_client.post(create_url(forum), data)
    assert response.status_code == 200
    assert "5" in response.content.decode() and not Topic.objects.exists()


def test_new_accounts_hit_the_topic_limit_with_a_clear_message(member_client, member, forum):
    for n in range(TOPICS_PER_WINDOW_NEW):
        topic_create(forum=forum, poster=member, subject=f"Question {n}", content="?")
    response = member_client.post(create_url(forum), topic_form())
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    html = response.content.decode()
    assert "Please wait a few minutes" in html and "My words, kept." in html


def test_older_accounts_have_room_and_old_topics_do_not_count(member_client, member, forum):
    member.date_joined = timezone.now() - timedelta(days=30)
    member.save()
    for n in range(TOPICS_PER_WINDOW_NEW):
        topic = topic_create(forum=forum, poster=member, subject=f"Question {n}", content="?")
    Topic.objects.filter(pk=topic.pk).update(created=timezone.now() - timedelta(hours=1))
    assert member_client.post(create_url(forum), topic_form()).status_code == 302


def test_honeypot_on_topics_and_sign_up(member_client, forum):
    response = member_client.post(create_url(forum), topic_form(website="http://spam.example"))
    assert response.status_code == 200 and not Topic.objects.exists()
    response = Client().post(
        reverse("accounts:signup"),
        {
            "username": "bot",
            "email": "bot@example.com",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
            "website": "http://spam.example",
        },
    )
    assert response.status_code == 200 and "looks automated" in response.content.decode()


def test_newcomers_first_post_waits_for_a_moderator_then_they_are_trusted(client, forum):
    client.post(
        reverse("accounts:signup"),
        {
            "username": "newbie",
            "email": "newbie@example.com",
            "display_name": "",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
    )
    client.post(create_url(forum), topic_form())
    first = Post.objects.get()
    assert not first.approved
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    client.post(reverse("forum_moderation:approve_queued_post", args=[first.pk]))
    newbie = first.poster
    client.force_login(newbie)
    client.post(create_url(forum), topic_form(subject="Second question"))
    assert Post.objects.get(subject="Second question").approved


def test_very_long_posts_are_refused_and_kept(member_client, forum):
    response = member_client.post(create_url(forum), topic_form(content="x" * 20_001))
    assert response.status_code == 200
    assert "at most 20000 characters" in response.content.decode()
    assert not Topic.objects.exists()


def test_new_accounts_may_post_only_a_couple_of_links_and_keep_their_text(member_client, forum):
    spam = "Buy now http://a.example www.b.example [c](https://c.example)"
    response = member_client.post(create_url(forum), topic_form(content=spam))
    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 2 links" in html and "www.b.example" in html
    ok = "See https://docs.example and www.help.example"
    assert member_client.post(create_url(forum), topic_form(content=ok)).status_code == 302


def test_established_members_are_not_link_limited(member_client, member, forum):
    member.date_joined = timezone.now() - timedelta(days=30)
    member.save()
    links = " ".join(f"https://site{n}.example" for n in range(6))
    assert member_client.post(create_url(forum), topic_form(content=links)).status_code == 302
