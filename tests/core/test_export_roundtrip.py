"""export_content writes what import_content reads: export, empty the database, import, compare."""

import io
import json
from collections.abc import Mapping
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.forum_attachments.models import Attachment
from machina.apps.forum_conversation.models import Post, Topic
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import RichText

from core.exporting import rich_text_to_markdown
from forum.demo import topic_create
from forum.models import ImportedThread, PostHelpfulVote, TopicLanguage, TopicMeToo, TopicSolution
from kb.importing import GENERATED_PAGE_ID, ImportContext, import_article, import_product
from kb.markdown_blocks import inline_html, markdown_to_blocks
from kb.models import ArticlePage, ProductPage
from tests.factories import UserFactory
from tests.factories.kb import make_article, make_product

pytestmark = pytest.mark.django_db

GUIDE_BODY = """## Before you start

Have the **power cable** ready, read [the manual](https://example.com/manual?a=1&b=2) and
run `inkwell --reset`; snake_case and 5 * 3 stay as they are.

Paper types:
- plain A4
- glossy *photo* paper

### Clearing a jam

1. Unplug the printer.
   Warning: Wait 30 seconds before opening the cover.
2. Open the *front* cover.
   Pull the paper out slowly.
3. Close the cover.

> Tip: Use plain A4 paper.

> Warning: Parts inside can be **hot**.

> Danger: Never open the power supply.

@image Paper tray | The tray, pulled out

@video https://videos.example.com/watch?v=jam

@file Printer manual

```sh
inkwell --reset
echo "done"
```

| Light | Meaning |
| --- | --- |
| Green | Ready |
| Orange | Paper jam |

Q: Which paper works best?
A: Plain A4, 80 g/m².
Q: Can I print photos?
A: Yes, on **glossy** paper.
 1. Load it shiny side down.
 2. Choose "Photo".

@related p200-wifi
"""

PERSIAN_BODY = """## پیش از شروع

1. چاپگر را خاموش کنید.
   Warning: سی ثانیه صبر کنید.

> Tip: از کاغذ A4 استفاده کنید.
"""


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def content(help_center, forum, settings, tmp_path):
    """Products, articles in two languages, a draft, and threads with votes and a solution."""
    settings.MEDIA_ROOT = tmp_path / "media"
    get_image_model().objects.create(
        title="Paper tray", file=ContentFile(png_bytes(), name="tray.png"), width=4, height=3
    )
    get_document_model().objects.create(
        title="Printer manual", file=ContentFile(b"%PDF-1.4 manual", name="manual.pdf")
    )
    context = ImportContext()
    make_product("InkWell P200", external_id="product-p200", summary="A home printer.")
    import_product(
        {
            "name": "اینک‌ول P200",
            "locale": "fa",
            "translation_of": "product-p200",
            "external_id": "fa-product-p200",
            "warranty_summary": "دو سال",
        },
        context,
    )
    make_product("SkyLink AX3000")  # no external_id: the export makes one up
    make_article(
        "Install the P200",
        external_id="p200-install",
        product="InkWell P200",
        body=GUIDE_BODY,
        tags=["setup", "paper"],
        minutes=15,
        difficulty="beginner",
        course="Printing 101",
        lesson=1,
    )
    make_article(
        "Connect the P200 to Wi-Fi",
        external_id="p200-wifi",
        product="InkWell P200",
        article_type="troubleshooting",
        body="## Wi-Fi\n\nJoin the network.\n\n@related p200-install\n",
    )
    import_article(
        {
            "locale": "fa",
            "translation_of": "p200-install",
            "external_id": "fa-p200-install",
            "article_type": "guide",
            "title": "نصب P200",
            "summary": "راه‌اندازی چاپگر",
            "body_markdown": PERSIAN_BODY,
            "tags": ["نصب"],
        },
        context,
    )
    router = make_article(
        "Reset the router", external_id="router-reset", product="SkyLink AX3000", tags=["wifi"]
    )
    import_article(
        {
            "locale": "fa",
            "translation_of": "router-reset",
            "external_id": "fa-router-reset",
            "article_type": "guide",
            "title": "بازنشانی روتر",
            "summary": "روتر را بازنشانی کنید",
            "body_markdown": "## بازنشانی\n\nدکمه را نگه دارید.",
        },
        context,
    )
    # Pages made in the admin have no external_id: the export names them by translation key.
    ArticlePage.objects.filter(external_id__in=["router-reset", "fa-router-reset"]).update(
        external_id=""
    )
    make_article(
        "Upcoming firmware", external_id="draft-firmware", product="InkWell P200", publish=False
    )
    router.refresh_from_db()

    User = get_user_model()
    asker = UserFactory(username="reza", email="reza@example.com", display_name="Reza")
    expert = UserFactory(username="sam", email="sam@example.com", display_name="Sam from Support")
    voter = UserFactory(username="lena", email="lena@example.com", display_name="")
    topic = topic_create(
        forum=forum, poster=asker, subject="Paper jams every day", content="It **jams** daily."
    )
    answer = Post.objects.create(
        topic=topic,
        poster=expert,
        subject="Re: Paper jams every day",
        content="Clean the rollers:\n\n1. Open the cover\n2. Wipe",
        approved=True,
    )
    thanks = Post.objects.create(
        topic=topic, poster=asker, subject="Re: Paper jams", content="That was it!", approved=True
    )
    Post.objects.create(  # waiting for moderation: not exported
        topic=topic, poster=voter, subject="Re", content="Spam?", approved=False
    )
    TopicSolution.objects.create(topic=topic, post=answer, marked_by=expert)
    TopicMeToo.objects.create(topic=topic, user=voter)
    TopicMeToo.objects.create(topic=topic, user=expert)
    PostHelpfulVote.objects.create(post=answer, user=asker)
    PostHelpfulVote.objects.create(post=answer, user=voter)
    PostHelpfulVote.objects.create(post=thanks, user=expert)
    TopicLanguage.objects.create(topic=topic, language="fa")
    Attachment.objects.create(
        post=answer, file=ContentFile(png_bytes(), name="rollers.png"), comment="The rollers"
    )
    staff_room = Forum.objects.create(name="Staff room", type=Forum.FORUM_POST)  # private
    topic_create(forum=staff_room, poster=expert, subject="Internal pricing", content="Secret")
    assert User.objects.count() == 3
    return {"topic": topic}


