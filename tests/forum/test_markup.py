"""Post Markdown renders to safe HTML: the XSS corpus leaves nothing that can run."""

import pytest
from django.core.management import call_command
from machina.apps.forum_conversation.models import Post

from forum.demo import topic_create
from forum.markup import render_post_markdown
from tests.support.xss import PAYLOADS, script_capable_parts


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_renders_harmless(payload):
    html = render_post_markdown(payload)
    assert script_capable_parts(html) == [], html


def test_corpus_is_large_enough():
    assert len(PAYLOADS) >= 60


def test_formatting_survives():
    html = render_post_markdown(
        "**bold** *em* `code`\n\n- a\n- b\n\n[site](https://example.com) and <b>raw bold</b>"
    )
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert "<code>code</code>" in html and "<li>a</li>" in html
    assert '<a href="https://example.com" rel="nofollow ugc noopener">site</a>' in html


def test_script_text_stays_visible_as_text():
    html = render_post_markdown("Why does <script>alert(1)</script> appear?")
    assert "<script" not in html
    assert "Why does" in html and "appear?" in html


@pytest.mark.parametrize(
    "nasty",
    [
        "[" * 5000 + "a" + "](" * 5000 + "*_" * 4000,  # took markdown2 several seconds
        "*a " * 6000,
        "<" * 20000,
        "[a](" * 5000,
        "> " * 5000 + "a",
        "`" * 10000,
    ],
)
def test_pathological_input_renders_to_safe_html(nasty):
    # Render speed on such input is measured in bench/, not timed here.
    assert script_capable_parts(render_post_markdown(nasty)) == []


@pytest.mark.django_db
def test_saved_posts_use_the_safe_renderer(forum, member):
    topic = topic_create(
        forum=forum, poster=member, subject="Hi", content="<img src=x onerror=alert(1)> **hello**"
    )
    post = topic.first_post
    assert "<strong>hello</strong>" in post.content.rendered
    assert script_capable_parts(post.content.rendered) == []


@pytest.mark.django_db
def test_rerender_posts_replaces_stale_html(forum, member):
    topic = topic_create(forum=forum, poster=member, subject="Hi", content="**hello**")
    Post.objects.filter(pk=topic.first_post.pk).update(
        _content_rendered="<p onclick=alert(1)>old</p>"
    )
    call_command("rerender_posts", "--no-progress")
    post = Post.objects.get(pk=topic.first_post.pk)
    assert post.content.rendered == "<p><strong>hello</strong></p>"
