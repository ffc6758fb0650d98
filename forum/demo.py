"""Demo community: forums with permissions and a first welcome thread."""

import json
import logging
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic

from .notifications import notifications_suppressed
from .permissions import forum_grant_default_permissions

logger = logging.getLogger(__name__)

DEMO_FORUMS = [
    ("InkWell printers", "Setting up, printing and maintaining InkWell printers."),
    ("SkyLink routers", "Wi-Fi, internet connections and SkyLink router settings."),
    ("LedgerLite accounting", "Invoices, bank feeds, reports and LedgerLite licences."),
    ("General", "Questions about anything we sell, and tips for other customers."),
    ("Warranty & repairs", "Claims, repairs, returns and replacement parts."),
]
# Product pages (by import external_id) and the forum where their customers ask.
PRODUCT_FORUMS = {
    "product-inkwell-p200": "InkWell printers",
    "product-skylink-ax3000": "SkyLink routers",
    "product-ledgerlite": "LedgerLite accounting",
}


def forum_get_or_create(
    *, name: str, description: str = "", parent: Forum | None = None, kind: int = Forum.FORUM_POST
) -> Forum:
    forum = Forum.objects.filter(name=name, parent=parent).first()
    if forum is None:
        forum = Forum.objects.create(name=name, description=description, parent=parent, type=kind)
        logger.info("Created forum %s", name)
    forum_grant_default_permissions(forum)
    return forum


def topic_create(*, forum: Forum, poster, subject: str, content: str) -> Topic:
    """A topic with its first post, counted the way machina's own views count it."""
    topic = Topic.objects.create(
        forum=forum,
        poster=poster,
        subject=subject,
        approved=True,
        type=Topic.TOPIC_POST,
        status=Topic.TOPIC_UNLOCKED,
    )
    Post.objects.create(topic=topic, poster=poster, subject=subject, content=content, approved=True)
    return topic


def seed_demo_forum() -> None:
    with notifications_suppressed(), transaction.atomic():
        _seed_demo_forum()


def _seed_demo_forum() -> None:
    category = forum_get_or_create(name="Community", kind=Forum.FORUM_CAT)
    forums = {
        name: forum_get_or_create(name=name, description=description, parent=category)
        for name, description in DEMO_FORUMS
    }
    general = forums["General"]
    if not Topic.objects.filter(forum=general).exists():
        expert = get_user_model().objects.get(username="expert")
        topic_create(
            forum=general,
            poster=expert,
            subject="Welcome! How to get a good answer fast",
            content=(
                "Hi everyone, I'm Sam from the support team.\n\n"
                "1. Search the help center first: most questions have a guide.\n"
                "2. Say which product and model you have, and what you already tried.\n"
                "3. When a reply fixes it, mark it as the solution so the next person finds it."
            ),
        )


def link_products_to_forums() -> None:
    """Point each demo product page, in every language, at its community forum."""
    from kb.demo import product_set_in_every_language

    for external_id, forum_name in PRODUCT_FORUMS.items():
        forum = Forum.objects.filter(name=forum_name).first()
        product_set_in_every_language(external_id, "community_forum", forum)


DEMO_THREADS = Path(__file__).resolve().parent / "demo_content" / "threads.jsonl"


def seed_demo_threads() -> None:
    """Import the demo community threads that are not there yet."""
    from tqdm import tqdm

    from core.importing import import_lines

    from .models import ImportedThread

    known = set(ImportedThread.objects.values_list("external_id", flat=True))
    lines = [
        line
        for line in DEMO_THREADS.read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line).get("external_id") not in known
    ]
    with tqdm(total=len(lines), unit="thread", desc="Threads") as progress:
        report = import_lines(lines, progress=progress)
    for number, message in report.errors:
        logger.error("threads.jsonl line %s: %s", number, message)
