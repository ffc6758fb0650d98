"""Hostile content in a real browser: XSS payloads everywhere people can type, and nothing runs.

Every payload of ``tests/support/xss.py`` is used as a topic subject, a post subject and body, a
display name, an attachment file name and comment, a report comment, a search query, an
ask-page title (and the new-topic subject it fills in) and an article feedback comment. Each
page that shows them is opened in Chromium with a hook, installed in every frame before any page
script, that records each call to ``alert``, ``confirm``, ``prompt`` and ``print``, and each
dialog. Payload number *n* calls its own marker, ``alert(700 + n)``, so a failure names the
payload that ran.

Pass: nothing ran; nothing that could run script later (an event handler attribute, a
``javascript:`` URL, an inline or foreign script, a frame, ``<base>``, a meta refresh) is in the
page; nothing was fetched from outside the site; and the text is still there for the reader.
Escaped fields (subjects, names, queries, file names, comments) show the payload literally; post
bodies show what the Markdown allowlist of ``forum/markup.py`` keeps.

The public site also sends a strict Content-Security-Policy (``script-src 'self'``), which would
block an injected inline handler even if escaping failed. The markup check above is what keeps
this test about escaping; CSP reports are recorded and printed, for information only.

Where every payload has its own value, they are seeded one each: display names, answers in
one shared thread (with their attachments) and reports, all shown together on a few pages.
Where a page shows a single value (a question's heading and window title, a profile, a search
query, an ask title, a feedback comment), consecutive payloads are bundled into one value within
the field's length limit, so every payload still reaches every such page in about 18 page views
instead of 76.

Pages are opened in batches of tabs, one request after the other (the live server shares one
in-memory SQLite connection between its threads). Each batch then settles for ``SETTLE_MS``
before its tabs are read, so every page has had at least that long to run something late
(autofocus, media errors).

Stored feedback comments are shown on no page, public or admin (the editors' dashboard only
counts votes): the form that gives a comment back after a mistake is the one place a browser
renders one, and the dashboard is checked to show no comment.
"""

import base64
import re
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from machina.apps.forum_conversation.forum_attachments.models import Attachment
from machina.apps.forum_conversation.models import Post, Topic
from machina.conf import settings as machina_settings
from PIL import Image
from wagtail.models import Locale

from forum.demo import topic_create
from forum.models import PostReport, ReportReason, TopicSolution
from forum.notifications import notifications_suppressed
from forum.views import ASK_TITLE_MAX
from kb.models import ArticleFeedback, FeedbackReason
from search.params import MAX_QUERY
from tests.e2e.conftest import ARTIFACTS, LOCAL_HOSTS
from tests.factories import UserFactory
from tests.factories.kb import make_article
from tests.support.xss import PAYLOADS, script_capable_parts

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_MARKER = 700
SETTLE_MS = 300
BATCH = 12

# Installed in every frame before the page's own scripts.
HOOK = """
(() => {
  if (Object.prototype.hasOwnProperty.call(window, "__xss")) { return; }
  const hits = [];
  const csp = [];
  Object.defineProperty(window, "__xss", { value: hits });
  Object.defineProperty(window, "__csp", { value: csp });
  function record(kind, args) {
    const entry = {
      kind, args: Array.prototype.map.call(args, String), url: String(location.href),
    };
    hits.push(entry);
    try {
      if (typeof window.__xssReport === "function") { window.__xssReport(entry); }
    } catch (e) { /* the report to the test is a copy; __xss still holds it */ }
  }
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = function () {
      record(name, arguments);
      return name === "confirm" ? false : null;
    };
  }
  document.addEventListener("securitypolicyviolation", (event) => {
    csp.push(event.violatedDirective + " " + event.blockedURI);
  }, true);
})();
"""

