"""Load the demo content; safe to run again (it only adds what is missing)."""

from django.core.management.base import BaseCommand

from accounts.demo import seed_demo_people
from forum.demo import seed_demo_forum
from kb.demo import seed_help_center


class Command(BaseCommand):
    help = "Load demo people, help center pages and community forums (idempotent)."

    def handle(self, *args, **options):
        steps = [
            ("people", seed_demo_people),
            ("help center", seed_help_center),
            ("community", seed_demo_forum),
        ]
        for label, step in steps:
            self.stdout.write(f"Seeding {label}…")
            step()
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
