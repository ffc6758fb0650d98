"""Import products and articles from JSON lines (see ``manage.py import_content``).

Each function takes one decoded line and returns the page it created or updated, raising
``ImportLineError`` with a reader-friendly message for anything wrong with that line.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from .markdown_blocks import inline_html, markdown_to_blocks
from .models import ArticlePage, ArticleType, Difficulty, HelpCenterPage, ProductPage


class ImportLineError(ValueError):
    """A line that cannot be imported; the message says why."""


@dataclass
class ImportContext:
    """State shared across the lines of one import run."""

    publish: bool = True
    deferred_related: dict[int, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _text(data: dict, key: str, *, required: bool = True, limit: int = 255) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ImportLineError(f'"{key}" must be a string')
    value = value.strip()
    if required and not value:
        raise ImportLineError(f'"{key}" is required')
    if len(value) > limit:
        raise ImportLineError(f'"{key}" is longer than {limit} characters')
    return value


def _external_id(data: dict) -> str:
    return _text(data, "external_id", required=False, limit=120)


def _locale(data: dict) -> Locale:
    code = data.get("locale") or settings.LANGUAGE_CODE
    if code not in dict(settings.LANGUAGES):
        raise ImportLineError(f'unknown locale "{code}"')
    return Locale.objects.get_or_create(language_code=code)[0]


def help_center_for(locale: Locale) -> HelpCenterPage:
    home = HelpCenterPage.objects.filter(locale=locale).first()
    if home is None:
        default = HelpCenterPage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE
        ).first()
        if default is None:
            raise ImportLineError("there is no help center yet: run seed_demo or create one")
        home = default.copy_for_translation(locale)
        home.save_revision().publish()
    return home


def _unique_slug(parent: Page, title: str, page: Page | None = None) -> str:
    base = slugify(title, allow_unicode=True)[:70] or "article"
    siblings = parent.get_children().exclude(pk=getattr(page, "pk", None))
    slug, n = base, 2
    while siblings.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _save(page: Page, context: ImportContext, *, is_new: bool = False) -> None:
    """A new revision; published, or for a new page under --draft left as a draft."""
    revision = page.save_revision()
    if context.publish:
        revision.publish()
    elif is_new and page.live:
        page.unpublish(log_action=None)


def _translation_source(data: dict, model):
    original_id = data.get("translation_of")
    if not original_id:
        return None
    original = model.objects.filter(external_id=original_id).first()
    if original is None:
        raise ImportLineError(f'"translation_of" names unknown external_id "{original_id}"')
    return original


def _find_or_translate(model, data: dict, locale: Locale):
    """(page, is_new): by external_id, else a translation of the original, else a new page."""
    external_id = _external_id(data)
    if external_id:
        page = model.objects.filter(external_id=external_id).first()
        if page is not None:
            if page.locale_id != locale.pk:
                raise ImportLineError(f'external_id "{external_id}" belongs to another language')
            return page, False
    original = _translation_source(data, model)
    if original is not None:
        if original.locale_id == locale.pk:
            raise ImportLineError('"translation_of" must name a page in another language')
        existing = original.get_translation_or_none(locale)
        if existing is not None:
            return existing.specific, False
        return original.copy_for_translation(locale, copy_parents=True).specific, True
    return model(locale=locale), True


@transaction.atomic
def import_product(data: dict, context: ImportContext) -> ProductPage:
    locale = _locale(data)
    name = _text(data, "name")
    home = help_center_for(locale)
    product, is_new = _find_or_translate(ProductPage, data, locale)
    if is_new and product.pk is None:
        existing = ProductPage.objects.filter(locale=locale, title=name).first()
        if existing is not None:
            product, is_new = existing, False
    product.title = name
    product.summary = _text(data, "summary", required=False, limit=400)
    product.warranty_summary = _text(data, "warranty_summary", required=False, limit=2000)
    product.external_id = _external_id(data) or product.external_id
    if product.pk is None:
        product.slug = _unique_slug(home, name)
        home.add_child(instance=product)
    else:
        product.slug = product.slug or _unique_slug(home, name, product)
    _save(product, context, is_new=is_new)
    return product


def product_for_article(name: str, locale: Locale, context: ImportContext) -> ProductPage:
    """The locale's product called ``name``; created (published) if missing."""
    product = ProductPage.objects.filter(locale=locale, title=name).first()
    if product is None:
        product = import_product({"name": name, "locale": locale.language_code}, context)
    return product


def translate_and_publish(page: Page, locale: Locale, context: ImportContext) -> Page:
    """``page``'s translation into ``locale``, created from the original if missing."""
    twin = page.get_translation_or_none(locale)
    if twin is None:
        twin = page.copy_for_translation(locale, copy_parents=True)
        _save(twin, context)
    return twin.specific


