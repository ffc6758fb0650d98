"""Rebuild the unified search index from the database, streamed, with a progress bar."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from search.backends import get_search_backend
from search.documents import all_documents, count_sources
from search.indexing import backend_aliases


class Command(BaseCommand):
    help = "Rebuild the unified search index (articles and forum threads) in every backend."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--backend", help="Only this alias from SEARCH_BACKENDS.")

    def handle(self, *args, no_progress: bool, backend: str | None, **options):
        for alias in [backend] if backend else backend_aliases():
            search_backend = get_search_backend(alias)
            total = sum(count_sources().values())
            with tqdm(
                total=total,
                unit="doc",
                desc=f"Indexing ({search_backend.name})",
                disable=no_progress or None,
            ) as progress:
                written = search_backend.rebuild(all_documents(), progress.update)
            self.stdout.write(
                self.style.SUCCESS(f"Indexed {written} document(s) with {search_backend.name}.")
            )
