"""Search admin: synonyms editors maintain, and a report of what customers search for.

Both are for the help center team (superusers, Editors, Reviewers); forum Moderators and
members never see them.
"""

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, FloatField, Q, Sum
from django.db.models.functions import Cast, NullIf
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from kb.editorial import EDITORS, REVIEWERS, is_editorial_staff
from kb.reports import EditorialMenuItem, EditorialReportView, default_period

from .models import SearchQueryDay, SynonymGroup

SEARCH_TEAM_GROUPS = (EDITORS, REVIEWERS)


class SearchTeamPermissionPolicy(ModelPermissionPolicy):
    """The search team manages synonyms without a grant; explicit model permissions still count."""

    def user_has_permission(self, user, action):
        return is_editorial_staff(user) or super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        codenames = self._get_permission_codenames(actions)
        team = Q(groups__name__in=SEARCH_TEAM_GROUPS, is_active=True)
        lookup = self._get_users_with_any_permission_codenames_filter(codenames) | team
        return get_user_model().objects.filter(lookup).distinct()


# Must run before anything asks the registry for SynonymGroup's policy.
register_permission_policy(SynonymGroup, SearchTeamPermissionPolicy(SynonymGroup))


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


class SynonymGroupViewSet(SnippetViewSet):
    """Synonyms live next to Wagtail's promoted search results, under Settings."""

    model = SynonymGroup
    icon = "list-ul"
    menu_label = _("Search synonyms")
    menu_name = "search-synonyms"
    add_to_settings_menu = True
    menu_order = 910
    list_display = [
        "terms",
        Column(
            "locale",
            label=_("Language"),
            accessor=lambda group: language_name(group.locale) if group.locale else _("All"),
            sort_key="locale",
        ),
    ]
    list_filter = ["locale"]
    search_fields = ["terms"]
    panels = [FieldPanel("terms"), FieldPanel("locale")]


register_snippet(SynonymGroupViewSet)


class SearchTermsFilterSet(WagtailFilterSet):
    day = django_filters.DateFromToRangeFilter(
        label=_("Date"),
        method="filter_period",
        widget=DateRangePickerWidget,
        initial=default_period,  # so the default period does not count as "filtering"
    )
    locale = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=lambda: settings.LANGUAGES,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    zero_results = django_filters.BooleanFilter(
        label=_("Only queries with zero results"),
        method="filter_zero_results",
        widget=BooleanRadioSelect,
    )

    class Meta:
        model = SearchQueryDay
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        """Without a chosen period the report covers the last 30 days, not all of history."""
        if data is not None and not {"day_from", "day_to"} & set(data):
            data = data.copy()
            data["day_from"], data["day_to"] = (d.isoformat() for d in default_period())
        super().__init__(data, *args, **kwargs)

    def filter_period(self, queryset, name, value):
        # The range field widens dates to aware datetimes; compare calendar days.
        if value.start:
            queryset = queryset.filter(day__gte=timezone.localtime(value.start).date())
        if value.stop:
            queryset = queryset.filter(day__lte=timezone.localtime(value.stop).date())
        return queryset

    def filter_zero_results(self, queryset, name, value):
        # Applies to the period's total (HAVING), not to single days.
        if value:
            return queryset.filter(total_zero_results__gt=0)
        return queryset.filter(total_zero_results=0)


def format_rate(row) -> str:
    rate = row["click_through_rate"]
    return "" if rate is None else f"{rate:.0%}"


class SearchTermsPaginator(WagtailPaginator):
    """Counts the aggregated rows as search terms, not as the model's per-day rows."""

    verbose_name = _("search term")
    verbose_name_plural = _("search terms")


class SearchTermsReportView(EditorialReportView):
    """What customers searched for in a period, per query and language, with click-through."""

    page_title = _("Search terms")
    header_icon = "search"
    template_name = "search/admin/search_terms_report.html"
    results_template_name = "search/admin/search_terms_report_results.html"
    index_url_name = "search_admin:search_terms"
    index_results_url_name = "search_admin:search_terms_results"
    export_prefix = "search-terms"
    filterset_class = SearchTermsFilterSet
    verbose_name = _("search term")
    verbose_name_plural = _("search terms")
    paginator_class = SearchTermsPaginator
    is_searchable = True
    search_fields = ["query"]
    default_ordering = "-total_searches"
    columns = [
        Column("query", label=_("Search term"), sort_key="query"),
        Column("language", label=_("Language"), accessor=lambda row: language_name(row["locale"])),
        NumberColumn("total_searches", label=_("Searches"), sort_key="total_searches"),
        NumberColumn("total_zero_results", label=_("Zero results"), sort_key="total_zero_results"),
        NumberColumn("total_clicks", label=_("Clicks"), sort_key="total_clicks"),
        Column(
            "click_through_rate",
            label=_("Click-through rate"),
            accessor=format_rate,
            sort_key="click_through_rate",
        ),
    ]
    list_export = [
        "query",
        "locale",
        "total_searches",
        "total_zero_results",
        "total_clicks",
        "click_through_rate",
    ]
    export_headings = {
        "query": _("Search term"),
        "locale": _("Language"),
        "total_searches": _("Searches"),
        "total_zero_results": _("Zero results"),
        "total_clicks": _("Clicks"),
        "click_through_rate": _("Click-through rate"),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        rounded = {self.FORMAT_CSV: self.round_rate, self.FORMAT_XLSX: self.round_rate}
        self.custom_field_preprocess = {
            **self.custom_field_preprocess,
            "click_through_rate": rounded,
        }

    @staticmethod
    def round_rate(value):
        return "" if value is None else round(value, 4)

    def get_base_queryset(self):
        # Filters on day/locale land in WHERE, the zero-results filter in HAVING.
        totals = SearchQueryDay.objects.values("query", "locale").annotate(
            total_searches=Sum("searches"),
            total_zero_results=Sum("zero_results"),
            total_clicks=Sum("clicks"),
        )
        return totals.annotate(
            click_through_rate=Cast(F("total_clicks"), FloatField())
            / NullIf(F("total_searches"), 0)
        )

    def order_queryset(self, queryset):
        # A stable tie-break keeps pagination and exports deterministic.
        ordering = self.ordering or self.default_ordering
        return queryset.order_by(ordering, "query", "locale")


@hooks.register("register_admin_urls")
def register_search_admin_urls():
    urls = [
        path("", SearchTermsReportView.as_view(), name="search_terms"),
        path(
            "results/",
            SearchTermsReportView.as_view(results_only=True),
            name="search_terms_results",
        ),
    ]
    return [path("reports/search-analytics/", include((urls, "search_admin")))]


@hooks.register("register_reports_menu_item")
def register_search_terms_menu_item():
    # Wagtail's superuser-only "Search terms" report (search promotions) already uses
    # the name "search-terms".
    return EditorialMenuItem(
        _("Help center search terms"),
        reverse("search_admin:search_terms"),
        name="help-center-search-terms",
        icon_name="search",
        order=1310,
    )
