"""Load the demo content; safe to run again (it only adds what is missing)."""

from django.core.management.base import BaseCommand

from accounts.demo import seed_demo_people
from forum.demo import link_products_to_forums, seed_demo_forum, seed_demo_threads
from kb.demo import (
    attach_product_images,
    seed_demo_articles,
    seed_demo_documents,
    seed_demo_images,
    seed_help_center,
)
from kb.editorial import setup_editorial_roles


class Command(BaseCommand):
    help = "Load demo people, help center pages and community forums (idempotent)."

    def handle(self, *args, **options):
        steps = [
            ("people", seed_demo_people),
            ("help center", seed_help_center),
            ("manuals", seed_demo_documents),
            ("pictures", seed_demo_images),
            ("products and articles", seed_demo_articles),
            ("product pictures", attach_product_images),
            ("editorial roles and workflow", setup_editorial_roles),
            ("community", seed_demo_forum),
            ("product forums", link_products_to_forums),
            ("community threads", seed_demo_threads),
        ]
        for label, step in steps:
            self.stdout.write(f"Seeding {label}…")
            step()
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