# One round trip per page: what the hook recorded, anything in the DOM that could run script
# now or on a click, hover or focus, and the texts the checks compare.
PROBE = """
(scanSelector) => {
  const problems = [];
  const flat = (value) => value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
  const badUrl = /^(javascript|vbscript|data:text\\/html|data:image\\/svg|data:application)/;
  const urlAttrs = new Set(["href", "src", "action", "formaction", "xlink:href", "data",
    "background", "poster", "srcset", "lowsrc", "dynsrc", "code", "codebase"]);
  const frames = new Set(["iframe", "frame", "frameset", "object", "embed", "applet", "base",
    "portal"]);
  const dataScripts = new Set(["application/ld+json", "application/json"]);
  const roots = scanSelector === null ? []
    : scanSelector ? Array.from(document.querySelectorAll(scanSelector)) : [document];
  for (const root of roots) {
    for (const el of root.querySelectorAll("*")) {
      const tag = el.localName;
      if (frames.has(tag)) { problems.push("<" + tag + ">"); }
      if (tag === "meta" && (el.getAttribute("http-equiv") || "").toLowerCase() === "refresh") {
        problems.push("<meta refresh>");
      }
      if (tag === "script") {
        const src = el.getAttribute("src");
        const type = (el.getAttribute("type") || "").toLowerCase();
        if (src ? new URL(src, location.href).origin !== location.origin : !dataScripts.has(type)) {
          problems.push("<script> " + el.outerHTML.slice(0, 120));
        }
      }
      for (const attr of Array.from(el.attributes)) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on") || name === "srcdoc"
            || (urlAttrs.has(name) && badUrl.test(flat(attr.value)))
            || (name === "style" && /javascript:|expression\\(/i.test(attr.value))) {
          problems.push(tag + "[" + name + "=" + attr.value.slice(0, 60) + "]");
        }
      }
    }
  }
  const text = (el) => (el ? el.innerText : "");
  const html = (el) => (el ? el.innerHTML : "");
  const all = (selector, f) => Array.from(document.querySelectorAll(selector)).map(f);
  return {
    xss: window.__xss.slice(),
    csp: window.__csp.slice(),
    problems,
    title: document.title,
    h1: text(document.querySelector("h1")),
    body: text(document.body),
    values: Object.fromEntries(all("input[id], textarea[id]", (el) => [el.id, el.value])),
    posts: all(".card.post", (post) => ({
      id: post.id,
      subject: text(post.querySelector(".subject")),
      html: html(post.querySelector(".post-content")),
      text: text(post.querySelector(".post-content")),
      sidebar: text(post.querySelector(".post-sidebar")),
      attachments: text(post.querySelector(".attachments")),
    })),
    solution: all("[data-solution]", (box) => ({
      html: html(box.querySelector(".post-content")),
      text: box.innerText,
    })),
    results: all(".result", (hit) => ({
      title: text(hit.querySelector(".result__title")),
      snippet: html(hit.querySelector(".result__snippet")),
    })),
    suggestions: all(".suggestion-list a", (a) => a.innerText),
  };
}
"""


def flat(text: str) -> str:
    """Text as a reader compares it: each run of whitespace is one space. Invisible format
    characters count as spaces too (the search box replaces them with one)."""
    return " ".join("".join(" " if unicodedata.category(c)[0] == "C" else c for c in text).split())


def squeezed(text: str) -> str:
    return "".join(text.split())


@dataclass(frozen=True)
class Payload:
    marker: int
    text: str  # the corpus payload, calling alert(<marker>) instead of alert(1)

    @property
    def flat(self) -> str:
        return flat(self.text)


def with_marker(payload: str, marker: int) -> str:
    """``payload`` calling ``alert(marker)``, also inside its base64 ``data:`` URL."""

    def rebase64(match: re.Match) -> str:
        inner = base64.b64decode(match.group(1)).decode().replace("(1)", f"({marker})")
        return "base64," + base64.b64encode(inner.encode()).decode()

    marked = re.sub(r"base64,([A-Za-z0-9+/=]+)", rebase64, payload)
    return marked.replace("(1)", f"({marker})")


HOSTILE = [
    Payload(FIRST_MARKER + index, with_marker(text, FIRST_MARKER + index))
    for index, text in enumerate(PAYLOADS)
]
BY_MARKER = {payload.marker: payload for payload in HOSTILE}


