"""Write the knowledge base and the community as the JSON lines ``import_content`` reads.

``manage.py export_content`` streams one object a line, in an order a re-import can resolve:
products, then articles (each translation group's first page before its translations), then the
members the threads mention, then threads. Importing the file into a database with help centers
(``seed_demo`` or the admin) restores the content; importing it where it came from updates pages
and threads instead of duplicating them.

What round-trips: products (name, summary, warranty summary, slug, translations); articles in
every language (title, slug, summary, type, products, tags, minutes, difficulty, course, lesson,
translation links, live/draft with ``--include-drafts``) and their bodies as the Markdown
conventions of ``kb.markdown_blocks`` (headings, text, steps and their warnings, callouts,
images and files by title, videos, code, tables, questions and answers, related articles);
members (username, email, display name); threads (forum and its category, whether the forum was
public, language, subject, posts with author, text and date, the accepted answer and who marked
it, "me too" and helpful votes by username).

What does not round-trip:

- Binary files. Images and documents are referenced by title (the importer takes the first with
  that title; a "|" in an image title cuts it short) and must already exist where the file is
  imported. Forum attachments are listed (name, size, content type, comment); the import reports
  them instead of restoring them.
- Body details the Markdown conventions cannot say: video titles, download link texts, step
  images, table captions and header columns, "|" in table cells (written "/"), the position of a
  "related articles" block (it comes back last), several paragraphs in one text block (one text
  block each) or in a step, callout or answer (one paragraph), two adjacent steps or question
  blocks (merged), nested lists inside steps (flattened), internal links in rich text (kept as
  URLs), ``<b>``/``<i>`` (come back as ``<strong>``/``<em>``).
- Pages: unpublished changes of live pages (the live version is exported), aliases, product
  images, manuals and forum links, help center pages, article feedback and views. A translation
  whose original is not exported (a draft, without ``--include-drafts``) comes back on its own.
  An article is put back under its first product, the one it was under if it is among them.
- Members: passwords, groups, staff flags, active state (restored members are inactive and must
  reset their password); existing accounts are never changed.
- Threads: more than 500 replies (the importer refuses the line; the export warns), posts
  waiting for moderation, reply subjects, edit history, sticky/locked status,
  views, subscriptions, reports; forum descriptions and permissions beyond public or not (a
  forum anonymous visitors cannot read is recreated with no permissions at all).
"""

import json
import mimetypes
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic
from machina.apps.forum_permission.models import UserForumPermission
from wagtail.rich_text import RichText, expand_db_html

from forum.importing import MAX_REPLIES, thread_external_id
from forum.models import PostHelpfulVote, TopicMeToo, TopicSolution
from kb.importing import page_external_id
from kb.models import ArticlePage, ProductPage

CHUNK = 200

# ---------------------------------------------------------------------------------------------
# Rich text (the article HTML allowlist) → Markdown that ``inline_html`` turns back into it.
# ---------------------------------------------------------------------------------------------

BLOCK_TAGS = {"p", "ul", "ol", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}
VOID_TAGS = {"br", "img", "hr", "embed", "input", "wbr"}
ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Line starts that Markdown or the importer's line conventions would read as structure.
LINE_START = re.compile(
    r"^(?:(?P<hash>#{1,6}(?:\s|$))|(?P<mark>[>@=+-])|(?P<qa>[QA]:)|(?P<num>\d+)(?P<sep>[.)])"
    r"(?=\s|$)|(?P<warning>warning):)",
    re.IGNORECASE,
)


