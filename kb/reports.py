"""The "Article feedback" admin report: what customers wrote under "Was this helpful?".

Only the help center team (superusers, Editors, Reviewers) may read it; forum Moderators and
members never see it.
"""

import datetime
import re

import django_filters
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.active_filters import BaseFilterAdapter, register_filter_adapter_class
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.coreutils import multigetattr

from .editorial import is_editorial_staff
from .models import ArticleFeedback, FeedbackReason

DEFAULT_PERIOD_DAYS = 30
# A spreadsheet program runs a cell starting with one of these as a formula; customers
# write the comments, so CSV cells are neutralised (XLSX cells are always plain strings).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def default_period() -> list[datetime.date]:
    today = timezone.localdate()
    return [today - datetime.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today]


class EditorialReportView(ReportView):
    """A report for the help center team over a period; exports are named ``<prefix>-<date>``."""

    export_prefix = "report"

    def dispatch(self, request, *args, **kwargs):
        if not is_editorial_staff(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["default_period_days"] = DEFAULT_PERIOD_DAYS
        return context

    def get_filename(self):
        return f"{self.export_prefix}-{timezone.localdate():%Y-%m-%d}"

    def get_filtered_queryset(self):
        # get_queryset() has already applied the filters; ReportView would add them twice.
        return self.get_queryset()


class EditorialMenuItem(MenuItem):
    """Shown only to the people who may open the report behind it."""

    def is_shown(self, request):
        return is_editorial_staff(request.user)


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


class OnlyWithCommentSelect(BooleanRadioSelect):
    """Yes/No without "All": "No" already shows all feedback, with or without a comment."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("true", _("Yes")), ("false", _("No"))]


class YesNoFilter(django_filters.BooleanFilter):
    """A BooleanFilter whose active-filter chip reads "Yes"/"No" (translated), not True/False."""


class YesNoFilterAdapter(BaseFilterAdapter):
    def get_active_filters(self):
        for active in super().get_active_filters():
            yield active._replace(value=str(yes_no(self.value)))


register_filter_adapter_class(YesNoFilter, YesNoFilterAdapter, exact_class=True)


class ArticleFeedbackFilterSet(WagtailFilterSet):
    date = django_filters.DateFromToRangeFilter(
        label=_("Date"),
        field_name="created_at",
        widget=DateRangePickerWidget,
        initial=default_period,  # so the default period does not count as "filtering"
    )
    helpful = YesNoFilter(label=_("Helpful"), widget=BooleanRadioSelect)
    locale = django_filters.ChoiceFilter(
        label=_("Language"),
        field_name="locale__language_code",
        choices=lambda: settings.WAGTAIL_CONTENT_LANGUAGES,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    with_comment = YesNoFilter(
        label=_("Only with a comment"),
        method="filter_with_comment",
        widget=OnlyWithCommentSelect,
        initial=True,
    )
    reason = django_filters.ChoiceFilter(
        label=_("Reason"),
        choices=FeedbackReason.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ArticleFeedback
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        """By default: the last 30 days, and only feedback that has a comment to read."""
        if data is not None:
            defaults = {}
            if not {"date_from", "date_to"} & set(data):
                defaults["date_from"], defaults["date_to"] = (
                    d.isoformat() for d in default_period()
                )
            if "with_comment" not in data:
                defaults["with_comment"] = "true"
            if defaults:
                data = data.copy()
                data.update(defaults)
        super().__init__(data, *args, **kwargs)

    def filter_with_comment(self, queryset, name, value):
        return queryset.exclude(comment="") if value else queryset


class ArticleFeedbackPaginator(WagtailPaginator):
    verbose_name = _("feedback entry")
    verbose_name_plural = _("feedback entries")


class CommentColumn(Column):
    """The comment as escaped text, keeping the customer's line breaks."""

    cell_template_name = "kb/admin/feedback_report_comment_cell.html"


class LiveArticleColumn(Column):
    """A link to the article on the site, if it is live."""

    cell_template_name = "kb/admin/feedback_report_live_link_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        article = instance.article
        request = parent_context.get("request")
        context["live_url"] = article.get_url(request=request) if article.live else None
        context["article_title"] = article.title
        return context


def edit_url(feedback) -> str:
    return reverse("wagtailadmin_pages:edit", args=[feedback.article_id])


def export_yes_no(value: bool) -> str:
    return str(yes_no(value))  # spreadsheet writers want plain strings, not lazy ones


def csv_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def xlsx_safe(value) -> str:
    # openpyxl refuses control characters, and a customer may well have typed one.
    return CONTROL_CHARACTERS.sub("", "" if value is None else str(value))


def local_datetime(value):
    """Exports show the site's local time, to the second."""
    return timezone.make_naive(timezone.localtime(value)).replace(microsecond=0)


class ArticleFeedbackReportView(EditorialReportView):
    """Feedback customers left on articles, newest first, to read their comments."""

    page_title = _("Article feedback")
    header_icon = "comment"
    template_name = "kb/admin/feedback_report.html"
    results_template_name = "kb/admin/feedback_report_results.html"
    index_url_name = "kb_admin:article_feedback"
    index_results_url_name = "kb_admin:article_feedback_results"
    filterset_class = ArticleFeedbackFilterSet
    export_prefix = "article-feedback"
    verbose_name = _("feedback entry")
    verbose_name_plural = _("feedback entries")
    paginator_class = ArticleFeedbackPaginator
    is_searchable = True
    search_fields = ["comment", "article__title"]
    default_ordering = "-created_at"
    columns = [
        DateColumn("created_at", label=_("Date"), sort_key="created_at"),
        TitleColumn(
            "article",
            label=_("Article"),
            accessor=lambda feedback: feedback.article.title,
            get_url=edit_url,
        ),
        Column(
            "language",
            label=_("Language"),
            accessor=lambda feedback: feedback.locale.get_display_name(),
        ),
        Column("helpful", label=_("Helpful"), accessor=lambda feedback: yes_no(feedback.helpful)),
        Column("reason", label=_("Reason"), accessor="get_reason_display"),
        CommentColumn("comment", label=_("Comment")),
        LiveArticleColumn("live", label=_("Live article")),
    ]
    # "live_url" is filled in by to_row_dict(): only live articles have one.
    list_export = [
        "created_at",
        "article.title",
        "locale.language_code",
        "helpful",
        "reason",
        "comment",
        "live_url",
    ]
    export_headings = {
        "created_at": _("Date"),
        "article.title": _("Article"),
        "locale.language_code": _("Language"),
        "helpful": _("Helpful"),
        "reason": _("Reason"),
        "comment": _("Comment"),
        "live_url": _("Live article"),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        csv, xlsx = self.FORMAT_CSV, self.FORMAT_XLSX
        reason_label = self.reason_label
        self.custom_field_preprocess = {
            **self.custom_field_preprocess,
            "created_at": {csv: lambda value: str(local_datetime(value)), xlsx: local_datetime},
            "article.title": {csv: csv_safe, xlsx: xlsx_safe},
            "helpful": {csv: export_yes_no, xlsx: export_yes_no},
            "reason": {csv: reason_label, xlsx: reason_label},
            "comment": {csv: csv_safe, xlsx: xlsx_safe},
        }

    @staticmethod
    def reason_label(value) -> str:
        return str(FeedbackReason(value).label) if value in FeedbackReason.values else ""

    def to_row_dict(self, item):
        row = {
            field: multigetattr(item, field) for field in self.list_export if field != "live_url"
        }
        row["live_url"] = item.article.full_url if item.article.live else ""
        return {field: row[field] for field in self.list_export}

    def get_base_queryset(self):
        return ArticleFeedback.objects.select_related("article", "locale")

    def order_queryset(self, queryset):
        # A stable tie-break keeps pagination and exports deterministic.
        return queryset.order_by(self.ordering or self.default_ordering, "-pk")
