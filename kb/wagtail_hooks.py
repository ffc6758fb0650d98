"""Editors' dashboard: which articles need attention; the "Article feedback" report."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from . import selectors
from .editorial import is_editorial_staff
from .reports import ArticleFeedbackReportView, EditorialMenuItem


class ArticleListPanel(Component):
    """A dashboard table of articles with one figure each."""

    template_name = "kb/admin/article_panel.html"

    def __init__(self, *, panel_id: str, heading: str, figure_label: str, rows, order: int):
        self.panel_id, self.heading, self.figure_label = panel_id, heading, figure_label
        self.rows, self.order = rows, order

    def get_context_data(self, parent_context):
        return {
            "panel_id": self.panel_id,
            "heading": self.heading,
            "figure_label": self.figure_label,
            "rows": self.rows,
        }


@hooks.register("construct_homepage_panels")
def add_article_health_panels(request, panels):
    if not is_editorial_staff(request.user):
        return
    least_helpful = [
        (article, f"{article.ratio:.0%} ({article.yes}/{article.votes})")
        for article in selectors.least_helpful_articles(min_votes=5)
    ]
    stale = [
        (article, article.last_published_at.date().isoformat())
        for article in selectors.stale_articles(months=12)
    ]
    most_viewed = [(a, a.month_views) for a in selectors.most_viewed_this_month()]
    panels += [
        ArticleListPanel(
            panel_id="kb-least-helpful",
            heading=_("Least helpful articles"),
            figure_label=_("Helpful"),
            rows=least_helpful,
            order=210,
        ),
        ArticleListPanel(
            panel_id="kb-stale",
            heading=_("Not updated in 12 months"),
            figure_label=_("Last published"),
            rows=stale,
            order=220,
        ),
        ArticleListPanel(
            panel_id="kb-most-viewed",
            heading=_("Most viewed this month"),
            figure_label=_("Views"),
            rows=most_viewed,
            order=230,
        ),
    ]


@hooks.register("register_admin_urls")
def register_kb_admin_urls():
    urls = [
        path("", ArticleFeedbackReportView.as_view(), name="article_feedback"),
        path(
            "results/",
            ArticleFeedbackReportView.as_view(results_only=True),
            name="article_feedback_results",
        ),
    ]
    return [path("reports/article-feedback/", include((urls, "kb_admin")))]


@hooks.register("register_reports_menu_item")
def register_article_feedback_menu_item():
    return EditorialMenuItem(
        _("Article feedback"),
        reverse("kb_admin:article_feedback"),
        name="article-feedback",
        icon_name="comment",
        order=1320,
    )
