"""Every role against every write (and privileged read) action, through crafted HTTP requests.

Security issue: "Permission matrix: anonymous, new member, member, asker, expert, moderator,
editor, reviewer × every write action". ``TABLE`` below states the expected answer for each cell;
``test_cell`` checks every one of them, and ``test_topic_page_buttons`` checks that the topic page
only offers the buttons the table allows.

Roles
    anonymous  not signed in
    newcomer   a new member, still in the "Newcomers" group (posts wait for approval)
    member     a signed-up member with no special group
    asker      the member who started the topic the actions target
    expert     in the "Experts" group (support staff and trusted members)
    moderator  in the "Moderators" group (forum moderation rights, no page rights)
    editor     in the "Editors" group (write and submit help articles)
    reviewer   in the "Reviewers" group (approve and publish help articles)

"Allowed" (True) means BOTH
    * the response is a success: 200, or a 302 that is not a refusal (not to a login page,
      not Wagtail's "permission denied" bounce to the admin home), and
    * the side effect really happened, checked in the database (the post exists / is edited /
      is gone, the solution is set, the vote / report is stored, the post is approved, the topic
      is locked / moved, the article draft exists, the page is live) or, for the reads, the
      secret really is in the response (draft wording, search terms, analytics panels, the
      attachment's bytes).
"Refused" (False) means the side effect did NOT happen and the response is a refusal:
    * anonymous: a redirect to a login page (or 403 / 404);
    * signed in: 403 or 404, a redirect to the Wagtail admin's login (no admin access) or to the
      admin home (Wagtail's permission_denied), or, for the few cells in ``SOFT_REFUSALS``, the
      ordinary answer without the privileged part (e.g. an editor's "publish" is saved as a draft).

The expected values are the SECURE answer. A cell that fails is a hole (or a regression).
"""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.forum_attachments.models import Attachment
from machina.apps.forum_conversation.models import Post, Topic
from machina.apps.forum_permission.models import ForumPermission, GroupForumPermission
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from forum.demo import forum_get_or_create, topic_create
from forum.models import Deflection, PostHelpfulVote, PostReport, TopicSolution
from forum.permissions import MODERATOR_PERMISSIONS, NEWCOMERS_GROUP
from forum.rules import EXPERTS_GROUP
from kb.editorial import EDITORS, MODERATORS, REVIEWERS, setup_editorial_roles
from kb.models import ArticlePage
from search.models import SearchQueryDay
from tests.factories import UserFactory
from tests.factories.kb import make_article

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "newcomer", "member", "asker", "expert", "moderator", "editor", "reviewer")
Y, n = True, False

