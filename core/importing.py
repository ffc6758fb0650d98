"""Read a JSON-lines file and hand each line to the importer for its ``type``."""

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from forum.importing import import_thread, import_user
from kb.importing import (
    ImportContext,
    ImportLineError,
    import_article,
    import_product,
    resolve_deferred_related,
)

logger = logging.getLogger(__name__)

IMPORTERS: dict[str, Callable] = {
    "product": import_product,
    "article": import_article,
    "thread": import_thread,
    "user": import_user,
}


@dataclass
class ImportReport:
    imported: Counter = field(default_factory=Counter)
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Attachments thread lines list by metadata only: name, size, content type, where they were.
    skipped_attachments: list[dict] = field(default_factory=list)


def import_lines(lines: Iterable[str], *, publish: bool = True, progress=None) -> ImportReport:
    """Import every good line; collect "line N: why" for the bad ones and keep going."""
    report = ImportReport()
    context = ImportContext(publish=publish)
    for number, line in enumerate(lines, start=1):
        if progress is not None:
            progress.update(1)
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ImportLineError("each line must be a JSON object")
            kind = data.get("type")
            if not isinstance(kind, str) or kind not in IMPORTERS:
                known = ", ".join(sorted(IMPORTERS))
                raise ImportLineError(f'"type" must be one of {known}, not {kind!r}')
            with transaction.atomic():  # a line that fails half-way leaves nothing behind
                IMPORTERS[kind](data, context)
            report.imported[kind] += 1
        except json.JSONDecodeError as exc:
            report.errors.append((number, f"not valid JSON ({exc.msg} at column {exc.colno})"))
        except ImportLineError as exc:
            report.errors.append((number, str(exc)))
        except RecursionError:
            report.errors.append((number, "nested too deeply"))
        except Exception as exc:  # any other fault in one line must not stop the whole import
            report.errors.append((number, f"could not be imported ({type(exc).__name__}: {exc})"))
    resolve_deferred_related(context)
    report.warnings = context.warnings
    report.skipped_attachments = context.skipped_attachments
    for number, message in report.errors:
        logger.warning("Import line %s skipped: %s", number, message)
    return report
