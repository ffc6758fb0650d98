"""Editors write and submit, reviewers approve and publish, dashboards show what needs work."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Locale, Workflow
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from kb.editorial import setup_editorial_roles
from kb.models import ArticleFeedback
from tests.factories import UserFactory
from tests.factories.kb import make_article, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(help_center):
    setup_editorial_roles()
    editor = UserFactory(username="ed")
    editor.groups.add(Group.objects.get(name="Editors"))
    reviewer = UserFactory(username="rev")
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    moderator = UserFactory(username="mod")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    return editor, reviewer, moderator


def test_page_rights_per_role(roles, help_center):
    editor, reviewer, moderator = roles
    product = make_product()
    assert product.permissions_for_user(editor).can_add_subpage()
    assert not product.permissions_for_user(editor).can_publish()
    assert product.permissions_for_user(reviewer).can_publish()
    assert not product.permissions_for_user(moderator).can_edit()


def test_review_and_publish_workflow(roles, help_center):
    editor, reviewer, _moderator = roles
    draft = make_article("New driver guide", publish=False)
    workflow = draft.get_workflow()
    assert workflow == Workflow.objects.get(name="Review and publish")
    state = workflow.start(draft, editor)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert not task.user_can_access_editor(draft, UserFactory())
    assert [a[0] for a in task.get_actions(draft, reviewer)][:1] == ["reject"]
    task.on_action(task_state, reviewer, "approve")
    draft.refresh_from_db()
    assert draft.live


def test_setup_is_idempotent(roles):
    setup_editorial_roles()
    assert Workflow.objects.filter(name="Review and publish").count() == 1
    assert Group.objects.filter(name="Reviewers").count() == 1


def test_dashboard_panels(client, roles, help_center):
    _editor, reviewer, _ = roles
    poor = make_article("Confusing article")
    for n in range(5):
        ArticleFeedback.objects.create(
            article=poor, locale=poor.locale, helpful=n == 0, voter=f"s:{n}"
        )
    client.get(poor.url)
    client.force_login(reviewer)
    html = client.get("/admin/").content.decode()
    assert "Least helpful articles" in html
    section = html.split("Least helpful articles")[1].split("Not updated in 12 months")[0]
    assert "Confusing article" in section and "20% (1/5)" in section
    assert "Most viewed this month" in html


def post_new_article(client, product, blocks, **extra):
    data = nested_form_data(
        {
            "title": "Broken guide",
            "slug": "broken-guide",
            "summary": "x",
            "article_type": "guide",
            "tags": "",
            "body": streamfield(blocks),
            **extra,
        }
    )
    return client.post(f"/admin/pages/add/kb/articlepage/{product.pk}/", data)


def test_invalid_streamfield_content_is_rejected_with_field_errors(client, roles, help_center):
    editor, reviewer, _ = roles
    product = make_product()
    client.force_login(editor)
    too_long = post_new_article(client, product, [("heading", {"text": "x" * 200, "level": "h2"})])
    assert too_long.status_code == 200
    assert "could not be created due to validation errors" in too_long.content.decode()
    assert "Ensure this value has at most 120 characters" in too_long.content.decode()

    client.force_login(reviewer)
    empty = post_new_article(
        client,
        product,
        [("heading", {"text": "", "level": "h2"}), ("text", rich_text("<p>fine</p>"))],
        **{"action-publish": "publish"},
    )
    assert empty.status_code == 200
    assert "This field is required" in empty.content.decode()
    assert not product.get_children().filter(slug="broken-guide").exists()


def test_scheduled_publishing_goes_live_when_due(help_center):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    scheduled = make_article("Spring sale returns policy", publish=False)
    scheduled.go_live_at = timezone.now() + timedelta(hours=1)
    scheduled.save_revision().publish()
    scheduled.refresh_from_db()
    assert not scheduled.live
    call_command("publish_scheduled")
    scheduled.refresh_from_db()
    assert not scheduled.live
    from wagtail.models import Revision

    # Let the hour pass: move the approved date and the revision's own date into the past.
    past = timezone.now() - timedelta(minutes=1)
    for revision in Revision.objects.filter(
        object_id=str(scheduled.pk), approved_go_live_at__isnull=False
    ):
        revision.approved_go_live_at = past
        revision.content["go_live_at"] = past.isoformat()
        revision.save()
    call_command("publish_scheduled")
    scheduled.refresh_from_db()
    assert scheduled.live


def test_a_fresh_install_has_the_editorial_roles_without_the_demo():
    """migrate alone (as on this test database) strips Wagtail's Moderators of the admin."""
    from kb.editorial import EDITORS, MODERATORS, WORKFLOW_NAME

    assert Workflow.objects.filter(name=WORKFLOW_NAME, active=True).exists()
    moderators = Group.objects.get(name=MODERATORS)
    assert not moderators.permissions.filter(codename="access_admin").exists()
    assert Group.objects.get(name=EDITORS).permissions.filter(codename="access_admin").exists()
    assert not Workflow.objects.get(name="Moderators approval").active


def test_a_new_help_center_gets_the_editorial_rights(django_capture_on_commit_callbacks):
    from kb.demo import seed_help_center

    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    with django_capture_on_commit_callbacks(execute=True):
        home = seed_help_center()
    assert home.permissions_for_user(editor).can_add_subpage()
    assert not home.permissions_for_user(editor).can_publish()
    assert home.get_workflow().name == "Review and publish"
    persian = home.get_translation(locale=Locale.objects.get(language_code="fa"))
    assert persian.permissions_for_user(editor).can_add_subpage()
