"""Who may do what in the community, tried through crafted HTTP requests.

Each row is an action, each column a role; every cell is one test. "login" means the visitor
is sent to sign in; numbers are HTTP statuses (302 = done and redirected back).
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from machina.apps.forum_conversation.models import Post, Topic

from forum.demo import topic_create
from forum.models import PostHelpfulVote, PostReport, TopicMeToo, TopicSolution
from kb.editorial import setup_editorial_roles
from kb.models import ArticlePage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "asker", "expert", "moderator", "editor")
LOGIN = "login"

MATRIX = {
    #                       anonymous member asker expert moderator editor
    "start_topic": (LOGIN, 302, 302, 302, 302, 302),
    "reply": (LOGIN, 302, 302, 302, 302, 302),
    "edit_own_question": (LOGIN, 403, 302, 403, 302, 403),
    "edit_experts_reply": (LOGIN, 403, 403, 302, 302, 403),
    "delete_experts_reply": (LOGIN, 403, 403, 403, 302, 403),
    "mark_solution": (LOGIN, 403, 302, 302, 302, 403),
    "me_too": (LOGIN, 302, 302, 302, 302, 302),
    "helpful_vote": (LOGIN, 302, 302, 302, 302, 302),
    "report": (LOGIN, 302, 302, 302, 302, 302),
    "moderation_queue": (LOGIN, 403, 403, 403, 200, 403),
    "lock_topic": (LOGIN, 403, 403, 403, 302, 403),
    "promote_to_article": (LOGIN, 403, 403, 403, 403, 302),
}
# The expert wrote the reply: editing it is their own post, deleting own posts is not granted.
# What each action changes is checked after a 302, and checked unchanged otherwise.
CELLS = [
    (action, role, expected)
    for action, row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]
NO_FILES = {"attachment-TOTAL_FORMS": "0", "attachment-INITIAL_FORMS": "0"}


@pytest.fixture
def world(forum, help_center):
    setup_editorial_roles()
    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in ("Experts", "Moderators", "Editors")
    }
    people = {
        "member": UserFactory(),
        "asker": UserFactory(),
        "expert": UserFactory(),
        "moderator": UserFactory(),
        "editor": UserFactory(),
    }
    people["expert"].groups.add(groups["Experts"])
    people["moderator"].groups.add(groups["Moderators"])
    people["editor"].groups.add(groups["Editors"])
    topic = topic_create(
        forum=forum,
        poster=people["asker"],
        subject="Router keeps rebooting",
        content="Every night.",
    )
    reply = Post.objects.create(
        topic=topic,
        poster=people["expert"],
        subject="Re",
        content="Update the firmware.",
        approved=True,
    )
    # the helpful vote and me-too target posts/topics that are not the actor's own
    other_topic = topic_create(
        forum=forum, poster=UserFactory(), subject="Someone else's", content="?"
    )
    other_reply = Post.objects.create(
        topic=other_topic, poster=UserFactory(), subject="Re", content="An answer", approved=True
    )
    TopicSolution.objects.create(topic=other_topic, post=other_reply, marked_by=other_topic.poster)
    return {
        "forum": forum,
        "topic": topic,
        "reply": reply,
        "other_topic": other_topic,
        "other_reply": other_reply,
        **people,
    }


def request_for(action, w):
    f, t, r = w["forum"], w["topic"], w["reply"]
    topic_args = [f.slug, f.pk, t.slug, t.pk]
    return {
        "start_topic": (
            reverse("forum_conversation:topic_create", args=[f.slug, f.pk]),
            {"subject": "New question", "content": "Hi", "topic_type": 0, **NO_FILES},
        ),
        "reply": (
            reverse("forum_conversation:post_create", args=topic_args),
            {"subject": "Re", "content": "Me too", **NO_FILES},
        ),
        "edit_own_question": (
            reverse("forum_conversation:topic_update", args=topic_args),
            {"subject": "Router keeps rebooting", "content": "Edited", "topic_type": 0, **NO_FILES},
        ),
        "edit_experts_reply": (
            reverse("forum_conversation:post_update", args=[*topic_args, r.pk]),
            {"subject": "Re", "content": "Edited", **NO_FILES},
        ),
        "delete_experts_reply": (
            reverse("forum_conversation:post_delete", args=[*topic_args, r.pk]),
            {},
        ),
        "mark_solution": (reverse("forum_mark_solution", args=[r.pk]), {}),
        "me_too": (reverse("forum_me_too", args=[w["other_topic"].pk]), {}),
        "helpful_vote": (reverse("forum_helpful", args=[w["other_reply"].pk]), {}),
        "report": (reverse("forum_report_post", args=[w["other_reply"].pk]), {"reason": "spam"}),
        "moderation_queue": (reverse("forum_moderation:queue"), None),
        "lock_topic": (reverse("forum_moderation:topic_lock", args=[t.slug, t.pk]), {}),
        "promote_to_article": (reverse("forum_promote_topic", args=[w["other_topic"].pk]), {}),
    }[action]


def effect(action, w) -> bool:
    """Did the action take effect?"""
    t, r = w["topic"], w["reply"]
    return {
        "start_topic": Topic.objects.filter(subject="New question").exists(),
        "reply": Post.objects.filter(topic=t, content="Me too").exists(),
        "edit_own_question": Post.objects.get(pk=t.first_post_id).content.raw == "Edited",
        "edit_experts_reply": Post.objects.filter(pk=r.pk, content="Edited").exists(),
        "delete_experts_reply": not Post.objects.filter(pk=r.pk).exists(),
        "mark_solution": TopicSolution.objects.filter(topic=t).exists(),
        "me_too": TopicMeToo.objects.exists(),
        "helpful_vote": PostHelpfulVote.objects.exists(),
        "report": PostReport.objects.exists(),
        "moderation_queue": False,
        "lock_topic": Topic.objects.get(pk=t.pk).is_locked,
        "promote_to_article": ArticlePage.objects.filter(title="Someone else's").exists(),
    }[action]


@pytest.mark.parametrize(
    ("action", "role", "expected"), CELLS, ids=[f"{a}-{r}" for a, r, _ in CELLS]
)
def test_permission_cell(world, action, role, expected):
    client = Client()
    if role != "anonymous":
        client.force_login(world[role])
    url, data = request_for(action, world)
    response = client.get(url) if data is None else client.post(url, data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        assert not effect(action, world)
        return
    assert response.status_code == expected, response.content[:300]
    assert effect(action, world) == (expected == 302)
