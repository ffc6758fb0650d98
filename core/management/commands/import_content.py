"""``manage.py import_content FILE.jsonl``: products, articles and threads from JSON lines."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.importing import import_lines


class Command(BaseCommand):
    help = "Import content from a JSON-lines file; bad lines are reported and skipped."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Save imported pages as drafts instead of publishing them.",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file: Path, draft: bool, no_progress: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        with file.open(encoding="utf-8", errors="replace") as handle:
            total = sum(1 for _ in handle)
        with (
            file.open(encoding="utf-8", errors="replace") as handle,
            tqdm(
                total=total,
                unit="line",
                desc="Importing",
                disable=no_progress or None,
            ) as progress,
        ):
            report = import_lines(handle, publish=not draft, progress=progress)
        for number, message in report.errors:
            self.stderr.write(f"line {number}: {message}")
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        done = ", ".join(f"{count} {kind}(s)" for kind, count in sorted(report.imported.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {done or 'nothing'}; {len(report.errors)} line(s) skipped."
            )
        )
