"""Rebuild the unified search index from the database, in batches, with a progress bar."""

from itertools import islice

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from search.backends import get_search_backend
from search.documents import BATCH, all_documents, count_sources


class Command(BaseCommand):
    help = "Rebuild the unified search index (articles and forum threads)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, no_progress: bool, **options):
        backend = get_search_backend()
        total = sum(count_sources().values())
        documents = all_documents()
        written = 0
        # One transaction: readers keep seeing the old index until the new one is complete.
        with (
            transaction.atomic(),
            tqdm(
                total=total,
                unit="doc",
                desc=f"Indexing ({backend.name})",
                disable=no_progress or None,
            ) as progress,
        ):
            backend.reset()
            while batch := list(islice(documents, BATCH)):
                written += backend.index(batch)
                progress.update(len(batch))
        self.stdout.write(self.style.SUCCESS(f"Indexed {written} document(s) with {backend.name}."))
