"""One Markdown engine for the site: markdown-it-py (CommonMark, linear-time parsing).

markdown2, machina's default, has a history of ReDoS and sanitiser bypasses; callers here still
pass the HTML through their own nh3 allowlist, so the parser is never the security boundary.
"""

from functools import cache

from markdown_it import MarkdownIt


@cache
def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": True, "breaks": True, "linkify": False})
        .enable("table")
        .enable("strikethrough")
    )


def markdown_to_html(text: str) -> str:
    """Unsanitised HTML for ``text``: always clean it before storing or showing it."""
    return _parser().render(text or "")