def _products(data: dict, locale: Locale, original: ArticlePage | None, context) -> list:
    """A translation belongs to its original's products; otherwise to the named one."""
    if original is not None:
        return [translate_and_publish(p, locale, context) for p in original.products.all()]
    name = _text(data, "product", required=False)
    return [product_for_article(name, locale, context)] if name else []


def _choice(data: dict, key: str, choices, *, required: bool = False) -> str:
    value = data.get(key) or ""
    if not value and not required:
        return ""
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ImportLineError(f'"{key}" must be one of {allowed}, not "{value}"')
    return value


def _small_int(data: dict, key: str) -> int | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10_000:
        raise ImportLineError(f'"{key}" must be a whole number between 0 and 10000')
    return value


def _resolve_body(blocks, related_ids, locale, context: ImportContext, page_label: str):
    """Raw StreamField data: documents and images by title, related articles by external_id."""
    raw = []
    for block_type, value in blocks:
        if block_type == "download":
            document = get_document_model().objects.filter(title=value["title"]).first()
            if document is None:
                context.warnings.append(f'{page_label}: no document titled "{value["title"]}"')
                raw.append({"type": "text", "value": inline_html(value["title"])})
                continue
            value = {"document": document.pk, "label": ""}
        elif block_type == "image":
            image = get_image_model().objects.filter(title=value["title"]).first()
            if image is None:
                context.warnings.append(f'{page_label}: no image titled "{value["title"]}"')
                continue
            value = {"image": image.pk, "caption": value["caption"]}
        raw.append({"type": block_type, "value": value})
    found = list(
        ArticlePage.objects.filter(external_id__in=related_ids, locale=locale).values_list(
            "external_id", "pk"
        )
    )
    by_id = dict(found)
    pages = [by_id[ref] for ref in related_ids if ref in by_id]
    if pages:
        raw.append({"type": "related", "value": {"articles": pages}})
    missing = [ref for ref in related_ids if ref not in by_id]
    return raw, missing


@transaction.atomic
def import_article(data: dict, context: ImportContext) -> ArticlePage:
    locale = _locale(data)
    title = _text(data, "title")
    article_type = _choice(data, "article_type", ArticleType, required=True)
    body_markdown = data.get("body_markdown", "")
    if not isinstance(body_markdown, str) or not body_markdown.strip():
        raise ImportLineError('"body_markdown" is required')
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ImportLineError('"tags" must be a list of strings')
    converted = markdown_to_blocks(body_markdown)
    original = _translation_source(data, ArticlePage)
    products = _products(data, locale, original, context)
    parent = products[0] if products else help_center_for(locale)

    article, is_new = _find_or_translate(ArticlePage, data, locale)
    article.title = title
    article.summary = _text(data, "summary", limit=300)
    article.article_type = article_type
    article.difficulty = _choice(data, "difficulty", Difficulty)
    article.minutes = _small_int(data, "minutes")
    article.lesson = _small_int(data, "lesson")
    article.course = _text(data, "course", required=False, limit=120)
    article.external_id = _external_id(data) or article.external_id
    label = article.external_id or title
    body, missing = _resolve_body(converted.blocks, converted.related_ids, locale, context, label)
    article.body = json.dumps(body)
    if article.pk is None:
        article.slug = _unique_slug(parent, title)
        parent.add_child(instance=article)
    article.products.set(products)
    article.tags.set(tags[:20], clear=True)
    _save(article, context, is_new=is_new)
    if missing:
        context.deferred_related[article.pk] = converted.related_ids
    return article


def resolve_deferred_related(context: ImportContext) -> None:
    """Add "see also" links that pointed at articles later in the same file."""
    for page_id, related_ids in context.deferred_related.items():
        article = ArticlePage.objects.get(pk=page_id)
        related = ArticlePage.objects.filter(
            external_id__in=related_ids, locale=article.locale
        ).values_list("external_id", "pk")
        by_id = dict(related)
        missing = [ref for ref in related_ids if ref not in by_id]
        for ref in missing:
            context.warnings.append(f'{article.external_id}: no article "{ref}" to link to')
        raw = [
            {"type": block.block_type, "value": block.block.get_prep_value(block.value)}
            for block in article.body
            if block.block_type != "related"
        ]
        pages = [by_id[ref] for ref in related_ids if ref in by_id]
        if pages:
            raw.append({"type": "related", "value": {"articles": pages}})
        article.body = json.dumps(raw)
        _save(article, context)
    context.deferred_related.clear()
