"""Knowledge-base pages: the help center, products, and the articles customers read."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from core.pagecache import cache_shared_page, generations

from .blocks import ArticleBodyBlock, DownloadBlock, HeadingBlock

# Generation of everything the knowledge-base pages show of one another (lists, breadcrumbs,
# related articles, translations): bumped on every publish, unpublish, move and delete.
KB_GENERATION = "kb"


class SharedCachedPage(Page):
    """Pages served from the page cache (``core.pagecache``), to anonymous visitors and members.

    What these pages show is the same for every reader but for the account menu, which the
    page cache renders per member. Pages with view restrictions are never shared.
    """

    page_cache_seconds: int | None = None

    class Meta:
        abstract = True

    def page_cache_depends_on(self) -> list[str]:
        return [KB_GENERATION]

    def get_context(self, request, *args, **kwargs):
        # Keys the templates' fragment caches (used on page-cache misses); lists are lazy
        # (SimpleLazyObject) so a cached fragment skips their queries.
        # A preview shows a draft under the published page's id: it gets a generation of its
        # own so it neither reads nor replaces the published fragments.
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            context["kb_generation"] = f"preview-{uuid.uuid4().hex}"
        else:
            context["kb_generation"] = generations([KB_GENERATION])[KB_GENERATION]
        return context

    def page_cache_on_hit(self) -> tuple[str | None, tuple]:
        return None, ()

    def serve(self, request, *args, **kwargs):
        if request.method == "GET" and not self.get_view_restrictions().exists():
            on_hit, on_hit_args = self.page_cache_on_hit()
            cache_shared_page(
                request,
                depends_on=self.page_cache_depends_on(),
                members=True,
                on_hit=on_hit,
                on_hit_args=on_hit_args,
                seconds=self.page_cache_seconds,
            )
        return super().serve(request, *args, **kwargs)


class HelpCenterPage(SharedCachedPage):
    """The site root in each language: where customers start looking for help."""

    # "Popular articles" follows view counts, which change without a publish.
    page_cache_seconds = 300

    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("One or two sentences under the search box.")
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["kb.ProductPage", "kb.ArticlePage"]

    class Meta:
        verbose_name = _("help center")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["products"] = SimpleLazyObject(
            lambda: list(selectors.products_for_locale(locale=self.locale))
        )
        context["popular_articles"] = SimpleLazyObject(
            lambda: selectors.popular_articles(locale=self.locale)
        )
        context["recent_articles"] = SimpleLazyObject(
            lambda: selectors.recently_updated_articles(locale=self.locale)
        )
        return context


class ProductPage(SharedCachedPage):
    """A product or product family, with its articles and latest community questions."""

    summary = models.TextField(_("short description"), blank=True, max_length=400)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    warranty_summary = models.TextField(_("warranty summary"), blank=True)
    manuals = StreamField([("manual", DownloadBlock())], blank=True, verbose_name=_("manuals"))
    community_forum = models.ForeignKey(
        "forum.Forum",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("community forum"),
        help_text=_("Where customers ask about this product."),
    )
    external_id = models.CharField(max_length=120, blank=True, db_index=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("warranty_summary"),
        FieldPanel("manuals"),
        FieldPanel("community_forum"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["kb.HelpCenterPage"]
    subpage_types = ["kb.ArticlePage"]

    class Meta:
        verbose_name = _("product")

    def page_cache_depends_on(self) -> list[str]:
        # "Latest community questions" changes with every new topic or reply in the forum.
        return [KB_GENERATION, f"forum:{self.community_forum_id}"]

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        article_type = request.GET.get("type", "")
        if article_type in ArticleType.values:
            # One type's articles, a page at a time ("See all" from the overview).
            context["article_type"] = ArticleType(article_type)
            context["page_number"] = request.GET.get("page", "1")
            context["type_page"] = SimpleLazyObject(
                lambda: selectors.product_articles_of_type(
                    product=self,
                    article_type=article_type,
                    page=context["page_number"],
                    per_page=settings.KB_PRODUCT_TYPE_PAGE_SIZE,
                )
            )
        else:
            context["article_groups"] = SimpleLazyObject(
                lambda: selectors.product_article_groups(
                    product=self, preview=settings.KB_PRODUCT_GROUP_PREVIEW
                )
            )
        context["community_questions"] = selectors.latest_product_questions(product=self)
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "kb.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleType(models.TextChoices):
    GUIDE = "guide", _("Installation guide")
    TRAINING = "training", _("Training")
    TROUBLESHOOTING = "troubleshooting", _("Troubleshooting")
    FAQ = "faq", _("FAQ")
    POLICY = "policy", _("Warranty & returns")


class Difficulty(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class ArticlePage(SharedCachedPage):
    """A help article: installation guide, training lesson, troubleshooting, FAQ or policy."""

    article_type = models.CharField(
        _("type"), max_length=20, choices=ArticleType.choices, default=ArticleType.GUIDE
    )
    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences; shown in lists and to search engines."),
    )
    products = ParentalManyToManyField(
        "kb.ProductPage", blank=True, related_name="articles", verbose_name=_("products")
    )
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("topics"))
    minutes = models.PositiveSmallIntegerField(_("estimated time (minutes)"), null=True, blank=True)
    difficulty = models.CharField(
        _("difficulty"), max_length=20, choices=Difficulty.choices, blank=True
    )
    course = models.CharField(
        _("course"),
        max_length=120,
        blank=True,
        help_text=_("Training lessons with the same course name form a sequence."),
    )
    lesson = models.PositiveSmallIntegerField(_("lesson number"), null=True, blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    external_id = models.CharField(max_length=120, blank=True, db_index=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("article_type"),
                FieldPanel("products"),
                FieldPanel("tags"),
                FieldPanel("minutes"),
                FieldPanel("difficulty"),
                FieldPanel("course"),
                FieldPanel("lesson"),
            ],
            heading=_("About this article"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("article_type"),
    ]
    parent_page_types = ["kb.HelpCenterPage", "kb.ProductPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")

    def table_of_contents(self) -> list[dict]:
        """Anchors and titles of the body's headings, in order."""
        return [
            {
                "anchor": block.block.anchor(block.value),
                "text": block.value["text"],
                "level": block.value["level"],
            }
            for block in self.body
            if isinstance(block.block, HeadingBlock)
        ]

    def reading_minutes(self) -> int:
        from .text import streamfield_text

        words = len(streamfield_text(self.body).split()) + len(self.summary.split())
        return max(1, round(words / settings.KB_READING_WORDS_PER_MINUTE))

    def get_context(self, request, *args, **kwargs):
        from . import selectors, seo
        from .forms import FeedbackForm

        context = super().get_context(request, *args, **kwargs)
        context["related_articles"] = SimpleLazyObject(
            lambda: selectors.related_articles(article=self)
        )
        context["previous_lesson"], context["next_lesson"] = selectors.lesson_neighbours(
            article=self
        )
        context["json_ld"] = SimpleLazyObject(lambda: seo.article_json_ld(self, request))
        context["feedback_form"] = getattr(request, "kb_feedback_form", None) or FeedbackForm()
        return context

    def page_cache_on_hit(self) -> tuple[str | None, tuple]:
        return "kb.services.article_count_view", (self.pk,)

    def serve(self, request, *args, **kwargs):
        from .services import article_record_view

        response = super().serve(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            article_record_view(article=self)
        return response


class FeedbackReason(models.TextChoices):
    OUTDATED = "outdated", _("It's outdated")
    NOT_SOLVED = "not_solved", _("It didn't solve my problem")
    HARD_TO_FOLLOW = "hard_to_follow", _("It's hard to follow")
    OTHER = "other", _("Something else")


class ArticleFeedback(models.Model):
    """One visitor's "Was this helpful?" answer for one article in one language."""

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="feedback")
    locale = models.ForeignKey(Locale, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    reason = models.CharField(max_length=20, choices=FeedbackReason.choices, blank=True)
    comment = models.TextField(blank=True, max_length=1000)
    voter = models.CharField(
        max_length=80, help_text="u:<user id> or s:<hashed session key>; one vote each"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("article feedback")
        constraints = [
            models.UniqueConstraint(fields=["article", "voter"], name="kb_feedback_one_per_voter")
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {'yes' if self.helpful else 'no'}"


class ArticleViewDay(models.Model):
    """Views of an article per day, for "most viewed" lists."""

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="kb_view_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} on {self.day}: {self.views}"