class _Node:
    __slots__ = ("attrs", "children", "tag")

    def __init__(self, tag: str, attrs: dict | None = None):
        self.tag, self.attrs, self.children = tag, attrs or {}, []


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Node(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _parse(source: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(source)
    builder.close()
    return builder.root


def _escape_text(text: str) -> str:
    """Backslash-escape what Markdown would read as inline syntax (CommonMark allows any)."""
    out = []
    for i, char in enumerate(text):
        if char in "\\`*[]<|~":
            out.append("\\" + char)
        elif char == "_":
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            out.append("_" if before.isalnum() and after.isalnum() else "\\_")
        else:
            out.append(char)
    return ENTITY_LIKE.sub(r"\\&", "".join(out))


def _escape_line_start(line: str) -> str:
    """Keep a text line from reading as a heading, list, quote, directive, Q/A or warning."""
    match = LINE_START.match(line)
    if match is None:
        return line
    if match["num"] is not None:
        return f"{match['num']}\\{line[len(match['num']) :]}"
    if match["qa"] is not None or match["warning"] is not None:
        colon = line.index(":")
        return f"{line[:colon]}\\{line[colon:]}"
    return "\\" + line


def _code_span(text: str) -> str:
    text = text.replace("\n", " ")
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or (text[0] == text[-1] == " " and text.strip()):
        text = f" {text} "
    return f"{fence}{text}{fence}"


def _link_target(href: str) -> str:
    href = href.strip().replace(" ", "%20").replace("\n", "")
    return re.sub(r"([()<>\\])", r"\\\1", href)


def _wrap(inner: str, mark: str) -> str:
    """``mark``…``mark`` around the words, with edge spaces outside (or nothing if empty)."""
    stripped = inner.strip(" ")
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(" "))]
    trail = inner[len(inner.rstrip(" ")) :]
    return f"{lead}{mark}{stripped}{mark}{trail}"


def _inline(nodes: Iterable) -> str:
    out: list[str] = []
    after_break = False
    for node in nodes:
        if isinstance(node, str):
            text = node
            if after_break and text.startswith("\n"):
                text = text[1:]
            out.append(_escape_text(text.replace("\n", " ")))
            after_break = False
            continue
        after_break = node.tag == "br"
        if node.tag == "br":
            out.append("\n")
        elif node.tag in ("strong", "b"):
            out.append(_wrap(_inline(node.children), "**"))
        elif node.tag in ("em", "i"):
            out.append(_wrap(_inline(node.children), "*"))
        elif node.tag == "code":
            out.append(_code_span(_plain(node)))
        elif node.tag == "a":
            inner = _inline(node.children)
            href = node.attrs.get("href") or ""
            out.append(f"[{inner}]({_link_target(href)})" if href and inner else inner)
        elif node.tag in VOID_TAGS:
            continue
        else:
            out.append(_inline(node.children))
    return "".join(out)


def _plain(node) -> str:
    if isinstance(node, str):
        return node
    return "".join(_plain(child) for child in node.children)


def _paragraph_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return [_escape_line_start(line) for line in lines]


def _list_lines(node: _Node, *, top: bool) -> list[str]:
    lines: list[str] = []
    number = 0
    for item in node.children:
        if isinstance(item, str) or item.tag != "li":
            continue
        number += 1
        # A top-level "1." at the start of a line is a step for the importer; one space in
        # front keeps it a list in the text.
        marker = f"{' ' if top else ''}{number}. " if node.tag == "ol" else "- "
        body = _blocks_markdown(item.children, compact=True, top=False).split("\n")
        pad = " " * len(marker)
        lines.append(marker + body[0])
        lines += [pad + line if line else line for line in body[1:]]
    return lines


def _blocks_markdown(nodes: Iterable, *, compact: bool, top: bool) -> str:
    """Markdown for a run of block and inline nodes; blocks apart by a blank line unless compact."""
    chunks: list[tuple[str, list[str]]] = []
    pending: list = []

    def flush():
        if pending:
            lines = _paragraph_lines(_inline(pending))
            if lines:
                chunks.append(("p", lines))
            pending.clear()

    for node in nodes:
        if isinstance(node, str) or node.tag not in BLOCK_TAGS:
            pending.append(node)
            continue
        flush()
        if node.tag in ("ul", "ol"):
            lines = _list_lines(node, top=top)
            if lines:
                chunks.append((node.tag, lines))
        elif node.tag in ("div", "blockquote"):
            inner = _blocks_markdown(node.children, compact=compact, top=top)
            if inner:
                chunks.append(("p", inner.split("\n")))
        else:
            lines = _paragraph_lines(_inline(node.children))
            if lines:
                chunks.append(("p", lines))
    flush()
    out: list[str] = []
    previous = None
    for kind, lines in chunks:
        if previous is not None:
            # A list may interrupt a paragraph; anything after a list, or a paragraph after a
            # paragraph, needs a blank line (which starts a new text block on import).
            joined = compact or (previous == "p" and kind in ("ul", "ol"))
            if not joined or (previous == kind and kind in ("ul", "ol")):
                out.append("")
        out += lines
        previous = kind
    return "\n".join(out)


