"""Forum posts: Markdown rendered to HTML, then reduced to a safe allowlist.

machina's default renderer (markdown2 with ``safe_mode``) is not a security boundary (markdown2
issues #702, #721) and has a ReDoS history; posts are parsed by the site's Markdown engine and
everything it produces goes through nh3 (Ammonia) before it is stored.
"""

import nh3

from core.markdown import markdown_to_html

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "b",
    "em",
    "i",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


def sanitize_html(html: str) -> str:
    """Keep formatting; drop scripts, event handlers, styles, frames and unsafe URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_post_markdown(text: str, **_machina_kwargs) -> str:
    """machina's ``MACHINA_MARKUP_LANGUAGE`` renderer: Markdown in, safe HTML out."""
    return sanitize_html(markdown_to_html(text)).strip()
