"""Retry pending index writes and repair drift; the scheduler runs this every minute."""

from django.core.management.base import BaseCommand

from search.consistency import repair_drift
from search.indexing import backend_aliases, retry_due


class Command(BaseCommand):
    help = "Retry failed search index writes that are due, and optionally repair all drift."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Retry every pending write now.")
        parser.add_argument(
            "--repair", action="store_true", help="Also compare with the database and fix drift."
        )

    def handle(self, *args, all: bool, repair: bool, **options):
        written, pending = retry_due(everything=all or repair)
        self.stdout.write(f"Retried {written} pending write(s); {pending} still pending.")
        if repair:
            for alias in backend_aliases():
                fixed = repair_drift(alias)
                self.stdout.write(f"{alias}: repaired {fixed} document(s).")
