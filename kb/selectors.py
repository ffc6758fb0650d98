"""Read-only queries behind the knowledge-base pages and dashboards."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Case, Count, F, FloatField, Q, Sum, Value, When, Window
from django.db.models.functions import Cast, RowNumber
from django.utils import timezone
from wagtail.models import Locale

from .models import ArticleFeedback, ArticlePage, ArticleType, ProductPage


def live_articles(*, locale: Locale | None = None):
    articles = ArticlePage.objects.live().public()
    if locale is not None:
        articles = articles.filter(locale=locale)
    return articles


def products_for_locale(*, locale: Locale):
    return ProductPage.objects.live().public().filter(locale=locale).order_by("path")


def popular_articles(
    *, locale: Locale, days: int = 30, limit: int = 6, product: str | None = None
) -> list[ArticlePage]:
    """Most viewed recently; helpful votes break ties and fill in when nothing was viewed.

    ``product`` (a product title) narrows the list to that product's articles.
    """
    since = timezone.localdate() - timedelta(days=days)
    articles = live_articles(locale=locale)
    if product:
        articles = articles.filter(products__title=product)
    return list(
        articles.annotate(
            recent_views=Sum("view_days__views", filter=Q(view_days__day__gte=since), default=0),
            helpful_votes=Count("feedback", filter=Q(feedback__helpful=True), distinct=True),
        ).order_by("-recent_views", "-helpful_votes", "title")[:limit]
    )


def recently_updated_articles(*, locale: Locale, limit: int = 6) -> list[ArticlePage]:
    return list(
        live_articles(locale=locale).order_by("-last_published_at").defer_streamfields()[:limit]
    )


# A product's articles in the order they are read: courses by lesson, then by title.
READING_ORDER = ("course", "lesson", "title")


@dataclass
class ArticleGroup:
    """One article type on a product page: its label, how many there are and the first few."""

    type: str
    label: str
    count: int
    articles: list[ArticlePage]


def product_articles(*, product: ProductPage):
    """A product's live articles in reading order, each once.

    An article belongs to a product when it names it or when it lives under its page.
    """
    named = ArticlePage.products.through.objects.filter(productpage=product)
    return (
        live_articles(locale=product.locale)
        .filter(
            Q(pk__in=named.values("articlepage_id"))
            | Q(path__startswith=product.path, depth=product.depth + 1)
        )
        .order_by(*READING_ORDER)
        .defer_streamfields()
    )


def product_article_groups(*, product: ProductPage, preview: int) -> list[ArticleGroup]:
    """Each article type's count and first ``preview`` articles, in the order customers need
    them (install, learn, fix, ask): two queries however many articles a product has."""
    articles = product_articles(product=product)
    counts = dict(
        articles.order_by()
        .values("article_type")
        .annotate(n=Count("pk"))
        .values_list("article_type", "n")
    )
    first = articles.annotate(
        position=Window(
            RowNumber(),
            partition_by=F("article_type"),
            order_by=[F(field).asc() for field in READING_ORDER],
        )
    ).filter(position__lte=preview)
    grouped = {}
    for article in first:
        grouped.setdefault(article.article_type, []).append(article)
    return [
        ArticleGroup(value, label, counts[value], grouped.get(value, []))
        for value, label in ArticleType.choices
        if counts.get(value)
    ]


def product_articles_of_type(*, product: ProductPage, article_type: str, page, per_page: int):
    """One page of a product's articles of one type (a ``Paginator`` page; bad numbers give
    the nearest page)."""
    articles = product_articles(product=product).filter(article_type=article_type)
    return Paginator(articles, per_page).get_page(page)


def latest_product_questions(*, product: ProductPage, limit: int = 5):
    if product.community_forum_id is None:
        return []
    from machina.apps.forum_conversation.models import Topic

    return list(
        Topic.approved_objects.filter(forum_id=product.community_forum_id)
        .select_related("poster")
        .order_by("-last_post_on")[:limit]
    )


def related_articles(*, article: ArticlePage, limit: int = 5) -> list[ArticlePage]:
    """Same product and shared topics first, then shared topics, then the same product."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    product_ids = [product.pk for product in article.products.all()]
    if not tag_ids and not product_ids:
        return []
    # Ranked and cut in the database: a popular product has hundreds of candidates.
    return list(
        live_articles(locale=article.locale)
        .exclude(pk=article.pk)
        .filter(Q(tagged_items__tag_id__in=tag_ids) | Q(products__in=product_ids))
        .annotate(
            shared_tags=Count(
                "tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True
            ),
            same_product=Count("products", filter=Q(products__in=product_ids), distinct=True),
        )
        .annotate(
            both=Case(When(shared_tags__gt=0, same_product__gt=0, then=Value(1)), default=Value(0))
        )
        .order_by("-both", "-shared_tags", "-same_product", "title")
        .defer_streamfields()
        .distinct()[:limit]
    )


def lesson_neighbours(*, article: ArticlePage) -> tuple[ArticlePage | None, ArticlePage | None]:
    """Previous and next lessons of a training course, in the same language."""
    if article.article_type != ArticleType.TRAINING or not article.course or article.lesson is None:
        return None, None
    course = live_articles(locale=article.locale).filter(course=article.course)
    previous = course.filter(lesson__lt=article.lesson).order_by("-lesson").first()
    following = course.filter(lesson__gt=article.lesson).order_by("lesson").first()
    return previous, following


def article_satisfaction(*, article: ArticlePage) -> dict:
    counts = ArticleFeedback.objects.filter(article=article).aggregate(
        yes=Count("pk", filter=Q(helpful=True)), total=Count("pk")
    )
    total = counts["total"]
    return {**counts, "ratio": counts["yes"] / total if total else None}


def least_helpful_articles(*, min_votes: int = 5, limit: int = 10):
    """Articles readers rate worst (ratio of Yes votes), once they have enough votes."""
    return (
        ArticlePage.objects.live()
        .annotate(
            votes=Count("feedback"),
            yes=Count("feedback", filter=Q(feedback__helpful=True)),
        )
        .filter(votes__gte=min_votes)
        .annotate(ratio=Cast(F("yes"), FloatField()) / Cast(F("votes"), FloatField()))
        .select_related("locale")
        .order_by("ratio", "-votes")[:limit]
    )


def stale_articles(*, months: int = 12, limit: int = 10):
    cutoff = timezone.now() - timedelta(days=round(months * 30.44))
    return (
        ArticlePage.objects.live()
        .filter(last_published_at__lt=cutoff)
        .select_related("locale")
        .order_by("last_published_at")[:limit]
    )


def most_viewed_this_month(*, limit: int = 10):
    first_of_month = timezone.localdate().replace(day=1)
    return (
        ArticlePage.objects.live()
        .annotate(month_views=Sum("view_days__views", filter=Q(view_days__day__gte=first_of_month)))
        .filter(month_views__gt=0)
        .select_related("locale")
        .order_by("-month_views")[:limit]
    )