def rich_text_to_markdown(source: str | RichText, *, compact: bool = False) -> str:
    """Markdown for article rich text; ``compact`` leaves no blank lines (for steps and answers).

    Links to pages and documents become their URLs; anything outside the article allowlist
    (bold, italic, links, lists, code, line breaks) is reduced to its text.
    """
    if isinstance(source, RichText):
        source = source.source
    tree = _parse(expand_db_html(source or ""))
    return _blocks_markdown(tree.children, compact=compact, top=True)


# ---------------------------------------------------------------------------------------------
# StreamField → Markdown (the conventions of kb.markdown_blocks)
# ---------------------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def _steps_markdown(value) -> str:
    lines = []
    for number, step in enumerate(value["steps"], start=1):
        text = rich_text_to_markdown(step["text"], compact=True).split("\n")
        prefix = f"{number}. "
        lines.append(prefix + text[0].strip())
        lines += ["   " + line.strip() for line in text[1:] if line.strip()]
        if warning := _one_line(step.get("warning") or ""):
            lines.append(f"   Warning: {warning}")
    return "\n".join(lines)


def _faq_markdown(value) -> str:
    lines = []
    for item in value["items"]:
        lines.append(f"Q: {_one_line(item['question'])}")
        answer = rich_text_to_markdown(item["answer"], compact=True).split("\n")
        answer = [line for line in answer if line.strip()] or [""]
        lines.append(f"A: {answer[0].strip()}".rstrip())
        lines += answer[1:]
    return "\n".join(lines)


def _table_markdown(value) -> str:
    rows = [
        [_one_line(str(cell) if cell is not None else "").replace("|", "/") for cell in row]
        for row in (value.get("data") or [])
    ]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    if value.get("first_row_is_table_header"):
        lines.insert(1, "| " + " | ".join(["---"] * width) + " |")
    return "\n".join(lines)


def _code_markdown(value) -> str:
    code = (value.get("code") or "").replace("\r\n", "\n").replace("\r", "\n")
    stripped = {line.strip() for line in code.split("\n")}
    fence = "~~~" if "```" in stripped else "```"
    language = value.get("language") or ""
    if not re.fullmatch(r"[\w+-]*", language):
        language = ""
    return f"{fence}{language}\n{code}\n{fence}"


def _heading_markdown(value) -> str:
    text = _one_line(value["text"])
    marks = "###" if value.get("level") == "h3" else "##"
    # A closing run of "#" would be read as the optional closing sequence: add one to keep it.
    return f"{marks} {text} {marks}" if text.endswith("#") else f"{marks} {text}"


def body_to_markdown(body, related_id) -> str:
    """The article body as importable Markdown; ``related_id(page)`` names a related article."""
    parts = []
    for block in body:
        kind, value = block.block_type, block.value
        if kind == "heading":
            parts.append(_heading_markdown(value))
        elif kind == "text":
            parts.append(rich_text_to_markdown(value))
        elif kind == "steps":
            parts.append(_steps_markdown(value))
        elif kind == "callout":
            label = {"warning": "Warning", "danger": "Danger"}.get(value["kind"], "Tip")
            text = " ".join(rich_text_to_markdown(value["text"], compact=True).split("\n"))
            parts.append(f"> {label}: {text.strip()}")
        elif kind == "image":
            if value.get("image") is not None:
                caption = _one_line(value.get("caption") or "")
                title = _one_line(value["image"].title)
                parts.append(f"@image {title} | {caption}" if caption else f"@image {title}")
        elif kind == "video":
            parts.append(f"@video {value['url']}")
        elif kind == "download":
            if value.get("document") is not None:
                parts.append(f"@file {_one_line(value['document'].title)}")
        elif kind == "code":
            parts.append(_code_markdown(value))
        elif kind == "table":
            parts.append(_table_markdown(value))
        elif kind == "faq":
            parts.append(_faq_markdown(value))
        elif kind == "related":
            ids = [related_id(page) for page in value["articles"] if page is not None]
            parts.append("\n".join(f"@related {ref}" for ref in ids if ref))
    return "\n\n".join(part for part in parts if part.strip()) + "\n"


# ---------------------------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------------------------