# fmt: off
TABLE = {
    #                      anon newc memb askr expt mod  edit rev
    # -- community: posting (a newcomer's post is stored, but held for approval)
    "start_topic":         (n,   Y,   Y,   Y,   Y,   Y,   Y,   Y),
    "reply":               (n,   Y,   Y,   Y,   Y,   Y,   Y,   Y),
    "edit_own_post":       (n,   Y,   Y,   Y,   Y,   Y,   Y,   Y),
    "edit_others_post":    (n,   n,   n,   n,   n,   Y,   n,   n),
    "delete_own_post":     (n,   n,   n,   n,   n,   Y,   n,   n),
    "delete_others_post":  (n,   n,   n,   n,   n,   Y,   n,   n),
    # -- community: solutions, votes, reports
    "mark_solution":       (n,   n,   n,   Y,   Y,   Y,   n,   n),
    "helpful_vote":        (n,   Y,   Y,   Y,   Y,   Y,   Y,   Y),
    "report_post":         (n,   Y,   Y,   Y,   Y,   Y,   Y,   Y),
    # -- community: moderation
    "approve_queued_post": (n,   n,   n,   n,   n,   Y,   n,   n),
    "lock_topic":          (n,   n,   n,   n,   n,   Y,   n,   n),
    "move_topic":          (n,   n,   n,   n,   n,   Y,   n,   n),
    # -- help center: editorial
    "promote_to_article":  (n,   n,   n,   n,   n,   n,   Y,   Y),
    "publish_page":        (n,   n,   n,   n,   n,   n,   n,   Y),
    "view_draft":          (n,   n,   n,   n,   n,   n,   Y,   Y),
    "draft_public_url":    (n,   n,   n,   n,   n,   n,   n,   n),
    # -- analytics (the dashboard panels list customers' deflected questions and article stats:
    #    like the search terms report, they are for the help center team, not forum moderators)
    "search_analytics":    (n,   n,   n,   n,   n,   n,   Y,   Y),
    "dashboard_analytics": (n,   n,   n,   n,   n,   n,   Y,   Y),
    # -- a private (staff-only) forum: only the Moderators group is granted it
    "private_attachment":  (n,   n,   n,   n,   n,   Y,   n,   n),
}
# fmt: on
EXPECTED = {
    (role, action): allowed
    for action, row in TABLE.items()
    for role, allowed in zip(ROLES, row, strict=True)
}
CELLS = sorted(EXPECTED, key=lambda cell: (list(TABLE).index(cell[1]), ROLES.index(cell[0])))

# Refusals where the app answers normally but without the privileged part.
SOFT_REFUSALS = {
    # Wagtail saves an editor's "publish" as a new draft revision (302 back to the editor).
    ("editor", "publish_page"),
}
# Reads whose page anyone with admin access may open; "allowed" is whether the data is in it.
READS_INSIDE_A_PAGE = {"dashboard_analytics"}

NO_FILES = {"attachment-TOTAL_FORMS": "0", "attachment-INITIAL_FORMS": "0"}
DRAFT_WORDING = "Unreleased wording zq7"
SECRET_QUERY = "secret search term zq7"
SECRET_DEFLECTION = "deflected question zq7"
ATTACHMENT_BYTES = b"%PDF-1.4\n% staff pricing zq7\n"


# ---------------------------------------------------------------------------------------------
# The world: built once for the module inside a transaction that is rolled back at the end;
# every cell runs in its own savepoint (pytest-django's per-test atomic), so cells can't leak.
# ---------------------------------------------------------------------------------------------


def _group(name: str) -> Group:
    return Group.objects.get_or_create(name=name)[0]


def _reply(topic, poster, content, *, approved=True) -> Post:
    return Post.objects.create(
        topic=topic, poster=poster, subject="Re", content=content, approved=approved
    )


def _private_forum() -> Forum:
    """A staff room: no rows for members or visitors, the Moderators group may read it."""
    staff = Forum.objects.create(name="Staff room", type=Forum.FORUM_POST)
    permissions = {p.codename: p for p in ForumPermission.objects.all()}
    for codename in MODERATOR_PERMISSIONS:
        GroupForumPermission.objects.create(
            forum=staff, permission=permissions[codename], group=_group(MODERATORS), has_perm=True
        )
    return staff


