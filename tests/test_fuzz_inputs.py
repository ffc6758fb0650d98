"""Bad input everywhere: arbitrary unicode, huge and empty values at every public form and API.

Properties checked with Hypothesis:

* no public endpoint answers with a server error (status < 500, and no exception escapes);
* a form that is re-rendered with errors shows exactly what the user typed (parsed back out of
  the HTML and un-escaped, so the comparison is exact);
* an import line that cannot be imported is reported with its line number and skipped, and the
  lines after it still import.

Text sent over HTTP leaves out lone surrogates (category Cs): they cannot be encoded as UTF-8,
so no browser can send them; undecodable *bytes* are sent separately (``test_raw_bytes_*``).
NUL and other control characters are legal input and are included.

Rate limits, which have their own tests, are switched off so that every example reaches the
view; django-axes stays on (every example comes from a fresh address) because its handling of odd
usernames is part of what sign-in does with bad input.

Failing inputs found by this file are pinned with ``@example`` (and in the import-command
parametrisation) so they keep reproducing until fixed. The default test database is SQLite,
which neither refuses NUL in text nor enforces varchar lengths; production runs PostgreSQL, so
run this file against it too to see the examples marked "PostgreSQL":
``DATABASE_URL=postgres://… .venv/bin/pytest tests/test_fuzz_inputs.py``.
"""

import html
import itertools
import json
import re
import unicodedata
from io import StringIO
from urllib.parse import quote_from_bytes, urlencode

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from machina.apps.forum_conversation.models import Post

from forum.demo import topic_create
from tests.factories import UserFactory
from tests.factories.kb import make_article

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
LANGUAGE_CODES = ["en", "fa", "hi", "ka", "tl"]


def fuzz(examples: int):
    """Hypothesis settings for one endpoint: no deadline (requests render whole pages)."""
    return hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,  # nothing written into the working tree; failures are pinned with @example
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


# --- strategies ------------------------------------------------------------------------------

# Any character HTTP can carry as UTF-8: everything but lone surrogates (NUL included).
HTTP_CHAR = st.characters(exclude_categories=("Cs",))
WHITESPACE = " \t\r\n\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2007\u2028\u2029\u202f\u3000"
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark
    "\u202eevil\u202c",  # right-to-left override
    "שלום עולם",
    "مرحبا بالعالم",
    "سلام دنیا ۱۲۳",
    "नमस्ते दुनिया",
    "გამარჯობა",
    "🖨️💥👩‍👩‍👧‍👦🏳️‍🌈",
    "Z̷̧̛̤͍a̸͔͗l̵̢̛g̴̡̛o̷̗͐",
    "-1",
    "0",
    "00000000000000000000000000001",
    "1e309",
    "NaN",
    "-Infinity",
    "9" * 400,
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "%s%n%x%d",
    "{{ 7*7 }}{% debug %}",
    "${jndi:ldap://x}",
    "../../../../etc/passwd",
    "null",
    "[]",
    "{}",
    "*",
    "?",
    '"',
    "\\",
    "AND OR NOT ( ) [ ] { } ~ ^ : /",
]