@dataclass
class ExportReport:
    counts: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _default_locale_first():
    return Case(
        When(locale__language_code=settings.LANGUAGE_CODE, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def _grouped(queryset, include_drafts: bool):
    """Pages by translation group, the default language (else the oldest) first."""
    if not include_drafts:
        queryset = queryset.filter(live=True)
    return (
        queryset.filter(alias_of__isnull=True)
        .select_related("locale")
        .annotate(default_first=_default_locale_first())
        .order_by("translation_key", "default_first", "pk")
    )


def _as_exported(page, include_drafts: bool):
    """A draft is exported as its latest revision; a live page as it is published."""
    if include_drafts and not page.live:
        revision = page.get_latest_revision_as_object()
        revision.locale = page.locale
        return revision
    return page


def _with_group(pages, kind: str) -> Iterator[tuple[object, str | None]]:
    """(page, external_id of its group's first exported page, or None for that first page)."""
    key, first_id = None, None
    for page in pages:
        if page.translation_key != key:
            key, first_id = page.translation_key, page_external_id(page, kind)
            yield page, None
        else:
            yield page, first_id


def product_lines(report: ExportReport, *, include_drafts: bool) -> Iterator[str]:
    pages = _grouped(ProductPage.objects.all(), include_drafts).iterator(chunk_size=CHUNK)
    for stored, original_id in _with_group(pages, "product"):
        page = _as_exported(stored, include_drafts)
        line = {
            "type": "product",
            "locale": stored.locale.language_code,
            "external_id": page_external_id(stored, "product"),
            **({"translation_of": original_id} if original_id else {}),
            "name": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "warranty_summary": page.warranty_summary,
            **({} if stored.live else {"live": False}),
        }
        report.counts["product"] += 1
        yield _dump(line)


def _related_namer(locale_code: str):
    cache: dict[int, str] = {}

    def name(page) -> str:
        if page.pk not in cache:
            specific = (
                ArticlePage.objects.filter(pk=page.pk)
                .select_related("locale")
                .only("external_id", "translation_key", "locale")
                .first()
            )
            cache[page.pk] = page_external_id(specific, "article") if specific else ""
        return cache[page.pk]

    return name


def article_line(stored: ArticlePage, original_id: str | None, *, include_drafts: bool) -> dict:
    page = _as_exported(stored, include_drafts)
    locale = stored.locale.language_code
    products = list(page.products.all())
    parent_id = stored.get_parent().pk if stored.depth > 1 else None
    products.sort(key=lambda p: p.pk != parent_id)  # the parent product first: it holds the page
    body = body_to_markdown(page.body, _related_namer(locale))
    return {
        "type": "article",
        "locale": locale,
        "external_id": page_external_id(stored, "article"),
        **({"translation_of": original_id} if original_id else {}),
        "article_type": page.article_type,
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "products": [page_external_id(p, "product") for p in products],
        "tags": sorted(tag.name for tag in page.tags.all()),
        "minutes": page.minutes,
        "difficulty": page.difficulty,
        "course": page.course,
        "lesson": page.lesson,
        "body_markdown": body,
        **({} if stored.live else {"live": False}),
    }


def article_lines(report: ExportReport, *, include_drafts: bool) -> Iterator[str]:
    queryset = _grouped(ArticlePage.objects.all(), include_drafts).prefetch_related(
        Prefetch("products", queryset=ProductPage.objects.select_related("locale")),
        "tagged_items__tag",
    )
    for stored, original_id in _with_group(queryset.iterator(chunk_size=CHUNK), "article"):
        line = article_line(stored, original_id, include_drafts=include_drafts)
        if not line["body_markdown"].strip():
            report.warnings.append(f"article {line['external_id']}: empty body, will not import")
        report.counts["article"] += 1
        yield _dump(line)


def _exported_topics():
    return Topic.objects.filter(approved=True, first_post__isnull=False)


def _thread_users():
    """Everyone the exported threads mention: posters, voters and solution markers."""
    topics = _exported_topics()
    posts = Post.objects.filter(topic__in=topics, approved=True)
    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=posts.values("poster_id"))
            | Q(pk__in=TopicMeToo.objects.filter(topic__in=topics).values("user_id"))
            | Q(pk__in=PostHelpfulVote.objects.filter(post__in=posts).values("user_id"))
            | Q(pk__in=TopicSolution.objects.filter(topic__in=topics).values("marked_by_id"))
        )
        .order_by("pk")
    )


def user_lines(report: ExportReport) -> Iterator[str]:
    for user in _thread_users().iterator(chunk_size=CHUNK):
        report.counts["user"] += 1
        yield _dump(
            {
                "type": "user",
                "username": user.username,
                "email": user.email,
                "display_name": user.display_name,
            }
        )


