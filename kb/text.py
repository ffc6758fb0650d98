"""Plain text out of StreamField content, for reading time, snippets and search documents."""

import html
from collections.abc import Iterable, Mapping

from django.utils.html import strip_tags
from wagtail.rich_text import RichText

# Struct keys that hold settings or references, not words a reader sees.
NON_TEXT_KEYS = frozenset(
    {
        "level",
        "kind",
        "language",
        "url",
        "image",
        "document",
        "first_row_is_table_header",
        "first_col_is_header",
        "table_header_choice",
        "cell",
        "mergedCells",
    }
)


def value_text(value) -> Iterable[str]:
    """Yield the visible text inside any block value."""
    if isinstance(value, RichText):
        yield html.unescape(strip_tags(value.source))  # text, not markup: entities decoded
    elif isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key not in NON_TEXT_KEYS:
                yield from value_text(item)
    elif isinstance(value, Iterable):
        for item in value:
            yield from value_text(getattr(item, "value", item))


def streamfield_text(stream) -> str:
    """Readable words of every block, in order (no markup, no URLs or settings)."""
    words = []
    for block in stream:
        if block.block_type != "related":
            words.extend(" ".join(part.split()) for part in value_text(block.value))
    return " ".join(w for w in words if w)
