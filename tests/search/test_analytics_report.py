"""The help center team sees what customers search for and maintains synonyms in the admin."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kb.editorial import MODERATORS, REVIEWERS
from search.analytics import record_click, record_search
from search.models import SearchQueryDay, SynonymGroup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REPORT_URL = "search_admin:search_terms"


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def searches(db):
    """Rows on several days; "old query" lies outside the default 30 days."""
    rows = [
        (2, "en", "printer offline", 5, 0, 2),
        (10, "en", "printer offline", 3, 1, 1),
        (1, "fa", "printer offline", 4, 0, 0),
        (5, "en", "paper jam", 2, 2, 0),
        (40, "en", "old query", 100, 0, 50),
    ]
    for ago, locale, query, total, zero, clicks in rows:
        SearchQueryDay.objects.create(
            day=days_ago(ago),
            locale=locale,
            query=query,
            searches=total,
            zero_results=zero,
            clicks=clicks,
        )
    record_search("Printer  OFFLINE", "en", total=3)
    record_search("printer offline", "en", total=7)
    record_click("printer offline", "en")


def report_rows(client, **params):
    response = client.get(reverse(REPORT_URL), params)
    assert response.status_code == 200
    return [
        (
            r["query"],
            r["locale"],
            r["total_searches"],
            r["total_zero_results"],
            r["total_clicks"],
        )
        for r in response.context["object_list"]
    ]


def test_default_period_is_last_30_days_with_totals_per_query_and_language(editor_client, searches):
    response = editor_client.get(reverse(REPORT_URL))
    html = response.content.decode()
    assert report_rows(editor_client) == [
        ("printer offline", "en", 10, 1, 4),
        ("printer offline", "fa", 4, 0, 0),
        ("paper jam", "en", 2, 2, 0),
    ]
    assert "old query" not in html
    assert "Persian" in html and "40%" in html  # language name, 4 clicks / 10 searches


def test_chosen_period_excludes_rows_outside_it(editor_client, searches):
    period = {"day_from": days_ago(12).isoformat(), "day_to": days_ago(3).isoformat()}
    assert report_rows(editor_client, **period) == [
        ("printer offline", "en", 3, 1, 1),
        ("paper jam", "en", 2, 2, 0),
    ]
    since = {"day_from": days_ago(45).isoformat(), "day_to": ""}
    assert ("old query", "en", 100, 0, 50) in report_rows(editor_client, **since)


def test_language_filter_and_ordering(editor_client, searches):
    assert report_rows(editor_client, locale="fa") == [("printer offline", "fa", 4, 0, 0)]
    by_clicks = report_rows(editor_client, ordering="-total_clicks")
    assert [row[4] for row in by_clicks] == [4, 0, 0]


def test_zero_results_filter_uses_totals_for_the_period(editor_client, searches):
    assert report_rows(editor_client, zero_results="true") == [
        ("printer offline", "en", 10, 1, 4),
        ("paper jam", "en", 2, 2, 0),
    ]
    assert report_rows(editor_client, zero_results="false") == [("printer offline", "fa", 4, 0, 0)]


def test_csv_export_has_headings_and_aggregates(editor_client, searches):
    response = editor_client.get(reverse(REPORT_URL), {"export": "csv", "locale": "en"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "search-terms-" in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == [
        "Search term",
        "Language",
        "Searches",
        "Zero results",
        "Clicks",
        "Click-through rate",
    ]
    assert rows[1:] == [
        ["printer offline", "en", "10", "1", "4", "0.4"],
        ["paper jam", "en", "2", "2", "0", "0.0"],
    ]


def test_reviewer_and_superuser_may_see_the_report(client, roles, searches):
    client.force_login(roles[REVIEWERS])
    assert client.get(reverse(REPORT_URL)).status_code == 200
    assert "Help center search terms" in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(reverse(REPORT_URL)).status_code == 200


def test_moderator_member_and_anonymous_are_refused(client, roles, member, searches):
    url = reverse(REPORT_URL)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))

    # Moderators work in the forum: they have no access to the CMS at all.
    client.force_login(roles[MODERATORS])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert client.get(url, {"export": "csv"}).status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 302

    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_recording_counts_into_one_row_per_day_language_and_query(db):
    record_search("Wifi  Setup", "en", total=0)
    record_search("wifi setup", "en", total=4)
    record_click("WIFI setup", "en")
    record_search("wifi setup", "fa", total=1)
    row = SearchQueryDay.objects.get(query="wifi setup", locale="en")
    assert (row.day, row.searches, row.zero_results, row.clicks) == (
        timezone.localdate(),
        2,
        1,
        1,
    )
    assert SearchQueryDay.objects.count() == 2


def test_editor_adds_a_synonym_group_in_the_admin(editor_client):
    add_url = reverse("wagtailsnippets_search_synonymgroup:add")
    list_url = reverse("wagtailsnippets_search_synonymgroup:list")
    response = editor_client.post(add_url, {"terms": "wifi, wi-fi, wireless", "locale": "en"})
    assert response.status_code == 302
    group = SynonymGroup.objects.get()
    assert (group.terms, group.locale) == ("wifi, wi-fi, wireless", "en")
    html = editor_client.get(list_url).content.decode()
    assert "wifi, wi-fi, wireless" in html and "English" in html
    assert "wireless" in editor_client.get(list_url, {"q": "wireless"}).content.decode()
    home = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Search synonyms" in home


def test_moderator_cannot_manage_synonyms(client, roles):
    client.force_login(roles[MODERATORS])
    add_url = reverse("wagtailsnippets_search_synonymgroup:add")
    response = client.post(add_url, {"terms": "printer, printers", "locale": ""})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert not SynonymGroup.objects.exists()