def build_world() -> dict:
    from kb.demo import seed_help_center

    seed_help_center()
    setup_editorial_roles()
    category = forum_get_or_create(name="Products", kind=Forum.FORUM_CAT)
    forum = forum_get_or_create(name="Printers", description="Printing help", parent=category)
    other_forum = forum_get_or_create(name="Scanners", description="Scanning", parent=category)

    users = {role: UserFactory(username=f"matrix-{role}") for role in ROLES[1:]}
    for role, group in {
        "newcomer": NEWCOMERS_GROUP,
        "expert": EXPERTS_GROUP,
        "moderator": MODERATORS,
        "editor": EDITORS,
        "reviewer": REVIEWERS,
    }.items():
        users[role].groups.add(_group(group))
    someone = UserFactory(username="matrix-someone")
    pending_author = UserFactory(username="matrix-pending")
    pending_author.groups.add(_group(NEWCOMERS_GROUP))

    # The open question the community actions target, asked by the asker.
    topic = topic_create(
        forum=forum, poster=users["asker"], subject="Printer prints blank pages", content="Help"
    )
    # Each signed-in role's own reply (a newcomer's still waits for approval).
    own = {
        role: _reply(topic, user, f"Own reply by {role}", approved=role != "newcomer")
        for role, user in users.items()
    }
    others = _reply(topic, someone, "Clean the print head.")
    queued = _reply(topic, pending_author, "Pending first post", approved=False)

    # A solved question by the asker: promotion source and the page the UI check renders.
    solved = topic_create(
        forum=forum, poster=users["asker"], subject="Paper jams after refill", content="Jams"
    )
    answer = _reply(solved, someone, "Use thinner paper.")
    _reply(solved, someone, "Also check the rollers.")
    TopicSolution.objects.create(topic=solved, post=answer, marked_by=users["asker"])

    # Help center: a never-published article and a live one with unpublished changes.
    draft = make_article("Never published article", publish=False, product=None)
    live = make_article("Live article", product=None)
    live.title = DRAFT_WORDING
    live.save_revision()

    # Analytics the search team (and only they) may see.
    SearchQueryDay.objects.create(
        day=date.today(), locale="en", query=SECRET_QUERY, searches=4, zero_results=1
    )
    Deflection.objects.create(visitor="v1", query=SECRET_DEFLECTION, target_url="/en/x/")

    # A private forum with an attachment on a post.
    staff = _private_forum()
    staff_topic = topic_create(
        forum=staff, poster=users["moderator"], subject="Internal pricing", content="Secret"
    )
    attachment = Attachment.objects.create(
        post=staff_topic.first_post,
        file=ContentFile(ATTACHMENT_BYTES, name="pricing.pdf"),
        comment="",
    )
    return {
        "users": users,
        "forum": forum.pk,
        "other_forum": other_forum.pk,
        "topic": topic.pk,
        "own": {role: post.pk for role, post in own.items()},
        "others": others.pk,
        "queued": queued.pk,
        "solved": solved.pk,
        "draft": draft.pk,
        "live": live.pk,
        "attachment": attachment.pk,
        "attachment_file": attachment.file,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        built["attachment_file"].delete(save=False)
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------
# Requests and effects
# ---------------------------------------------------------------------------------------------


def _topic_args(topic: Topic) -> list:
    return [topic.forum.slug, topic.forum_id, topic.slug, topic.pk]


def _article_form(page: ArticlePage, **extra) -> dict:
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary or "Summary",
            "article_type": page.article_type,
            "tags": "",
            "body": streamfield([("text", rich_text("<p>Body</p>"))]),
            **extra,
        }
    )