def normalise(value):
    """Block values without database ids: files and pages by title, rich text as its HTML."""
    if isinstance(value, RichText):
        return value.source
    if isinstance(value, get_image_model() | get_document_model()):
        return ["file", value.title]
    if isinstance(value, Page):
        return ["page", value.locale.language_code, value.title]
    if isinstance(value, Mapping):
        return {key: normalise(item) for key, item in value.items()}
    if isinstance(value, list | tuple) or type(value).__name__ == "ListValue":
        return [normalise(item) for item in value]
    return value


def as_edited(page):
    return page if page.live else page.get_latest_revision_as_object()


def page_key(page) -> tuple[str, str]:
    return (page.locale.language_code, page.title)


def snapshot() -> dict:
    products = {}
    for stored in ProductPage.objects.select_related("locale"):
        page = as_edited(stored)
        products[page_key(stored)] = {
            "live": stored.live,
            "slug": page.slug,
            "summary": page.summary,
            "warranty": page.warranty_summary,
            "translations": sorted(page_key(p) for p in stored.get_translations()),
        }
    articles = {}
    for stored in ArticlePage.objects.select_related("locale"):
        page = as_edited(stored)
        articles[page_key(stored)] = {
            "live": stored.live,
            "slug": page.slug,
            "parent": stored.get_parent().title,
            "summary": page.summary,
            "type": page.article_type,
            "fields": [page.minutes, page.difficulty, page.course, page.lesson],
            "tags": sorted(t.name for t in page.tags.all()),
            "products": sorted(page_key(p) for p in page.products.all()),
            "translations": sorted(page_key(p) for p in stored.get_translations()),
            "body": [[b.block_type, normalise(b.value)] for b in page.body],
        }
    threads = {}
    for topic in Topic.objects.select_related("forum__parent", "poster"):
        posts = list(topic.posts.filter(approved=True).order_by("created", "pk"))
        solution = TopicSolution.objects.filter(topic=topic).select_related("marked_by").first()
        language = TopicLanguage.objects.filter(topic=topic).first()
        threads[topic.subject] = {
            "forum": [topic.forum.name, topic.forum.parent and topic.forum.parent.name],
            "language": language.language if language else settings.LANGUAGE_CODE,
            "created": topic.created,
            "posts": [
                [
                    p.poster.username,
                    p.content.raw,
                    p.created if i else None,  # the first post takes the topic's time
                    sorted(PostHelpfulVote.objects.filter(post=p).values_list("user__username")),
                ]
                for i, p in enumerate(posts)
            ],
            "solution": solution and [posts.index(solution.post), solution.marked_by.username],
            "me_too": sorted(TopicMeToo.objects.filter(topic=topic).values_list("user__username")),
        }
    users = {u.username: [u.email, u.display_name] for u in get_user_model().objects.all()}
    return {"products": products, "articles": articles, "threads": threads, "users": users}


def export(tmp_path, *args, name="backup.jsonl") -> tuple[list[str], str]:
    path = tmp_path / name
    out = StringIO()
    call_command("export_content", "--output", str(path), "--no-progress", *args, stdout=out)
    return path.read_text(encoding="utf-8").splitlines(), out.getvalue()


