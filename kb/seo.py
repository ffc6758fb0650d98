"""Structured data for search engines: HowTo, FAQPage or Article, as schema.org JSON-LD."""

import json

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from .models import ArticlePage, ArticleType

HOWTO_TYPES = {ArticleType.GUIDE, ArticleType.TROUBLESHOOTING}


def _plain(html_or_text) -> str:
    source = getattr(html_or_text, "source", html_or_text)
    return " ".join(strip_tags(str(source)).split())


def _steps(article: ArticlePage) -> list[dict]:
    steps = []
    for block in article.body:
        if block.block_type == "steps":
            for step in block.value["steps"]:
                steps.append(
                    {
                        "@type": "HowToStep",
                        "position": len(steps) + 1,
                        "text": _plain(step["text"]),
                    }
                )
    return steps


def _questions(article: ArticlePage) -> list[dict]:
    return [
        {
            "@type": "Question",
            "name": item["question"],
            "acceptedAnswer": {"@type": "Answer", "text": _plain(item["answer"])},
        }
        for block in article.body
        if block.block_type == "faq"
        for item in block.value["items"]
    ]


def article_structured_data(article: ArticlePage, request=None) -> dict:
    """The schema.org object describing ``article``."""
    common = {
        "@context": "https://schema.org",
        "name": article.title,
        "description": article.summary,
        "inLanguage": article.locale.language_code,
        "url": article.get_full_url(request),
    }
    steps = _steps(article) if article.article_type in HOWTO_TYPES else []
    questions = _questions(article) if article.article_type == ArticleType.FAQ else []
    if steps:
        data = {**common, "@type": "HowTo", "step": steps}
        if article.minutes:
            data["totalTime"] = f"PT{article.minutes}M"
        return data
    if questions:
        return {**common, "@type": "FAQPage", "mainEntity": questions}
    data = {**common, "@type": "Article", "headline": article.title[:110]}
    if article.last_published_at:
        data["dateModified"] = article.last_published_at.isoformat()
    if article.first_published_at:
        data["datePublished"] = article.first_published_at.isoformat()
    return data


def article_json_ld(article: ArticlePage, request=None) -> SafeString:
    """JSON-LD safe to place inside a <script> element (no way to close the element early)."""
    text = json.dumps(article_structured_data(article, request), ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return mark_safe(text)  # noqa: S308 - characters that could end the element are escaped