def crafted_request(action: str, role: str, w: dict) -> tuple[str, str, dict | None]:
    """(method, url, data) for ``role`` doing ``action``; data None means GET."""
    topic = Topic.objects.select_related("forum").get(pk=w["topic"])
    args = _topic_args(topic)
    own = w["own"].get(role, w["others"])  # anonymous owns nothing: aim at someone's post
    if action == "start_topic":
        url = reverse("forum_conversation:topic_create", args=args[:2])
        return (
            "post",
            url,
            {"subject": "Brand new question", "content": "Hi", "topic_type": 0, **NO_FILES},
        )
    if action == "reply":
        url = reverse("forum_conversation:post_create", args=args)
        return "post", url, {"subject": "Re", "content": "A fresh reply", **NO_FILES}
    if action in ("edit_own_post", "edit_others_post"):
        target = own if action == "edit_own_post" else w["others"]
        url = reverse("forum_conversation:post_update", args=[*args, target])
        return "post", url, {"subject": "Re", "content": "Edited text", **NO_FILES}
    if action in ("delete_own_post", "delete_others_post"):
        target = own if action == "delete_own_post" else w["others"]
        return "post", reverse("forum_conversation:post_delete", args=[*args, target]), {}
    if action == "mark_solution":
        return "post", reverse("forum_mark_solution", args=[w["others"]]), {}
    if action == "helpful_vote":
        return "post", reverse("forum_helpful", args=[w["others"]]), {}
    if action == "report_post":
        return "post", reverse("forum_report_post", args=[w["others"]]), {"reason": "spam"}
    if action == "approve_queued_post":
        return "post", reverse("forum_moderation:approve_queued_post", args=[w["queued"]]), {}
    if action == "lock_topic":
        url = reverse("forum_moderation:topic_lock", kwargs={"slug": topic.slug, "pk": topic.pk})
        return "post", url, {}
    if action == "move_topic":
        url = reverse("forum_moderation:topic_move", kwargs={"slug": topic.slug, "pk": topic.pk})
        return "post", url, {"forum": w["other_forum"]}
    if action == "promote_to_article":
        return "post", reverse("forum_promote_topic", args=[w["solved"]]), {}
    if action == "publish_page":
        page = ArticlePage.objects.get(pk=w["draft"])
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        return "post", url, _article_form(page, **{"action-publish": "action-publish"})
    if action == "view_draft":
        return "get", reverse("wagtailadmin_pages:view_draft", args=[w["live"]]), None
    if action == "draft_public_url":
        return "get", _public_url(Page.objects.get(pk=w["draft"])), None
    if action == "search_analytics":
        return "get", reverse("search_admin:search_terms"), None
    if action == "dashboard_analytics":
        return "get", reverse("wagtailadmin_home"), None
    if action == "private_attachment":
        return "get", reverse("forum_conversation:attachment", kwargs={"pk": w["attachment"]}), None
    raise AssertionError(action)


def _public_url(page: Page) -> str:
    """Where the page would be served if it were live."""
    _site_id, _root, path = page.get_url_parts()
    return path


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def effect(action: str, role: str, w: dict, response) -> bool:
    """Did the action take effect (writes: in the database; reads: in the response)?"""
    if action == "start_topic":
        return Topic.objects.filter(subject="Brand new question").exists()
    if action == "reply":
        return Post.objects.filter(topic_id=w["topic"], content="A fresh reply").exists()
    if action in ("edit_own_post", "edit_others_post"):
        target = w["own"].get(role, w["others"]) if action == "edit_own_post" else w["others"]
        return Post.objects.get(pk=target).content.raw == "Edited text"
    if action in ("delete_own_post", "delete_others_post"):
        target = w["own"].get(role, w["others"]) if action == "delete_own_post" else w["others"]
        return not Post.objects.filter(pk=target).exists()
    if action == "mark_solution":
        return TopicSolution.objects.filter(topic_id=w["topic"], post_id=w["others"]).exists()
    if action == "helpful_vote":
        return PostHelpfulVote.objects.filter(post_id=w["others"]).exists()
    if action == "report_post":
        return PostReport.objects.filter(post_id=w["others"]).exists()
    if action == "approve_queued_post":
        return Post.objects.get(pk=w["queued"]).approved
    if action == "lock_topic":
        return Topic.objects.get(pk=w["topic"]).is_locked
    if action == "move_topic":
        return Topic.objects.get(pk=w["topic"]).forum_id == w["other_forum"]
    if action == "promote_to_article":
        return ArticlePage.objects.filter(title="Paper jams after refill").exists()
    if action == "publish_page":
        return Page.objects.get(pk=w["draft"]).live
    if action == "view_draft":
        return response.status_code == 200 and DRAFT_WORDING.encode() in _body(response)
    if action == "draft_public_url":
        return response.status_code == 200 and b"Never published article" in _body(response)
    if action == "search_analytics":
        return response.status_code == 200 and SECRET_QUERY.encode() in _body(response)
    if action == "dashboard_analytics":
        return response.status_code == 200 and bool(dashboard_leaks(response))
    if action == "private_attachment":
        return response.status_code == 200 and _body(response) == ATTACHMENT_BYTES
    raise AssertionError(action)