@dataclass(frozen=True)
class Bundle:
    """Consecutive payloads in one value, for the places that show one value per page."""

    payloads: tuple[Payload, ...]

    @property
    def text(self) -> str:
        return " ".join(payload.text for payload in self.payloads)

    @property
    def flat(self) -> str:
        return flat(self.text)


def bundled(limit: int) -> list[Bundle]:
    """Every payload, in order, packed into values of at most ``limit`` characters."""
    bundles, current = [], []
    for payload in HOSTILE:
        if current and len(Bundle((*current, payload)).text) > limit:
            bundles.append(Bundle(tuple(current)))
            current = []
        current.append(payload)
    return [*bundles, Bundle(tuple(current))]


# Search queries and ask titles are cut at 200 characters; subjects hold 255 and feedback
# comments 1000.
BUNDLES = bundled(min(MAX_QUERY, ASK_TITLE_MAX))
SUBJECT_BUNDLES = bundled(255)
COMMENT_BUNDLES = bundled(1000)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def topic_path(topic: Topic) -> str:
    return en(
        "forum_conversation:topic",
        forum_slug=topic.forum.slug,
        forum_pk=topic.forum_id,
        slug=topic.slug,
        pk=topic.pk,
    )


class HostileBrowser:
    """Tabs with the execution hook; every page read is checked for script that ran."""

    def __init__(self, page, live_server, name: str):
        self.context = page.context
        self.base = live_server.url
        self.name = name
        self.executions: list[dict] = []
        self.dialogs: list[str] = []
        self.off_site: list[str] = []
        self.csp: list[str] = []
        self.pages_read = 0
        self.tabs = []  # not the conftest's page, which fails on any CSP report
        self.context.add_init_script(HOOK)
        self.context.expose_binding(
            "__xssReport", lambda source, entry: self.executions.append(entry)
        )
        self.context.on("dialog", self._dialog)
        self.context.on("console", self._console)
        self.context.on(
            "request",
            lambda request: (
                self.off_site.append(request.url)
                if urlsplit(request.url).hostname not in LOCAL_HOSTS
                else None
            ),
        )

    def _dialog(self, dialog) -> None:
        page = dialog.page
        self.dialogs.append(f"{dialog.type}({dialog.message}) on {page.url if page else '?'}")
        dialog.dismiss()

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp.append(message.text)

    def tab(self, index: int):
        while len(self.tabs) <= index:
            self.tabs.append(self.context.new_page())
        return self.tabs[index]

    def sign_in(self, user) -> None:
        """Give the browser ``user``'s session (signing in itself is tested elsewhere)."""
        self.context.clear_cookies()
        client = Client()
        client.force_login(user)
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        self.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.base}])

    def prove_the_hook_works(self) -> None:
        """The hook, its report to the test and the markup scan must each catch a payload put
        there on purpose, or a green run would prove nothing."""
        tab = self.context.new_page()
        tab.goto(self.base + en("search:results"))
        tab.evaluate("alert(999)")  # Playwright's evaluate is not subject to the page's CSP
        tab.evaluate(
            "document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=alert(998)>')"
        )
        tab.wait_for_timeout(SETTLE_MS)
        probe = tab.evaluate(PROBE, "")
        assert [entry["args"] for entry in probe["xss"]] == [["999"]]
        assert [entry["args"] for entry in self.executions] == [["999"]]
        assert probe["problems"] == ["img[onerror=alert(998)]"]
        # The site's Content-Security-Policy blocked the handler; the hook saw the report.
        assert any(report.startswith("script-src") for report in probe["csp"]), probe["csp"]
        tab.close()
        self.executions.clear()
        self.csp.clear()

    def read(
        self,
        paths: Iterable[str],
        check: Callable[[dict, object], None],
        *,
        items: Iterable | None = None,
        open_page: Callable | None = None,
        screenshot: str | None = None,
        scan: str | None = "",
        status: int = 200,
    ) -> None:
        """Open each path (or let ``open_page(tab, url, item)`` get there), let the batch settle,
        then check that nothing ran and call ``check(probe, item)`` with what the page shows.

        ``scan`` limits the search for script-capable markup to a CSS selector; ``None`` skips it
        (for pages whose markup is not ours, such as Wagtail's admin).
        """
        paths = list(paths)
        items = list(items) if items is not None else list(paths)
        for start in range(0, len(paths), BATCH):
            batch = list(zip(paths, items, strict=True))[start : start + BATCH]
            # Each request waits for the one before; the browser loads the pages meanwhile.
            for index, (path, item) in enumerate(batch):
                tab = self.tab(index)
                if open_page:
                    response = open_page(tab, self.base + path, item)
                else:
                    response = tab.goto(self.base + path, wait_until="commit")
                assert response.status == status, f"{path}: HTTP {response.status}"
            for index in range(len(batch)):
                self.tab(index).wait_for_load_state("load")
            self.tabs[0].wait_for_timeout(SETTLE_MS)
            for index, (path, item) in enumerate(batch):
                self.check_tab(self.tab(index), check, item, label=path, scan=scan)
            if screenshot and start == 0:
                self.shoot(self.tab(0), screenshot)

    def check_tab(self, tab, check, item=None, *, label: str = "", scan: str | None = ""):
        """Assert nothing ran in ``tab`` and no script-capable markup is in it; then ``check``."""
        label = label or tab.url
        probe = tab.evaluate(PROBE, scan)
        self.csp += probe["csp"]
        ran = probe["xss"] + self.executions
        assert not ran, f"script ran on {label}: {self.describe(ran)}"
        assert not self.dialogs, f"dialogs on {label}: {self.dialogs}"
        assert not probe["problems"], f"script-capable markup on {label}: {probe['problems']}"
        check(probe, item)
        self.pages_read += 1

    @staticmethod
    def describe(entries: list[dict]) -> list[str]:
        described = []
        for entry in entries:
            described.append(f"{entry['kind']}({', '.join(entry['args'])}) at {entry['url']}")
            described += [
                f"  payload: {BY_MARKER[int(arg)].text!r}"
                for arg in entry["args"]
                if arg.isdigit() and int(arg) in BY_MARKER
            ]
        return described

    def shoot(self, tab, step: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{self.name}-{step}.png"))

    def finish(self) -> None:
        assert not self.executions, f"script ran: {self.describe(self.executions)}"
        assert not self.dialogs, f"dialogs: {self.dialogs}"
        assert not self.off_site, f"off-site requests: {self.off_site}"
        # Information only (see the module docstring).
        print(f"{self.name}: {self.pages_read} pages read; CSP reports: {self.csp or 'none'}")


def shows(probe: dict, text: str, where: str = "body") -> None:
    """``text`` is there for the reader, as text, in ``probe[where]``."""
    assert flat(text) in flat(probe[where]), f"{text!r} is not shown as text ({where})"


def assert_post_is_safe_text(post: dict, stored_html: str, payload: Payload) -> None:
    """A post body holds nothing that can run and shows exactly the text the sanitizer kept."""
    assert script_capable_parts(post["html"]) == [], (payload.text, post["html"])
    assert squeezed(post["text"]) == squeezed(text_of(stored_html)), payload.text
    if payload.text.startswith("`"):  # inline code and fenced code show the code literally
        assert f"<script>alert({payload.marker})</script>" in post["text"]
    if payload.text.startswith('<a href="https://example.com" onclick'):
        assert (
            '<a href="https://example.com" rel="nofollow ugc noopener">ok link</a>'
            in (post["html"])
        )


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """One browser sends every payload: the per-visitor rate limits are not under test here."""
    settings.RATE_LIMITS_ENABLED = False


@contextmanager
def quietly(settings):
    """Seed in one transaction without mails or live indexing, then index everything once."""
    settings.SEARCH_LIVE_INDEXING = False
    with notifications_suppressed(), transaction.atomic():
        yield
    call_command("search_reindex", "--no-progress")


@dataclass
class Member:
    payload: Payload
    user: object
    answer: Post  # their answer in the shared thread, made of the payload
    file_name: str


@dataclass
class Question:
    bundle: Bundle
    user: object  # named by the bundle
    topic: Topic  # subject and body made of the bundle, unanswered
    post: Post


@pytest.fixture
def hostile_forum(forum, settings, tmp_path):
    """Per payload: a member named by it answers in one shared thread with a post made of it,
    attaches a file named by it (when a file can have that name) and commented with it, and
    reports that answer with the payload as comment. Per bundle of payloads: a member named by
    the bundle asks a question made of it, left unanswered."""
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = Path(settings.MEDIA_ROOT) / machina_settings.ATTACHMENT_FILE_UPLOAD_TO
    folder.mkdir(parents=True)
    picture = tmp_path / "tiny.png"
    Image.new("RGB", (4, 4), "white").save(picture, format="PNG")
    asker = UserFactory(username="plain-asker", display_name="Plain Asker")
    members, questions = [], []
    with quietly(settings):
        thread = topic_create(
            forum=forum, poster=asker, subject="Hostile answers", content="Who can help?"
        )
        for index, payload in enumerate(HOSTILE):
            text = payload.text
            user = UserFactory(username=f"hostile-{index}", display_name=text)
            answer = Post.objects.create(
                topic=thread, poster=user, subject=text, content=text, approved=True
            )
            # A file name cannot hold "/"; those payloads still arrive as attachment comments.
            file_name = text if "/" not in text else f"hostile-{index}.png"
            (folder / file_name).write_bytes(picture.read_bytes())
            Attachment.objects.create(
                post=answer,
                file=f"{machina_settings.ATTACHMENT_FILE_UPLOAD_TO}/{file_name}",
                comment=text[:255],
            )
            PostReport.objects.create(
                post=answer, reporter=user, reason=ReportReason.OTHER, comment=text
            )
            members.append(Member(payload, user, answer, file_name))
        TopicSolution.objects.create(topic=thread, post=members[2].answer, marked_by=asker)
        for index, bundle in enumerate(SUBJECT_BUNDLES):
            user = UserFactory(username=f"hostile-bundle-{index}", display_name=bundle.text)
            topic = topic_create(forum=forum, poster=user, subject=bundle.text, content=bundle.text)
            questions.append(Question(bundle, user, topic, topic.posts.get()))
    return thread, members, questions


def test_forum_shows_hostile_subjects_bodies_names_and_attachments_as_text(
    live_server, page, forum, hostile_forum
):
    thread, members, questions = hostile_forum
    browser = HostileBrowser(page, live_server, "hostile-forum")
    browser.prove_the_hook_works()

    # Anonymous readers: the community index, the topic list, unanswered questions.
    def every_subject_listed(probe, _):
        for question in questions:
            shows(probe, question.bundle.text)

    browser.read([en("forum:index")], lambda probe, _: None, screenshot="index")
    assert len(questions) < machina_settings.FORUM_TOPICS_NUMBER_PER_PAGE
    browser.read(
        [en("forum:forum", slug=forum.slug, pk=forum.pk)],
        every_subject_listed,
        screenshot="topic-list",
    )
    browser.read([en("forum_unanswered")], every_subject_listed, screenshot="unanswered")

    # Each question: the subject in the heading and the window title, the body, the name.
    def question_page(probe, question: Question):
        shows(probe, question.bundle.text, "h1")
        shows(probe, question.bundle.text, "title")
        (post,) = probe["posts"]
        shows(post, question.bundle.text, "subject")
        shows(post, question.bundle.text, "sidebar")
        assert script_capable_parts(post["html"]) == [], post["html"]
        assert squeezed(post["text"]) == squeezed(text_of(question.post.content.rendered))

    browser.read(
        [topic_path(question.topic) for question in questions],
        question_page,
        items=questions,
        screenshot="question",
    )

    # Public member profiles show the display name.
    browser.read(
        [en("forum_member:profile", pk=question.user.pk) for question in questions],
        lambda probe, question: shows(probe, question.bundle.text),
        items=questions,
        screenshot="profile",
    )

    # A member (members may download attachments) reads every page of the shared thread.
    browser.sign_in(UserFactory(username="reader", display_name="Reader"))
    by_post = {str(member.answer.pk): member for member in members}
    answers_seen = []

    def thread_page(probe, _):
        for post in probe["posts"]:
            member = by_post.get(post["id"])
            if member is None:
                continue  # the question
            answers_seen.append(member)
            shows(post, member.payload.text, "subject")
            shows(post, member.payload.text, "sidebar")
            assert_post_is_safe_text(post, member.answer.content.rendered, member.payload)
            shows(post, member.file_name, "attachments")
            shows(post, member.payload.text[:255], "attachments")
        if probe["solution"]:
            (solution,) = probe["solution"]
            assert f"Answer by {members[2].payload.flat}," in flat(solution["text"])
            assert script_capable_parts(solution["html"]) == []

    per_page = machina_settings.TOPIC_POSTS_NUMBER_PER_PAGE
    browser.read(
        [f"{topic_path(thread)}?page={n}" for n in range(1, len(members) // per_page + 2)],
        thread_page,
        screenshot="thread",
    )
    assert len(answers_seen) == len(members)

    # A moderator reads the reports: each shows the reporter, the comment and the poster.
    browser.sign_in(UserFactory(username="boss", is_staff=True, is_superuser=True))

    def reports(probe, _):
        assert probe["body"].count("Something else") == len(members)
        for member in members:
            assert flat(probe["body"]).count(member.payload.flat) >= 3, member.payload.text

    browser.read([en("forum_reports")], reports, screenshot="reports")
    browser.finish()


@pytest.fixture
def hostile_threads(forum, settings):
    """Per bundle of payloads: a solved question made of it, answered by a member named by it."""
    asker = UserFactory(username="plain-asker", display_name="Plain Asker")
    with quietly(settings):
        for index, bundle in enumerate(BUNDLES):
            author = UserFactory(username=f"hostile-{index}", display_name=bundle.text)
            text = bundle.text
            topic = topic_create(forum=forum, poster=asker, subject=text, content=text)
            answer = Post.objects.create(
                topic=topic, poster=author, subject=text, content=text, approved=True
            )
            TopicSolution.objects.create(topic=topic, post=answer, marked_by=asker)


SUBJECTS = {bundle.flat for bundle in BUNDLES}


def search_hits_are_safe(probe) -> None:
    for hit in probe["results"]:
        assert flat(hit["title"]) in SUBJECTS, hit["title"]
        # Snippets are HTML on purpose: only the highlighting may be markup.
        assert set(re.findall(r"</?([a-zA-Z][^\s>/]*)", hit["snippet"])) <= {"mark"}, hit


def test_search_and_ask_show_hostile_queries_and_results_as_text(
    live_server, page, forum, hostile_threads
):
    browser = HostileBrowser(page, live_server, "hostile-search")
    browser.prove_the_hook_works()

    # Payloads as the query: echoed in the heading, the title and the header box, and found.
    def query_echoed(probe, bundle: Bundle):
        assert len(bundle.flat) <= MAX_QUERY
        assert f"Results for “{bundle.flat}”" in flat(probe["h1"])
        assert bundle.flat in flat(probe["title"])
        assert probe["values"]["header-search-q"] == bundle.flat
        search_hits_are_safe(probe)
        assert bundle.flat in [flat(hit["title"]) for hit in probe["results"]]

    browser.read(
        [f"/en/search/?q={quote(bundle.text)}" for bundle in BUNDLES],
        query_echoed,
        items=BUNDLES,
        screenshot="query",
    )

    # Broad queries list many hostile threads at once, with highlighted snippets.
    def many_hits(probe, _):
        assert len(probe["results"]) >= 3
        search_hits_are_safe(probe)

    browser.read(
        [f"/en/search/?q={word}&page_size=50" for word in ("alert", "script", "img", "javascript")],
        many_hits,
        screenshot="broad",
    )

    # The ask page: the title is echoed into its box and the solved thread is suggested.
    browser.sign_in(UserFactory(username="asker-2", display_name="Asker Two"))

    def ask_echoed(probe, bundle: Bundle):
        assert probe["values"]["ask-title"] == bundle.flat
        assert probe["suggestions"] and set(map(flat, probe["suggestions"])) <= SUBJECTS
        assert bundle.flat in map(flat, probe["suggestions"])

    browser.read(
        [f"/en/community/ask/?title={quote(bundle.text)}" for bundle in BUNDLES],
        ask_echoed,
        items=BUNDLES,
        screenshot="ask",
    )

    # Choosing a forum there carries the title into the new topic's subject field (a one-line
    # field: the browser drops line breaks from its value).
    def subject_prefilled(probe, bundle: Bundle):
        assert flat(probe["values"]["id_subject"]) == flat(re.sub(r"[\r\n]", "", bundle.text))

    topic_form = en("forum_conversation:topic_create", forum_slug=forum.slug, forum_pk=forum.pk)
    browser.read(
        [f"{topic_form}?subject={quote(bundle.text)}" for bundle in BUNDLES],
        subject_prefilled,
        items=BUNDLES,
        screenshot="new-topic",
    )

    # Suggestions drawn by script while typing, on the ask page and under the header box.
    tab = browser.tab(0)
    tab.goto(f"{live_server.url}/en/community/ask/")
    tab.locator("#ask-title").press_sequentially("script alert")
    tab.locator('[data-suggestion="thread"]').first.wait_for()
    tab.locator("#header-search-q").press_sequentially("script")
    tab.wait_for_timeout(SETTLE_MS)
    browser.shoot(tab, "typed")

    def typed(probe, _):
        shown = [flat(title) for title in probe["suggestions"]]
        assert shown and set(shown) <= SUBJECTS, shown

    browser.check_tab(tab, typed, label="suggestions while typing")
    browser.finish()


@pytest.fixture
def hostile_feedback(help_center):
    """An article with one "not helpful" vote per payload, each with the payload as comment."""
    article = make_article("Hostile feedback", external_id="hostile-feedback")
    ArticleFeedback.objects.bulk_create(
        ArticleFeedback(
            article=article,
            locale=Locale.objects.get(language_code="en"),
            helpful=False,
            reason=FeedbackReason.OTHER,
            comment=payload.text,
            voter=f"s:hostile-{payload.marker}",
        )
        for payload in HOSTILE
    )
    return article


def test_article_feedback_comments_never_run(live_server, page, settings, hostile_feedback):
    browser = HostileBrowser(page, live_server, "hostile-feedback")
    browser.prove_the_hook_works()
    article_url = hostile_feedback.get_url()

    # A comment sent without choosing Yes or No comes back in the form, as typed. Each tab
    # opens the article once, then sends again from the page that answered.
    def send_without_a_vote(tab, url, bundle: Bundle):
        comment = tab.locator("#feedback textarea[name=comment]")
        if not comment.count():
            tab.goto(url)
        comment.fill(bundle.text)
        with tab.expect_navigation(wait_until="commit") as navigation:
            tab.locator("#feedback").get_by_role("button", name="Send feedback").click()
        return navigation.value

    def comment_kept(probe, bundle: Bundle):
        assert flat(probe["values"]["id_comment"]) == bundle.flat
        assert "Choose Yes or No." in probe["body"]

    browser.read(
        [article_url] * len(COMMENT_BUNDLES),
        comment_kept,
        items=COMMENT_BUNDLES,
        open_page=send_without_a_vote,
        status=400,
        screenshot="form-error",
    )

    # Stored comments are listed nowhere; the editors' dashboard only counts the votes. (Its
    # Wagtail upgrade check would ask releases.wagtail.org; the conftest forbids off-site calls.)
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = False
    browser.sign_in(UserFactory(username="editor", is_staff=True, is_superuser=True))

    def dashboard(probe, _):
        assert "Hostile feedback" in probe["body"]
        assert f"0% (0/{len(HOSTILE)})" in probe["body"]
        for payload in HOSTILE:
            assert payload.flat not in flat(probe["body"])

    browser.read(["/admin/"], dashboard, scan=None, screenshot="dashboard")
    browser.finish()