def _long(alphabet=HTTP_CHAR):
    """5 000 to 20 000 characters, made by repeating a short random piece (cheap to generate)."""
    return st.builds(
        lambda piece, length: (piece * (length // len(piece) + 1))[:length],
        st.text(alphabet, min_size=1, max_size=8),
        st.integers(5_000, 20_000),
    )


MARKDOWN_TOKENS = [
    "#", "## ", "*", "**", "_", "`", "```", "~~~", "[", "]", "(", ")", "![", "> ", "> Tip: ",
    "- ", "1. ", "99999999999999999999. ", "|", "|---|", "Q: ", "A: ", "@related ", "@file ",
    "@image ", "<", ">", "&", "&#0;", "\\", "\n", "\n\n", "  ", "\t", "http://", "javascript:",
    "x", "word", "شبكة", "🖨️", "\x00",
]  # fmt: skip
markdownish = st.lists(st.sampled_from(MARKDOWN_TOKENS), max_size=60).map("".join)


def texts(max_size: int = 300, *, long: bool = True):
    """What a person (or a bot) might type into any text box."""
    options = [
        st.text(HTTP_CHAR, max_size=max_size),
        st.sampled_from(NASTY),
        st.text(st.sampled_from(WHITESPACE), max_size=12),
        st.integers().map(str),
        st.floats().map(str),
        st.text(st.characters(min_codepoint=0x0590, max_codepoint=0x08FF), max_size=40),  # RTL
        st.text(st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), max_size=20),
        st.text(st.characters(max_codepoint=0x9F, categories=("Cc",)), max_size=20),
        markdownish,
    ]
    if long:
        options.append(_long())
    return st.one_of(*options)


def choice_or_junk(valid):
    return st.one_of(st.sampled_from(valid), texts(20, long=False))


_addresses = itertools.count(1)


def fresh_client(**extra) -> Client:
    """A client from its own address, so per-address limits never blur the property."""
    n = next(_addresses)
    return Client(REMOTE_ADDR=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}", **extra)


def form_post(client: Client, url: str, data: dict, **extra):
    """POST the way a browser submits a plain form: application/x-www-form-urlencoded."""
    return client.post(
        url, urlencode(data), content_type="application/x-www-form-urlencoded", **extra
    )


# --- reading typed values back out of a re-rendered form --------------------------------------

_TAG = re.compile(r"<(input|textarea)\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')


def rendered_value(page: str, name: str) -> str | None:
    """The value the page shows in the field called ``name``, un-escaped; None if no field."""
    for match in _TAG.finditer(page):
        attrs = dict(_ATTR.findall(match.group(2)))
        if attrs.get("name") != name:
            continue
        if match.group(1).lower() == "input":
            return html.unescape(attrs.get("value", ""))
        body = page[match.end() : page.index("</textarea>", match.end())]
        # Django writes a newline after <textarea> (HTML drops the first one).
        return html.unescape(body.removeprefix("\n"))
    return None


def assert_kept(page: str, name: str, typed: str) -> None:
    shown = rendered_value(page, name)
    assert shown is not None, f"the re-rendered form has no {name!r} field"
    assert shown == typed, f"{name!r} lost what was typed: {typed!r} came back as {shown!r}"


def one_line(text: str, limit: int) -> str:
    """What search and ask make of a typed query (core.text.single_line), done independently.

    A legitimate normalisation, not lost input: control and format characters (Unicode category
    C: NUL, ESC, zero-width and direction marks, unassigned code points) become spaces, as
    PostgreSQL refuses NUL; runs of whitespace become one space; the result is capped.
    """
    visible = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    return " ".join(visible.split())[:limit]


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def no_rate_limits(settings):
    settings.RATE_LIMITS_ENABLED = False


@pytest.fixture
def database_search(use_search_backend):
    use_search_backend({"BACKEND": "search.backends.database"})


@pytest.fixture
def thread(forum):
    """A question with one reply, by two members."""
    asker, expert = UserFactory(), UserFactory()
    topic = topic_create(
        forum=forum, poster=asker, subject="Printer offline", content="It says offline."
    )
    reply = Post.objects.create(
        topic=topic,
        poster=expert,
        subject="Re: Printer offline",
        content="Reserve its IP address.",
        approved=True,
    )
    return {"forum": forum, "topic": topic, "reply": reply, "asker": asker, "expert": expert}


@pytest.fixture
def article(help_center):
    return make_article("Install the printer driver")


# --- sign-up and sign-in ---------------------------------------------------------------------

SIGNUP_URL = "/en/accounts/signup/"
LOGIN_URL = "/en/accounts/login/"

usernames = st.one_of(texts(200), st.from_regex(r"\A[\w.@+-]{1,40}\Z"))
emails = st.one_of(texts(300), st.emails(), st.from_regex(r"\A[^@\s]{1,20}@[^@\s]{1,20}\Z"))
passwords = st.one_of(texts(200), st.just("printer-ink-is-pricey-42"))


@fuzz(40)
@given(
    username=usernames,
    email=emails,
    display_name=texts(100),
    password1=passwords,
    password2=passwords,
    website=st.one_of(st.just(""), texts(50, long=False)),
)
def test_signup_never_fails_and_keeps_what_was_typed(
    no_rate_limits, username, email, display_name, password1, password2, website
):
    data = {
        "username": username,
        "email": email,
        "display_name": display_name,
        "password1": password1,
        "password2": password2,
        "website": website,
    }
    client = fresh_client()
    response = form_post(client, SIGNUP_URL, data)
    assert response.status_code < 500
    if response.status_code == 302:  # a valid sign-up: the welcome message shows the name
        assert client.get(response["Location"]).status_code == 200
        assert client.get("/en/accounts/profile/").status_code == 200
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page, "a refused sign-up must say why"
    # Passwords are never sent back (PasswordInput), everything else is shown as typed.
    for name in ("username", "email", "display_name"):
        assert_kept(page, name, data[name])


def assert_axes_rows_fit_their_columns():
    """django-axes stores the typed username in varchar(255) columns: SQLite accepts anything,
    PostgreSQL (production) refuses longer values with a DataError, i.e. a 500."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.db.models.functions import Length

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        limit = model._meta.get_field("username").max_length
        too_long = model.objects.annotate(n=Length("username")).filter(n__gt=limit)
        assert not too_long.exists(), f"{model.__name__}.username holds more than {limit} chars"


@fuzz(30)
@given(username=usernames, password=texts(200), next_url=texts(100, long=False))
# Found here: AuthenticationForm does not enforce the username's max_length, so authenticate()
# runs and django-axes recorded the whole username: a DataError (500) on PostgreSQL.
@example(username="0" * 256, password="0", next_url="")
def test_login_never_fails_and_keeps_the_username(username, password, next_url):
    response = form_post(
        fresh_client(),
        LOGIN_URL,
        {"username": username, "password": password, "next": next_url},
    )
    assert response.status_code < 500
    assert_axes_rows_fit_their_columns()
    if response.status_code == 200:
        assert_kept(response.content.decode(), "username", username)


@fuzz(30)
@given(display_name=texts(100), email=emails)
def test_profile_never_fails_and_keeps_what_was_typed(display_name, email):
    client = fresh_client()
    client.force_login(UserFactory())
    data = {"display_name": display_name, "email": email}
    response = form_post(client, "/en/accounts/profile/", data)
    assert response.status_code < 500
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200
        return
    page = response.content.decode()
    for name in ("display_name", "email"):
        assert_kept(page, name, data[name])


@fuzz(25)
@given(email=emails)
def test_password_reset_never_fails_and_keeps_the_email(no_rate_limits, email):
    response = form_post(fresh_client(), "/en/accounts/password-reset/", {"email": email})
    assert response.status_code < 500
    if response.status_code == 200:
        assert_kept(response.content.decode(), "email", email)


# --- asking a question -----------------------------------------------------------------------


@fuzz(30)
@given(title=texts(), signed_in=st.booleans())
def test_ask_page_never_fails_and_keeps_the_title(help_center, thread, title, signed_in):
    client = fresh_client()
    if signed_in:
        client.force_login(thread["asker"])
    response = client.get("/en/community/ask/", {"title": title})
    assert response.status_code == 200
    assert_kept(response.content.decode(), "title", one_line(title, 200))


@fuzz(30)
@given(q=texts(), to=texts(100, long=False))
@example(q="", to="0")  # found here: redirect("0") tried reverse("0"): NoReverseMatch, a 500
def test_ask_suggestions_and_open_never_fail(help_center, thread, q, to):
    client = fresh_client()
    response = client.get("/en/community/ask/suggestions/", {"q": q})
    assert response.status_code == 200
    assert response.json()["query"] == one_line(q, 200)
    response = client.get("/en/community/ask/open/", {"to": to, "q": q})
    assert response.status_code < 500


def _posting_form(subject, content, extra):
    return {
        "subject": subject,
        "content": content,
        "attachment-TOTAL_FORMS": "0",
        "attachment-INITIAL_FORMS": "0",
        "attachment-MIN_NUM_FORMS": "0",
        "attachment-MAX_NUM_FORMS": "5",
        **extra,
    }


posting_extras = st.fixed_dictionaries(
    {},
    optional={
        "topic_type": choice_or_junk(["0", "1", "2", ""]),
        "website": texts(50, long=False),
        "attachment-TOTAL_FORMS": choice_or_junk(["0", "1", "5", "1000", "-1"]),
        "enable_signature": choice_or_junk(["on", ""]),
        "lock_topic": choice_or_junk(["on", ""]),
    },
)


def _check_posting_response(client, response, subject, content):
    assert response.status_code < 500
    if response.status_code in (200, 429):  # re-rendered with an error
        page = response.content.decode()
        assert_kept(page, "subject", subject)
        assert_kept(page, "content", content)
    else:  # posted: the topic page now renders what was typed
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200


@fuzz(30)
@given(
    subject=texts(400),
    content=st.one_of(texts(), st.just("x" * 20_001)),
    extra=posting_extras,
)
def test_new_topic_never_fails_and_keeps_what_was_typed(
    no_rate_limits, forum, subject, content, extra
):
    client = fresh_client()
    client.force_login(UserFactory())  # a fresh member: never at the posting limit
    url = reverse("forum_conversation:topic_create", args=[forum.slug, forum.pk])
    response = client.post(url, _posting_form(subject, content, extra))
    _check_posting_response(client, response, subject, content)


@fuzz(25)
@given(subject=texts())
def test_new_topic_page_prefills_any_subject(forum, subject):
    client = fresh_client()
    client.force_login(UserFactory())
    url = reverse("forum_conversation:topic_create", args=[forum.slug, forum.pk])
    response = client.get(url, {"subject": subject})
    assert response.status_code == 200
    # Prefilled only when non-empty, cut at the ask title's length.
    assert_kept(response.content.decode(), "subject", subject[:200])


@fuzz(30)
@given(
    subject=texts(400),
    content=st.one_of(texts(), st.just("y" * 20_001)),
    extra=posting_extras,
)
def test_reply_never_fails_and_keeps_what_was_typed(
    no_rate_limits, thread, subject, content, extra
):
    topic = thread["topic"]
    client = fresh_client()
    client.force_login(UserFactory())
    url = reverse(
        "forum_conversation:post_create",
        args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk],
    )
    response = client.post(url, _posting_form(subject, content, extra))
    _check_posting_response(client, response, subject, content)


# --- votes and feedback ----------------------------------------------------------------------

VOTE_ENDPOINTS = {
    "helpful": "/en/community/post/{id}/helpful/",
    "mark_solution": "/en/community/post/{id}/solution/",
    "report": "/en/community/post/{id}/report/",
    "me_too": "/en/community/topic/{id}/me-too/",
    "clear_solution": "/en/community/topic/{id}/solution/clear/",
    "follow": "/en/community/forum/{id}/follow/",
}
bodies = st.dictionaries(
    st.one_of(st.sampled_from(["reason", "comment", "state", "post", "id"]), texts(20, long=False)),
    texts(200),
    max_size=4,
)


@fuzz(40)
@given(
    endpoint=st.sampled_from(sorted(VOTE_ENDPOINTS)),
    object_id=st.one_of(st.sampled_from(["real", "other"]), st.integers(0, 10**30)),
    who=st.sampled_from(["asker", "expert", "stranger", "anonymous"]),
    body=bodies,
    as_json=st.booleans(),
)
def test_votes_never_fail(no_rate_limits, thread, endpoint, object_id, who, body, as_json):
    topic, reply = thread["topic"], thread["reply"]
    real = {"me_too": topic.pk, "clear_solution": topic.pk, "follow": thread["forum"].pk}
    if object_id == "real":
        object_id = real.get(endpoint, reply.pk)
    elif object_id == "other":
        object_id = topic.first_post_id if endpoint in ("helpful", "mark_solution") else reply.pk
    client = fresh_client()
    if who != "anonymous":
        client.force_login(thread.get(who) or UserFactory())
    url = VOTE_ENDPOINTS[endpoint].format(id=object_id)
    response = form_post(client, url, body, **(JSON if as_json else {}))
    assert response.status_code < 500
    if as_json and response.get("Content-Type") == "application/json":
        response.json()


@fuzz(25)
@given(
    reason=choice_or_junk(["spam", "abuse", "wrong", "other", ""]),
    comment=st.one_of(texts(1500), st.just("r" * 1001)),
)
def test_report_form_never_fails_and_keeps_the_comment(thread, reason, comment):
    client = fresh_client()
    client.force_login(UserFactory())
    url = f"/en/community/post/{thread['reply'].pk}/report/"
    response = form_post(client, url, {"reason": reason, "comment": comment})
    assert response.status_code < 500
    if response.status_code == 200:
        assert_kept(response.content.decode(), "comment", comment)
    else:
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200


FEEDBACK_REASONS = ["", "outdated", "not_solved", "hard_to_follow", "other"]


@fuzz(40)
@given(
    page=st.one_of(st.sampled_from(["article", "home"]), st.integers(0, 10**30)),
    fields=st.fixed_dictionaries(
        {},
        optional={
            "helpful": choice_or_junk(["yes", "no", "", "YES", "true", "1"]),
            "reason": choice_or_junk(FEEDBACK_REASONS),
            "comment": st.one_of(texts(1500), st.just("z" * 1001)),
        },
    ),
    as_json=st.booleans(),
)
# Found here: a page id above 2**63 - 1 reached SQLite: OverflowError, a 500 (JSON or not).
@example(page=2**63, fields={}, as_json=False)
def test_article_feedback_never_fails_and_keeps_the_comment(
    no_rate_limits, help_center, article, page, fields, as_json
):
    page_id = {"article": article.pk, "home": help_center.pk}.get(page, page)
    client = fresh_client()
    response = form_post(client, f"/en/kb/feedback/{page_id}/", fields, **(JSON if as_json else {}))
    assert response.status_code < 500
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200
    if as_json and response.status_code != 302:
        response.json()
    elif response.status_code == 400:  # the article re-rendered with the form's errors
        assert_kept(response.content.decode(), "comment", fields.get("comment", ""))


# --- search ----------------------------------------------------------------------------------

search_params = st.fixed_dictionaries(
    {},
    optional={
        "q": texts(),
        "kind": choice_or_junk(["article", "thread", ""]),
        "product": texts(200),
        "locale": choice_or_junk([*LANGUAGE_CODES, "all", "", "EN", "en-us"]),
        "solved": choice_or_junk(["yes", "no", "true", "false", "1", "0", "", "YES"]),
        "page": st.one_of(st.integers(-5, 1500).map(str), texts(20, long=False)),
        "page_size": st.one_of(st.integers(-5, 100).map(str), texts(20, long=False)),
    },
)


@fuzz(40)
@given(params=search_params)
def test_search_page_never_fails_and_keeps_the_query(
    no_rate_limits, database_search, article, thread, params
):
    response = fresh_client().get("/en/search/", params)
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert_kept(page, "q", one_line(params.get("q", ""), 200))


@fuzz(40)
@given(params=search_params)
def test_search_api_never_fails(no_rate_limits, database_search, article, thread, params):
    response = fresh_client().get("/api/search/", params)
    assert response.status_code in (200, 400)
    body = response.json()
    if response.status_code == 200:
        assert body["query"] == one_line(params.get("q", ""), 200)
    else:
        assert body["error"]


@fuzz(30)
@given(q=texts(), locale=choice_or_junk([*LANGUAGE_CODES, ""]))
def test_search_suggest_and_click_never_fail(
    no_rate_limits, database_search, article, thread, q, locale
):
    client = fresh_client()
    response = client.get("/api/search/suggest/", {"q": q, "locale": locale})
    assert response.status_code == 200
    assert response.json()["query"] == one_line(q, 100)
    response = form_post(client, "/api/search/click/", {"q": q, "locale": locale})
    assert response.status_code == 204


# --- bytes that are not UTF-8 at all ---------------------------------------------------------


@fuzz(25)
@given(raw=st.binary(max_size=300))
def test_raw_bytes_in_query_strings_and_bodies_never_fail(
    no_rate_limits, database_search, help_center, raw
):
    encoded = quote_from_bytes(raw, safe="")
    client = fresh_client()
    for url in (
        f"/en/search/?q={encoded}&product={encoded}",
        f"/api/search/?q={encoded}&kind={encoded}",
        f"/api/search/suggest/?q={encoded}",
        f"/en/community/ask/?title={encoded}",
        f"/en/community/ask/suggestions/?q={encoded}",
    ):
        assert client.get(url).status_code < 500, url
    for url, field in (
        (SIGNUP_URL, "username"),
        (LOGIN_URL, "username"),
        ("/api/search/click/", "q"),
    ):
        body = f"{field}={encoded}&email={encoded}&password={encoded}".encode()
        response = client.post(url, body, content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, url
        response = client.post(url, raw, content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, url


# --- import lines ----------------------------------------------------------------------------

json_strings = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(categories=("Cs",)), min_size=1, max_size=3),  # spelt "\\udXXX"
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | json_strings,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


def plausible(*values):
    """A field's value: usually a sensible one, sometimes anything JSON can hold."""
    return st.one_of(st.sampled_from(values), json_values)


RECORD_FIELDS = {
    "locale": plausible(*LANGUAGE_CODES),
    "name": plausible("Printer", "InkWell P200", "طابعة", "a\x00b"),
    "title": plausible("Install the driver", "ტესტი", "x" * 300),
    "summary": plausible("A short summary.", ""),
    "article_type": plausible("guide", "training", "troubleshooting", "faq", "policy"),
    "body_markdown": plausible("## Fix\n\n1. Restart.\n", "[[related:ax-1]]", "x"),
    "product": plausible("InkWell P200", ""),
    "tags": plausible(["wifi"], [], ["x" * 101], ["a\x00b"]),
    "external_id": plausible("ax-1", "ax-2", ""),
    "translation_of": plausible("ax-1", "missing"),
    "difficulty": plausible("beginner", "expert"),
    "minutes": plausible(5, 0, 10_001, -1),
    "lesson": plausible(1, None),
    "course": plausible("Basics"),
    "subject": plausible("Printer offline", "a\x00b"),
    "body": plausible("It says offline."),
    "forum": plausible("Printers", "Routers"),
    "author": plausible("sam", "mona", " "),
    "created": plausible(
        "2024-05-01T10:00:00",
        "2024-05-01T10:00:00+02:00",
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59-01:00",
        "yesterday",
    ),
    "replies": plausible(
        [{"body": "Restart it.", "author": "sam", "accepted": True, "helpful": ["mona"]}],
        [{"body": "x", "author": "sam", "attachments": [{"name": "a.png", "size": -1}]}],
        [],
    ),
    "username": plausible("sam", "mona", "x" * 151),
    "email": plausible("sam@example.com", "SAM@EXAMPLE.COM", "not an email"),
    "display_name": plausible("Sam", "x" * 61),
    "slug": plausible("install-the-driver", "not a slug", "شبكة"),
    "live": plausible(True, False),
    "products": plausible(["InkWell P200"], []),
    "forum_public": plausible(True, False),
    "forum_category": plausible("Products", "Hidden"),
    "me_too": plausible(["sam", "mona"], [" "]),
    "helpful": plausible(["sam"], []),
    "attachments": plausible([{"name": "a.png", "size": 10, "content_type": "image/png"}], []),
    "solution_marked_by": plausible("mona", None, ""),
    "warranty_summary": plausible("Two years."),
}
RECORD_FIELDS["type"] = plausible("product", "article", "thread", "user")
# A valid line of each type, so that most generated lines get past the first check and a few
# changed fields reach the deeper code.
VALID_RECORDS = {
    "product": {"type": "product", "name": "InkWell P200", "locale": "en"},
    "article": {
        "type": "article",
        "locale": "en",
        "title": "Install the driver",
        "article_type": "guide",
        "summary": "A short summary.",
        "body_markdown": "## Fix\n\n1. Restart.\n",
        "product": "InkWell P200",
    },
    "thread": {
        "type": "thread",
        "subject": "Printer offline",
        "body": "It says offline.",
        "forum": "Printers",
        "author": "sam",
        "created": "2024-05-01T10:00:00+00:00",
    },
    "user": {"type": "user", "username": "sam", "email": "sam@example.com"},
}
changes = st.lists(st.sampled_from(sorted(RECORD_FIELDS)), max_size=3, unique=True).flatmap(
    lambda keys: st.fixed_dictionaries({key: RECORD_FIELDS[key] for key in keys})
)
records = st.one_of(
    st.builds(
        lambda kind, changed: {**VALID_RECORDS[kind], **changed},
        st.sampled_from(sorted(VALID_RECORDS)),
        changes,
    ),
    st.fixed_dictionaries(
        {"type": RECORD_FIELDS["type"]},
        optional={key: value for key, value in RECORD_FIELDS.items() if key != "type"},
    ),
)
# One line of a file: a JSON record (escaped to ASCII, as json.dumps writes it), any JSON value,
# or any text at all. Files are read as UTF-8 with errors replaced, so a line never holds a lone
# surrogate or a line break; JSON escapes can still spell surrogates out ("\ud800").
lines = st.one_of(
    records.map(json.dumps),
    json_values.map(json.dumps),
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r\n"), max_size=200),
)

# Found here: each of these lines stopped the whole import with an exception.
UNHASHABLE_TYPE = '{"type": ["article"]}'
UNHASHABLE_LOCALE = '{"type": "product", "name": "Printer", "locale": ["en"]}'
UNHASHABLE_THREAD_LOCALE = (
    '{"type": "thread", "subject": "s", "body": "b", "forum": "Printers", "author": "sam", '
    '"locale": ["en"]}'
)
SURROGATE = '{"type": "product", "name": "\\ud800"}'
DEEP_NESTING = "[" * 100_000
HUGE_NUMBER = "1" * 5_000
NAIVE_DATE = (
    '{"type": "thread", "subject": "s", "body": "b", "forum": "Printers", "author": "sam", '
    '"created": "2024-05-01T10:00:00"}'
)
# PostgreSQL only (SQLite stores these): NUL in any text, a tag longer than taggit's 100 chars.
NUL_IN_TEXT = '{"type": "product", "name": "a\\u0000b"}'
LONG_TAG = json.dumps({**VALID_RECORDS["article"], "title": "Tagged", "tags": ["t" * 101]})
DATE_OUT_OF_RANGE = (
    '{"type": "thread", "subject": "s", "body": "b", "forum": "Printers", "author": "sam", '
    '"created": "0001-01-01T00:00:00+01:00"}'
)


def _check_report(batch, report):
    numbered = [n for n, line in enumerate(batch, start=1) if line.strip()]
    skipped = [n for n, _message in report.errors]
    assert len(set(skipped)) == len(skipped), "a line was reported twice"
    assert set(skipped) <= set(numbered), "an error names a line that is blank or not there"
    assert sum(report.imported.values()) + len(skipped) == len(numbered), (
        "every non-blank line is either imported or reported"
    )


@fuzz(40)
@given(batch=st.lists(lines, max_size=5))
@example(batch=[UNHASHABLE_TYPE])
@example(batch=[UNHASHABLE_LOCALE])
@example(batch=[UNHASHABLE_THREAD_LOCALE])
@example(batch=[SURROGATE])
@example(batch=[DEEP_NESTING])
@example(batch=[HUGE_NUMBER])
@example(batch=[DATE_OUT_OF_RANGE])
@example(batch=[NAIVE_DATE])
@example(batch=[NUL_IN_TEXT])
@example(batch=[LONG_TAG])
def test_import_lines_report_bad_lines_and_never_crash(help_center, batch):
    from machina.apps.forum_conversation.models import Topic
    from wagtail.models import Page

    from core.importing import import_lines
    from forum.views import topic_url

    last_page = Page.objects.order_by("-pk").values_list("pk", flat=True).first()
    last_topic = Topic.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    report = import_lines(batch)
    _check_report(batch, report)
    # Whatever was imported renders (a thread in a non-public forum asks visitors to sign in).
    client = fresh_client()
    for page in Page.objects.live().filter(pk__gt=last_page).specific():
        assert client.get(page.url).status_code == 200, page.url
    for topic in Topic.objects.filter(pk__gt=last_topic).select_related("forum"):
        response = client.get(topic_url(topic))
        assert response.status_code in (200, 302), topic.subject
        if response.status_code == 302:
            assert response["Location"].startswith(LOGIN_URL)


GOOD_LINE = json.dumps({"type": "product", "name": "Good printer after a bad line"})


BAD_LINES = {
    "not-json": "not json",
    "unknown-type": '{"type": "widget"}',
    "unhashable-type": UNHASHABLE_TYPE,
    "unhashable-locale": UNHASHABLE_LOCALE,
    "unhashable-thread-locale": UNHASHABLE_THREAD_LOCALE,
    "lone-surrogate": SURROGATE,
    "deep-nesting": DEEP_NESTING,
    "huge-number": HUGE_NUMBER,
    "date-out-of-range": DATE_OUT_OF_RANGE,
}
# Bad on PostgreSQL only: SQLite stores them, so there they may import.
DATABASE_DEPENDENT_LINES = {"nul-in-text": NUL_IN_TEXT, "long-tag": LONG_TAG}


def run_import_command(path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_content", str(path), "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("line_id", "bad_line"), [*BAD_LINES.items(), *DATABASE_DEPENDENT_LINES.items()]
)
def test_import_command_reports_a_bad_line_and_imports_the_rest(
    help_center, tmp_path, line_id, bad_line
):
    from kb.models import ProductPage

    path = tmp_path / "content.jsonl"
    path.write_text(f"{bad_line}\n{GOOD_LINE}\n", encoding="utf-8")
    out, err = run_import_command(path)
    if line_id in BAD_LINES or "1 line(s) skipped" in out:
        assert err.startswith("line 1: ")
        assert "1 line(s) skipped" in out
    else:
        assert "0 line(s) skipped" in out
    assert ProductPage.objects.filter(title="Good printer after a bad line").exists()


def test_import_thread_dated_without_a_timezone_is_imported_as_utc(help_center):
    """ISO 8601 without an offset is valid input (the importer means to read it as UTC)."""
    from machina.apps.forum_conversation.models import Topic

    from core.importing import import_lines

    report = import_lines([NAIVE_DATE])
    assert report.errors == []
    topic = Topic.objects.get(subject="s")
    assert topic.created.isoformat() == "2024-05-01T10:00:00+00:00"