def run_import(path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_content", str(path), "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def wipe() -> None:
    """Everything the export holds; help centers, images and documents stay."""
    ProductPage.objects.all().delete()
    ArticlePage.objects.all().delete()
    Topic.objects.all().delete()
    Forum.objects.all().delete()
    get_user_model().objects.all().delete()
    assert not Page.objects.type(ArticlePage | ProductPage).exists()
    assert not Post.objects.exists() and not ImportedThread.objects.exists()


def test_export_empty_the_database_import_same_content(content, tmp_path):
    before = snapshot()
    lines, summary = export(tmp_path, "--include-drafts")
    assert "Exported 4 product(s), 6 article(s), 3 user(s), 2 thread(s)" in summary
    objects = [json.loads(line) for line in lines]
    assert [o["type"] for o in objects] == ["product"] * 4 + ["article"] * 6 + ["user"] * 3 + [
        "thread"
    ] * 2
    thread = next(o for o in objects if o.get("subject") == "Paper jams every day")
    assert thread["replies"][0]["attachments"] == [
        {
            "name": "rollers.png",
            "size": len(png_bytes()),
            "content_type": "image/png",
            "comment": "The rollers",
        }
    ]
    assert thread["solution_marked_by"] == "sam" and thread["locale"] == "fa"
    assert "Spam?" not in json.dumps(thread)

    wipe()
    out, err = run_import(tmp_path / "backup.jsonl")

    assert "Imported 6 article(s), 4 product(s), 2 thread(s), 3 user(s); 0 line(s) skipped." in out
    assert "1 attachment(s) not restored" in err and "rollers.png" in err
    assert 'forum "Staff room" created without permissions' in err
    after = snapshot()
    for part in before:
        assert after[part] == before[part], part
    restored = get_user_model().objects.get(username="reza")
    assert not restored.is_active and not restored.has_usable_password()
    assert not ArticlePage.objects.get(external_id="draft-firmware").live

    # A second export of the restored database says the same (attachments are not restored).
    again, _summary = export(tmp_path, "--include-drafts", name="again.jsonl")

    def without_files(line: str) -> dict:
        data = json.loads(line)
        for post in [data, *data.get("replies", [])]:
            post.pop("attachments", None)
        return data

    key = lambda data: json.dumps(data, sort_keys=True)  # noqa: E731
    assert sorted(map(key, map(without_files, again))) == sorted(
        map(key, map(without_files, lines))
    )


def test_reimport_into_the_same_database_updates_instead_of_duplicating(content, tmp_path):
    before = snapshot()
    counts = (ArticlePage.objects.count(), ProductPage.objects.count(), Post.objects.count())
    out, err = StringIO(), StringIO()
    call_command("export_content", "--output", "-", "--no-progress", stdout=out, stderr=err)
    assert "Exported 4 product(s), 5 article(s), 3 user(s), 2 thread(s) to stdout." in (
        err.getvalue()
    )
    lines = out.getvalue().splitlines()
    (tmp_path / "backup.jsonl").write_text(out.getvalue(), encoding="utf-8")
    objects = [json.loads(line) for line in lines]  # the summary is not mixed into the data
    ids = [o["external_id"] for o in objects if o["type"] in ("article", "product")]
    assert sum(bool(GENERATED_PAGE_ID.match(ref)) for ref in ids) == 4  # the router, SkyLink
    assert "Upcoming firmware" not in "".join(lines)  # drafts only with --include-drafts
    out, err = run_import(tmp_path / "backup.jsonl")
    assert "0 line(s) skipped" in out, err
    assert (ArticlePage.objects.count(), ProductPage.objects.count(), Post.objects.count()) == (
        counts
    )
    assert snapshot() == before
    assert not ArticlePage.objects.filter(live=True, external_id="").exists()
    assert ImportedThread.objects.filter(topic=content["topic"]).exists()


def test_a_corrupted_line_is_reported_by_number_and_skipped(content, tmp_path):
    lines, _summary = export(tmp_path)
    number = next(i for i, line in enumerate(lines, 1) if '"Paper jams every day"' in line)
    lines[number - 1] = lines[number - 1][:40]
    (tmp_path / "backup.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    wipe()
    out, err = run_import(tmp_path / "backup.jsonl")
    assert f"line {number}: not valid JSON" in err
    assert "1 line(s) skipped." in out
    assert list(Topic.objects.values_list("subject", flat=True)) == ["Internal pricing"]
    assert ArticlePage.objects.filter(external_id="p200-install", live=True).exists()


@pytest.mark.parametrize(
    "markdown",
    [
        "Have the **power cable** ready.\nSecond line with `code` and [a link](https://x.org/a_(b)).",
        "Intro:\n 1. first\n 2. second\n    - nested",
        "\\# not a heading, 1\\. not a step, Q\\: not a question, \\@video not a video",
        "Text with * stars *, _under_scores_, [brackets], a | pipe, ~tildes~, &amp; & <tags> too",
    ],
)
def test_rich_text_markdown_reads_back_to_the_same_html(markdown):
    html = inline_html(markdown)
    exported = rich_text_to_markdown(html)
    assert inline_html(exported) == html
    assert [kind for kind, _value in markdown_to_blocks(exported).blocks] == ["text"]