DASHBOARD_MARKERS = ("kb-least-helpful", "kb-stale", "kb-most-viewed", "forum-deflections")


def dashboard_leaks(response) -> list[str]:
    """The editorial analytics panels (and the customer query they list) in a dashboard."""
    html = _body(response).decode()
    return [m for m in (*DASHBOARD_MARKERS, SECRET_DEFLECTION) if m in html]


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/login/" in response["Location"]


def _is_refusal(response) -> bool:
    if response.status_code in (403, 404) or _is_login_redirect(response):
        return True
    # wagtail.admin.auth.permission_denied: an error message and back to the admin home
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def describe(method, url, data, response) -> str:
    where = f" -> {response['Location']}" if response.status_code in (301, 302) else ""
    shown = {k: v for k, v in (data or {}).items() if not k.startswith("attachment-")}
    sent = f" {shown}" if data is not None else ""
    return f"{method.upper()} {url}{sent} => {response.status_code}{where}"


# ---------------------------------------------------------------------------------------------
# The matrix
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "action"), CELLS, ids=[f"{a}-{r}" for r, a in CELLS])
def test_cell(world, role, action):
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    method, url, data = crafted_request(action, role, world)
    response = client.get(url) if method == "get" else client.post(url, data)
    happened = effect(action, role, world, response)
    seen = describe(method, url, data, response)

    if EXPECTED[(role, action)]:
        assert response.status_code in (200, 302), seen
        assert not _is_refusal(response), seen
        assert happened, f"no effect: {seen}"
        if action in ("start_topic", "reply"):  # newcomers' posts wait in the moderation queue
            post = Post.objects.filter(content__in=["Hi", "A fresh reply"]).get()
            assert post.approved == (role != "newcomer"), seen
        return

    if action == "dashboard_analytics":
        seen += f" showing {dashboard_leaks(response)}"
    assert not happened, f"HOLE: {role} could {action}: {seen}"
    if role == "anonymous":
        assert _is_login_redirect(response) or response.status_code in (403, 404), seen
    elif (role, action) in SOFT_REFUSALS or action in READS_INSIDE_A_PAGE:
        assert response.status_code in (200, 302) or _is_refusal(response), seen
    else:
        assert _is_refusal(response), seen


# ---------------------------------------------------------------------------------------------
# The UI offers only what the table allows
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "asker", "moderator", "editor"])
def test_topic_page_buttons(world, role):
    client = Client()
    client.force_login(world["users"][role])
    solved = Topic.objects.select_related("forum").get(pk=world["solved"])
    response = client.get(reverse("forum_conversation:topic", args=_topic_args(solved)))
    assert response.status_code == 200
    html = response.content.decode()
    shown = {
        "mark_solution": "Mark as solution" in html,
        "lock_topic": reverse(
            "forum_moderation:topic_lock", kwargs={"slug": solved.slug, "pk": solved.pk}
        )
        in html,
        "move_topic": reverse(
            "forum_moderation:topic_move", kwargs={"slug": solved.slug, "pk": solved.pk}
        )
        in html,
        "promote_to_article": reverse("forum_promote_topic", args=[solved.pk]) in html,
        "delete_others_post": "/post/delete/" in html,
    }
    assert shown == {action: EXPECTED[(role, action)] for action in shown}


def test_the_draft_url_is_where_the_page_would_be_served(world):
    """So the draft_public_url 404s above mean "not published", not "wrong address"."""
    draft = Page.objects.get(pk=world["draft"]).specific
    draft.save_revision().publish()
    response = Client().get(_public_url(draft))
    assert response.status_code == 200
    assert b"Never published article" in response.content