def _attachment_meta(attachment) -> dict:
    name = attachment.filename
    try:
        size = attachment.file.size
    except (OSError, ValueError):
        size = None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    meta = {"name": name, "size": size, "content_type": content_type}
    if attachment.comment:
        meta["comment"] = attachment.comment
    return meta


def _public_forums() -> set[int]:
    """Forums anonymous visitors may read: their own grant, or a global one not denied here."""
    rows = UserForumPermission.objects.filter(
        anonymous_user=True, permission__codename="can_read_forum"
    ).values_list("forum_id", "has_perm")
    granted = {forum_id for forum_id, has_perm in rows if has_perm}
    denied = {forum_id for forum_id, has_perm in rows if not has_perm}
    if None in granted:
        everything = set(Forum.objects.values_list("pk", flat=True))
        return everything - denied | (granted - {None})
    return granted


def _author(post) -> str:
    return post.poster.username if post.poster_id else (post.username or "anonymous")


def thread_line(topic: Topic, public_forums: set[int]) -> dict | None:
    """The thread's line; None when none of its posts is approved."""
    posts = list(
        topic.posts.filter(approved=True)
        .select_related("poster")
        .prefetch_related(
            "attachments",
            Prefetch(
                "helpful_votes",
                queryset=PostHelpfulVote.objects.select_related("user").order_by("user__username"),
            ),
        )
        .order_by("created", "pk")
    )
    if not posts:
        return None
    head = next((p for p in posts if p.pk == topic.first_post_id), posts[0])
    posts.remove(head)
    solution = getattr(topic, "solution", None)

    def votes(post) -> list[str]:
        return [vote.user.username for vote in post.helpful_votes.all()]

    def extras(post) -> dict:
        attachments = [_attachment_meta(a) for a in post.attachments.all()]
        return {
            **({"helpful": votes(post)} if post.helpful_votes.all() else {}),
            **({"attachments": attachments} if attachments else {}),
        }

    forum: Forum = topic.forum
    language = getattr(topic, "language_record", None)
    line = {
        "type": "thread",
        "external_id": thread_external_id(topic),
        "forum": forum.name,
        **({"forum_category": forum.parent.name} if forum.parent_id else {}),
        **({} if forum.pk in public_forums else {"forum_public": False}),
        # No language record means the default language (what the importer assumes too).
        "locale": language.language if language else settings.LANGUAGE_CODE,
        "subject": topic.subject,
        "author": _author(head),
        "created": topic.created.isoformat(),
        "body": head.content.raw,
        **extras(head),
        "me_too": list(
            TopicMeToo.objects.filter(topic=topic)
            .order_by("user__username")
            .values_list("user__username", flat=True)
        ),
        "replies": [
            {
                "author": _author(post),
                "created": post.created.isoformat(),
                "body": post.content.raw,
                **({"accepted": True} if solution and solution.post_id == post.pk else {}),
                **extras(post),
            }
            for post in posts
        ],
    }
    if solution is not None and any(p.pk == solution.post_id for p in posts):
        line["solution_marked_by"] = solution.marked_by.username if solution.marked_by else None
    return line


def thread_lines(report: ExportReport) -> Iterator[str]:
    public_forums = _public_forums()
    topics = (
        _exported_topics()
        .select_related("forum__parent", "solution__marked_by", "language_record", "import_record")
        .order_by("pk")
    )
    for topic in topics.iterator(chunk_size=CHUNK):
        line = thread_line(topic, public_forums)
        if line is None:
            continue
        if len(line["replies"]) > MAX_REPLIES:
            report.warnings.append(
                f"thread {line['external_id']}: more than {MAX_REPLIES} replies, will not import"
            )
        report.counts["thread"] += 1
        yield _dump(line)


def export_total(*, include_drafts: bool = False) -> int:
    """How many lines ``export_lines`` will write (for a progress bar)."""
    products = _grouped(ProductPage.objects.all(), include_drafts).count()
    articles = _grouped(ArticlePage.objects.all(), include_drafts).count()
    return products + articles + _thread_users().count() + _exported_topics().count()


def export_lines(report: ExportReport, *, include_drafts: bool = False) -> Iterator[str]:
    """Every line, in import order; counts and warnings go to ``report``."""
    yield from product_lines(report, include_drafts=include_drafts)
    yield from article_lines(report, include_drafts=include_drafts)
    yield from user_lines(report)
    yield from thread_lines(report)


__all__ = [
    "ExportReport",
    "body_to_markdown",
    "export_lines",
    "export_total",
    "rich_text_to_markdown",
]
