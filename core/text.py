"""Normalising text people type into one-line fields (queries, titles)."""

import unicodedata


def single_line(raw: str | None, limit: int) -> str:
    """Whitespace collapsed, control characters dropped (PostgreSQL refuses NUL), at most
    ``limit`` characters."""
    visible = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in raw or "")
    return " ".join(visible.split())[:limit]
