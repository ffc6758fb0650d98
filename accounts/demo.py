"""Demo people: an editor, a reviewer, a moderator, an expert and a customer."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

logger = logging.getLogger(__name__)

DEMO_PEOPLE = [
    # username, display name, password, staff, superuser, groups
    ("admin", "Site administrator", "demo-admin-pass", True, True, []),
    ("editor", "Elena (Editor)", "demo-editor-pass", False, False, ["Editors"]),
    ("reviewer", "Ravi (Reviewer)", "demo-reviewer-pass", False, False, ["Reviewers"]),
    ("moderator", "Mona (Moderator)", "demo-moderator-pass", False, False, ["Moderators"]),
    ("expert", "Sam from Support", "demo-expert-pass", False, False, ["Experts"]),
    ("support_lena", "Lena (Brightline support)", "demo-expert-pass", False, False, ["Experts"]),
    ("support_arash", "آرش (پشتیبانی Brightline)", "demo-expert-pass", False, False, ["Experts"]),
    ("support_priya", "प्रिया (Brightline सहायता)", "demo-expert-pass", False, False, ["Experts"]),
    ("support_nino", "ნინო (Brightline მხარდაჭერა)", "demo-expert-pass", False, False, ["Experts"]),
    (
        "support_miguel",
        "Miguel (Brightline support)",
        "demo-expert-pass",
        False,
        False,
        ["Experts"],
    ),
    ("member", "Jordan", "demo-member-pass", False, False, []),
]


def seed_demo_people() -> dict[str, object]:
    """Create the demo accounts once; later runs leave their passwords and edits alone."""
    User = get_user_model()
    people = {}
    for username, display_name, password, staff, superuser, groups in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.com",
                "display_name": display_name,
                "is_staff": staff,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save()
            logger.info("Created demo account %s", username)
        for name in groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        people[username] = user
    return people
