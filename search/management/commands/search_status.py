"""Compare what should be searchable with what each index holds."""

from django.core.management.base import BaseCommand, CommandError

from search.consistency import index_drift
from search.indexing import backend_aliases


class Command(BaseCommand):
    help = "Counts in the database and in each search index, and what is missing or stale."

    def add_arguments(self, parser):
        parser.add_argument("--show", type=int, default=20, help="List at most this many keys.")
        parser.add_argument("--fail", action="store_true", help="Exit 1 when anything drifts.")

    def handle(self, *args, show: int, fail: bool, **options):
        drifting = False
        for alias in backend_aliases():
            drift = index_drift(alias)
            self.stdout.write(
                f"{alias} ({drift.backend}): {drift.expected} in the database, "
                f"{drift.indexed} indexed, {len(drift.missing)} missing, "
                f"{len(drift.stale)} stale, {len(drift.extra)} extra, {drift.pending} pending"
            )
            for label, keys in (
                ("missing", drift.missing),
                ("stale", drift.stale),
                ("extra", drift.extra),
            ):
                for key in sorted(keys)[:show]:
                    self.stdout.write(f"  {label}: {key}")
            if drift.error:
                self.stdout.write(self.style.ERROR(f"  unreachable: {drift.error}"))
            drifting = drifting or not drift.in_step
        if fail and drifting:
            raise CommandError("The search index is not in step with the database.")
