"""``manage.py export_content [--output FILE|-]``: the KB and the forum as importable JSON lines."""

import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from tqdm import tqdm

from core.exporting import ExportReport, export_lines, export_total


class Command(BaseCommand):
    help = (
        "Write products, articles, forum members and threads as JSON lines that import_content "
        "reads back (files are referenced, not included; see core/exporting.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            default="-",
            help="File to write (replaced only once the export is complete); '-' for stdout.",
        )
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help='Also export unpublished pages (their latest revision), marked "live": false.',
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, output: str, include_drafts: bool, no_progress: bool, **options):
        to_stdout = output == "-"
        target = None if to_stdout else Path(output)
        if target is not None and not target.parent.is_dir():
            raise CommandError(f"No such directory: {target.parent}")
        report = ExportReport()
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                # One consistent snapshot for every query of the export.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            total = export_total(include_drafts=include_drafts)
            with tqdm(
                total=total,
                unit="line",
                desc="Exporting",
                file=sys.stderr,
                disable=no_progress or None,
            ) as progress:
                if to_stdout:
                    self._write(self.stdout, report, include_drafts, progress)
                else:
                    self._write_file(target, report, include_drafts, progress)
        summary = self.stderr if to_stdout else self.stdout
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        done = ", ".join(
            f"{report.counts[kind]} {kind}(s)" for kind in ("product", "article", "user", "thread")
        )
        where = "stdout" if to_stdout else str(target)
        summary.write(self.style.SUCCESS(f"Exported {done} to {where}."))

    @staticmethod
    def _write(handle, report, include_drafts, progress) -> None:
        for line in export_lines(report, include_drafts=include_drafts):
            handle.write(line + "\n")
            progress.update(1)

    def _write_file(self, target: Path, report, include_drafts, progress) -> None:
        """Write next to ``target`` and rename: a failed export never leaves half a backup."""
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                self._write(handle, report, include_drafts, progress)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
