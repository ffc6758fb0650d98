"""Editorial roles and the "Review and publish" workflow on every help center tree.

Wagtail's first migration creates "Editors" and "Moderators" groups with rights on the whole
tree; here Editors write and submit, Reviewers approve and publish, and Moderators are forum
moderators with no page rights at all.
"""

import logging

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import HelpCenterPage

logger = logging.getLogger(__name__)

WORKFLOW_NAME = "Review and publish"
EDITORS, REVIEWERS, MODERATORS = "Editors", "Reviewers", "Moderators"
PAGE_RIGHTS = {
    EDITORS: ["add_page", "change_page", "lock_page"],
    REVIEWERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
MEDIA_RIGHTS = ["add_image", "choose_image", "add_document", "choose_document"]


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_admin_and_media(group: Group) -> None:
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for codename in MEDIA_RIGHTS:
        app = "wagtailimages" if codename.endswith("image") else "wagtaildocs"
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=_permission(app, codename)
        )


@transaction.atomic
def setup_editorial_roles() -> Workflow:
    """Idempotent: groups, page rights on each help center, and the review workflow.

    It also takes away page rights anywhere but the help centers: run by hand (``seed_demo``),
    or by ``setup_editorial_roles_once`` on a fresh install, never on every deploy.
    """
    homes = list(HelpCenterPage.objects.all())
    moderators = Group.objects.get_or_create(name=MODERATORS)[0]
    # Moderators work in the forum, not the CMS: take away the admin, page and media rights
    # Wagtail's first migration gave its "Moderators" group.
    GroupPagePermission.objects.filter(group=moderators).delete()
    GroupCollectionPermission.objects.filter(group=moderators).delete()
    moderators.permissions.remove(_permission("wagtailadmin", "access_admin"))
    for name in PAGE_RIGHTS:
        group = Group.objects.get_or_create(name=name)[0]
        GroupPagePermission.objects.filter(group=group).exclude(page__in=homes).delete()
        _grant_admin_and_media(group)
    task = GroupApprovalTask.objects.get_or_create(name="Reviewer approval")[0]
    task.groups.set([Group.objects.get(name=REVIEWERS)])
    workflow = Workflow.objects.get_or_create(name=WORKFLOW_NAME)[0]
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for home in homes:
        grant_editorial_rights(home)
    Workflow.objects.filter(name="Moderators approval").update(active=False)
    logger.info("Editorial roles and the %s workflow are in place", WORKFLOW_NAME)
    return workflow


def setup_editorial_roles_once() -> None:
    """On a fresh install (no review workflow yet): Wagtail's own first migration gives its
    Moderators group admin and page rights, which only ``setup_editorial_roles`` takes away."""
    if not Workflow.objects.filter(name=WORKFLOW_NAME).exists():
        setup_editorial_roles()


def grant_editorial_rights(home: HelpCenterPage) -> None:
    """Editors' and Reviewers' page rights and the review workflow on one help center tree
    (a new language's help center gets them when it is created); adds, never takes away."""
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        return
    for group in Group.objects.filter(name__in=PAGE_RIGHTS):
        for codename in PAGE_RIGHTS[group.name]:
            GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=_permission("wagtailcore", codename)
            )
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})


def is_editorial_staff(user) -> bool:
    """Superusers, Editors and Reviewers: who may see editorial analytics and reports."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_is_editorial_staff"):  # menus and panels ask on every request
        user._is_editorial_staff = user.groups.filter(name__in=(EDITORS, REVIEWERS)).exists()
    return user._is_editorial_staff
