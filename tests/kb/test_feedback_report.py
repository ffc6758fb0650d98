"""Editors read what customers wrote under "Was this helpful?" in an admin report."""

import csv
import io
import itertools
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from kb.editorial import MODERATORS, REVIEWERS
from kb.models import ArticleFeedback
from tests.factories import UserFactory
from tests.factories.kb import make_article

pytestmark = pytest.mark.django_db

REPORT_URL = "kb_admin:article_feedback"
_voters = itertools.count(1)


def leave_feedback(article, *, days_ago=0, helpful=False, reason="", comment=""):
    feedback = ArticleFeedback.objects.create(
        article=article,
        locale=article.locale,
        helpful=helpful,
        reason=reason,
        comment=comment,
        voter=f"s:{next(_voters)}",
    )
    # created_at is set on save; move it back in time afterwards.
    created_at = timezone.now() - timedelta(days=days_ago, minutes=1)
    ArticleFeedback.objects.filter(pk=feedback.pk).update(created_at=created_at)
    return feedback


@pytest.fixture
def articles(help_center):
    return {
        "en": make_article("Install the driver"),
        "fa": make_article("Driver in Persian", locale="fa", product=None),
    }


@pytest.fixture
def feedback(articles):
    en, fa = articles["en"], articles["fa"]
    return {
        "outdated": leave_feedback(
            en, days_ago=3, reason="outdated", comment="Menu names changed in v2."
        ),
        "thanks": leave_feedback(en, days_ago=1, helpful=True, comment="Worked first time."),
        "silent": leave_feedback(en, days_ago=2, helpful=False, reason="not_solved"),
        "persian": leave_feedback(fa, days_ago=5, reason="hard_to_follow", comment="Too long."),
        "old": leave_feedback(en, days_ago=45, comment="Comment from long ago."),
    }


def report_comments(client, **params):
    response = client.get(reverse(REPORT_URL), params)
    assert response.status_code == 200
    return [row.comment for row in response.context["object_list"]]


def test_editor_reads_recent_comments_newest_first(editor_client, articles, feedback):
    response = editor_client.get(reverse(REPORT_URL))
    assert response.status_code == 200
    html = response.content.decode()
    # Default: the last 30 days, only entries with a comment, newest first.
    assert [row.pk for row in response.context["object_list"]] == [
        feedback["thanks"].pk,
        feedback["outdated"].pk,
        feedback["persian"].pk,
    ]
    assert "Menu names changed in v2." in html and "Too long." in html
    assert "Comment from long ago." not in html
    en = articles["en"]
    assert reverse("wagtailadmin_pages:edit", args=[en.pk]) in html
    assert f'href="{en.url}"' in html  # the live article
    assert "It&#x27;s outdated" in html  # the reason's label
    assert "Persian" in html


def test_filters(editor_client, feedback):
    assert report_comments(editor_client, helpful="false") == [
        "Menu names changed in v2.",
        "Too long.",
    ]
    assert report_comments(editor_client, helpful="true") == ["Worked first time."]
    assert report_comments(editor_client, locale="fa") == ["Too long."]
    assert report_comments(editor_client, reason="outdated") == ["Menu names changed in v2."]
    # "Only with a comment" is on by default; turned off, silent votes show too.
    assert report_comments(editor_client, with_comment="false", helpful="false") == [
        "",
        "Menu names changed in v2.",
        "Too long.",
    ]
    period = {
        "date_from": (timezone.localdate() - timedelta(days=60)).isoformat(),
        "date_to": (timezone.localdate() - timedelta(days=4)).isoformat(),
    }
    assert report_comments(editor_client, **period) == ["Too long.", "Comment from long ago."]
    assert report_comments(editor_client, q="menu names") == ["Menu names changed in v2."]


def test_csv_export_has_comments_and_article_titles(editor_client, articles, feedback):
    leave_feedback(articles["en"], comment='=HYPERLINK("http://evil.example")')
    response = editor_client.get(reverse(REPORT_URL), {"export": "csv", "locale": "en"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "article-feedback-" in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == [
        "Date",
        "Article",
        "Language",
        "Helpful",
        "Reason",
        "Comment",
        "Live article",
    ]
    by_comment = {row[5]: row for row in rows[1:]}
    assert set(by_comment) == {
        '\'=HYPERLINK("http://evil.example")',  # a spreadsheet must not run it
        "Worked first time.",
        "Menu names changed in v2.",
    }
    row = by_comment["Menu names changed in v2."]
    assert row[1:5] == ["Install the driver", "en", "No", "It's outdated"]
    assert row[6] == articles["en"].full_url

    # XLSX: the same rows; a control character a customer typed does not break the file.
    leave_feedback(articles["en"], comment="Beep\x07 beep")
    response = editor_client.get(reverse(REPORT_URL), {"export": "xlsx", "locale": "en"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    comments = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Beep beep" in comments and "Menu names changed in v2." in comments


def test_html_in_a_comment_is_escaped(editor_client, articles):
    leave_feedback(articles["en"], comment="<script>alert(1)</script>\nSecond line")
    html = editor_client.get(reverse(REPORT_URL)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Second line" in html
    assert "<script>alert(1)</script>" not in html


def test_reviewer_and_superuser_see_the_report_and_its_menu_item(client, roles):
    client.force_login(roles[REVIEWERS])
    assert client.get(reverse(REPORT_URL)).status_code == 200
    assert "Article feedback" in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(reverse(REPORT_URL)).status_code == 200


def test_moderator_member_and_anonymous_are_refused(client, roles, member):
    url = reverse(REPORT_URL)
    login = reverse("wagtailadmin_login")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(login)

    for user in (roles[MODERATORS], member):
        client.force_login(user)
        for params in ({}, {"export": "csv"}):
            response = client.get(url, params)
            assert response.status_code == 302
            assert response["Location"].startswith(login)

    # Someone with admin access outside the help center team: no report, no menu item.
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 302
    assert not response["Location"].startswith(login)  # Wagtail's "permission denied"
    assert client.get(url, {"export": "csv"}).status_code == 302
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert "Article feedback" not in home.content.decode()
