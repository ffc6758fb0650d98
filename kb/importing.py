"""Import products and articles from JSON lines (see ``manage.py import_content``).

Each function takes one decoded line and returns the page it created or updated, raising
``ImportLineError`` with a reader-friendly message for anything wrong with that line.
"""

import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
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
    # Pages from ``"live": false`` lines: resolving their deferred links must not publish them.
    draft_pages: set[int] = field(default_factory=set)
    # Attachments a thread line lists by name only (exports carry no files); see forum.importing.
    skipped_attachments: list[dict] = field(default_factory=list)


# ``export_content`` names a page without a stored external_id ``<kind>-<translation key>-<lang>``
# (stable for the page's life); importing that id finds the page again by its translation key.
GENERATED_PAGE_ID = re.compile(
    r"^(?P<kind>article|product)-(?P<key>[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})"
    r"-(?P<lang>[\w-]+)$"
)


def page_external_id(page: Page, kind: str) -> str:
    """The page's stored external_id, or the stable one ``export_content`` generates for it."""
    return page.external_id or f"{kind}-{page.translation_key}-{page.locale.language_code}"


def page_by_external_id(model, external_id: str):
    """The page with this stored external_id, or the unnamed page a generated id stands for."""
    page = model.objects.filter(external_id=external_id).first()
    if page is None and (match := GENERATED_PAGE_ID.match(external_id)):
        page = model.objects.filter(
            external_id="",
            translation_key=match["key"],
            locale__language_code=match["lang"],
        ).first()
    return page


def articles_by_external_id(external_ids: list[str], locale: Locale) -> dict[str, int]:
    """{external_id: page id} for the articles in ``locale`` that these ids name."""
    found = dict(
        ArticlePage.objects.filter(external_id__in=external_ids, locale=locale).values_list(
            "external_id", "pk"
        )
    )
    for ref in external_ids:
        match = GENERATED_PAGE_ID.match(ref)
        if ref not in found and match and match["lang"] == locale.language_code:
            pk = (
                ArticlePage.objects.filter(
                    external_id="", translation_key=match["key"], locale=locale
                )
                .values_list("pk", flat=True)
                .first()
            )
            if pk is not None:
                found[ref] = pk
    return found


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


def _unique_slug(
    parent: Page, title: str, page: Page | None = None, *, base: str | None = None
) -> str:
    base = base or slugify(title, allow_unicode=True)[:70] or "article"
    siblings = parent.get_children().exclude(pk=getattr(page, "pk", None))
    slug, n = base, 2
    while siblings.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _requested_slug(data: dict) -> str:
    """The line's optional "slug" (exports keep URLs); empty when not given."""
    slug = _text(data, "slug", required=False)
    if slug:
        try:
            validate_unicode_slug(slug)
        except ValidationError as exc:
            raise ImportLineError(f'"slug" is not a valid slug: "{slug}"') from exc
    return slug


def _apply_slug(page: Page, parent: Page, data: dict, title: str) -> None:
    """A new page gets the requested slug (or one from its title); an existing one the request."""
    requested = _requested_slug(data)
    if page.pk is None:
        page.slug = _unique_slug(parent, title, base=requested or None)
    elif requested and requested != page.slug:
        page.slug = _unique_slug(parent, title, page, base=requested)


def _publishes(data: dict, context: ImportContext) -> bool:
    """Published unless the run is --draft or the line says ``"live": false``."""
    live = data.get("live", True)
    if not isinstance(live, bool):
        raise ImportLineError('"live" must be true or false')
    return context.publish and live


def _save(
    page: Page, context: ImportContext, *, is_new: bool = False, publish: bool | None = None
) -> None:
    """A new revision; published, or for a new page under --draft left as a draft."""
    revision = page.save_revision()
    if context.publish if publish is None else publish:
        revision.publish()
    elif is_new and page.live:
        page.unpublish(log_action=None)


def _translation_source(data: dict, model):
    original_id = data.get("translation_of")
    if not original_id:
        return None
    if not isinstance(original_id, str):
        raise ImportLineError('"translation_of" must be a string')
    original = page_by_external_id(model, original_id)
    if original is None:
        raise ImportLineError(f'"translation_of" names unknown external_id "{original_id}"')
    return original


def _find_or_translate(model, data: dict, locale: Locale):
    """(page, is_new): by external_id, else a translation of the original, else a new page."""
    external_id = _external_id(data)
    if external_id:
        page = page_by_external_id(model, external_id)
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
    publish = _publishes(data, context)
    if product.pk is None:
        _apply_slug(product, home, data, name)
        home.add_child(instance=product)
    else:
        product.slug = product.slug or _unique_slug(home, name, product)
        _apply_slug(product, product.get_parent(), data, name)
    _save(product, context, is_new=is_new, publish=publish)
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


def _listed_products(data: dict, locale: Locale, context: ImportContext) -> list:
    """ "products": product external_ids (what exports write); unknown ones are warned about."""
    ids = data["products"]
    if not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids):
        raise ImportLineError('"products" must be a list of product external_ids')
    label = data.get("external_id") or data.get("title")
    products = []
    for ref in ids:
        product = page_by_external_id(ProductPage, ref)
        if product is None or product.locale_id != locale.pk:
            context.warnings.append(f'{label}: no product "{ref}" in this language')
        elif product not in products:
            products.append(product)
    return products


def _products(data: dict, locale: Locale, original: ArticlePage | None, context) -> list:
    """The listed products; else a translation's original's; otherwise the named one."""
    if "products" in data:
        return _listed_products(data, locale, context)
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
    by_id = articles_by_external_id(related_ids, locale)
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
    publish = _publishes(data, context)
    label = article.external_id or title
    body, missing = _resolve_body(converted.blocks, converted.related_ids, locale, context, label)
    article.body = json.dumps(body)
    if article.pk is None:
        _apply_slug(article, parent, data, title)
        parent.add_child(instance=article)
    else:
        _apply_slug(article, article.get_parent(), data, title)
    article.products.set(products)
    article.tags.set(tags[:20], clear=True)
    _save(article, context, is_new=is_new, publish=publish)
    if not publish:
        context.draft_pages.add(article.pk)
    if missing:
        context.deferred_related[article.pk] = converted.related_ids
    return article


def resolve_deferred_related(context: ImportContext) -> None:
    """Add "see also" links that pointed at articles later in the same file."""
    for page_id, related_ids in context.deferred_related.items():
        article = ArticlePage.objects.get(pk=page_id)
        by_id = articles_by_external_id(related_ids, article.locale)
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
        _save(article, context, publish=context.publish and page_id not in context.draft_pages)
    context.deferred_related.clear()
