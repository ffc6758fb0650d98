"""Shared page cache (anonymous visitors, members) and fragment caches on knowledge-base pages."""

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import Client

from core import pagecache
from kb.models import ArticleFeedback, ArticleViewDay
from kb.services import article_views
from tests.factories import UserFactory
from tests.factories.kb import make_article, make_product

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def without_tokens(html: bytes) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', html.decode())


@pytest.fixture
def article(help_center):
    make_product()
    return make_article("Install your printer")


def test_second_anonymous_visit_is_served_from_the_cache_with_the_same_page(client, article):
    first = client.get(article.url)
    second = client.get(article.url)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert without_tokens(second.content) == without_tokens(first.content)
    assert "<h1>Install your printer</h1>" in second.content.decode()
    # The feedback form carries the visitor's own CSRF token: not for shared caches.
    assert "private" in second["Cache-Control"] and "max-age=60" in second["Cache-Control"]
    assert "Content-Security-Policy" in second


def test_cached_page_carries_a_token_that_works_for_this_visitor(article):
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(article.url)  # stored by this first visit
    other = Client(enforce_csrf_checks=True)
    page = other.get(article.url)
    assert page["X-Page-Cache"] == "hit"
    token = TOKEN.search(page.content.decode()).group(1)
    assert token != "__page_cache_csrf_token__"
    response = other.post(
        f"/en/kb/feedback/{article.pk}/", {"helpful": "yes", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_product_page_without_forms_is_public(client, article):
    product_url = article.products.first().url
    client.get(product_url)
    response = client.get(product_url)
    assert response["X-Page-Cache"] == "hit"
    assert "public" in response["Cache-Control"]


def test_publishing_an_article_retires_its_page_and_the_product_page(client, article):
    product_url = article.products.first().url
    for url in (article.url, product_url, article.url, product_url):
        client.get(url)
    assert client.get(product_url)["X-Page-Cache"] == "hit"
    article.title = "Install your printer in five minutes"
    article.save_revision().publish()
    page = client.get(article.url)
    assert page["X-Page-Cache"] == "miss"
    assert "<h1>Install your printer in five minutes</h1>" in page.content.decode()
    assert "Install your printer in five minutes" in client.get(product_url).content.decode()


def test_unpublishing_retires_the_product_page(client, article):
    product_url = article.products.first().url
    client.get(product_url)
    assert "Install your printer" in client.get(product_url).content.decode()
    article.unpublish()
    assert "Install your printer" not in client.get(product_url).content.decode()
    assert client.get(article.url).status_code == 404


def signed_in(user, **kwargs) -> Client:
    visitor = Client(**kwargs)
    visitor.force_login(user)
    return visitor


def without_account_menu(html: bytes) -> str:
    return pagecache.ACCOUNT_MENU.sub("", without_tokens(html))


def test_members_share_a_copy_of_their_own_with_their_own_menu(article):
    ada, bo = UserFactory(display_name="Ada Lovelace"), UserFactory(display_name="Bo Diddley")
    Client().get(article.url)  # the anonymous copy, stored first
    first = signed_in(ada).get(article.url)
    second = signed_in(bo).get(article.url)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    html = second.content.decode()
    assert "Bo Diddley" in html and "Sign out" in html and "Ada Lovelace" not in html
    # Nothing but the menu differs: the page shows members nothing of their own.
    assert without_account_menu(second.content) == without_account_menu(first.content)
    for response in (first, second):
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    anonymous = Client().get(article.url)
    assert anonymous["X-Page-Cache"] == "hit" and "Sign out" not in anonymous.content.decode()
    assert "Bo Diddley" not in anonymous.content.decode()


def test_a_members_page_from_the_cache_carries_tokens_that_work_for_them(article):
    signed_in(UserFactory()).get(article.url)  # stored by another member
    bo = UserFactory()
    visitor = signed_in(bo, enforce_csrf_checks=True)
    page = visitor.get(article.url)
    assert page["X-Page-Cache"] == "hit"
    tokens = TOKEN.findall(page.content.decode())  # the account menu's first, the feedback's last
    logout_token, feedback_token = tokens[0], tokens[-1]
    assert pagecache.CSRF_PLACEHOLDER not in tokens
    response = visitor.post(
        f"/en/kb/feedback/{article.pk}/", {"helpful": "yes", "csrfmiddlewaretoken": feedback_token}
    )
    assert response.status_code == 302
    assert ArticleFeedback.objects.get(article=article).voter == f"u:{bo.pk}"
    visitor.post("/en/accounts/logout/", {"csrfmiddlewaretoken": logout_token})
    assert "_auth_user_id" not in visitor.session


def test_staff_see_their_dashboard_link_on_a_page_another_member_stored(article):
    signed_in(UserFactory()).get(article.url)
    staff = signed_in(UserFactory(is_staff=True)).get(article.url)
    assert staff["X-Page-Cache"] == "hit" and "Editor dashboard" in staff.content.decode()
    member = signed_in(UserFactory()).get(article.url)
    assert "Editor dashboard" not in member.content.decode()


def test_members_pages_follow_publishing(article):
    visitor = signed_in(UserFactory())
    visitor.get(article.url)
    assert visitor.get(article.url)["X-Page-Cache"] == "hit"
    article.title = "Set up your printer"
    article.save_revision().publish()
    page = visitor.get(article.url)
    assert (
        page["X-Page-Cache"] == "miss" and "<h1>Set up your printer</h1>" in page.content.decode()
    )


def test_restricted_pages_are_never_shared(article):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    insiders = Group.objects.create(name="Insiders")
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(insiders)
    insider = UserFactory()
    insider.groups.add(insiders)
    for _ in range(2):
        response = signed_in(insider).get(article.url)
        assert response.status_code == 200 and "X-Page-Cache" not in response
    outsider = signed_in(UserFactory()).get(article.url)
    assert outsider.status_code != 200 or "Install your printer" not in outsider.content.decode()


def test_member_pages_are_not_stored_without_a_menu_to_cut_out(rf, article):
    """A page without the account menu markers would leak whatever the member saw: not stored."""
    request = rf.get(article.url)
    request.user = UserFactory()
    request.session = SessionStore()
    request._page_cache = {"generations": {}, "on_hit": None, "on_hit_args": (), "seconds": 60}
    response = HttpResponse("<p>Hello Ada</p>", content_type="text/html")
    middleware = pagecache.PageCacheMiddleware(lambda request: response)
    assert middleware._store(request, "key", pagecache.MEMBERS, response) is False


def test_languages_do_not_mix(client, help_center):
    for _ in range(2):
        english, persian = client.get("/en/"), client.get("/fa/")
    assert english["X-Page-Cache"] == "hit" and persian["X-Page-Cache"] == "hit"
    assert '<html lang="en" dir="ltr">' in english.content.decode()
    assert '<html lang="fa" dir="rtl">' in persian.content.decode()


def test_untranslated_notice_is_cached_per_query(client, help_center):
    plain = client.get("/en/")
    notice = client.get("/en/?untranslated=fa")
    assert plain["X-Page-Cache"] == "miss" and notice["X-Page-Cache"] == "miss"
    assert client.get("/en/?untranslated=fa").content == notice.content != plain.content


def test_other_query_strings_are_not_cached(client, article):
    client.get(article.url + "?utm_source=mail")
    assert "X-Page-Cache" not in client.get(article.url + "?utm_source=mail")


def test_pages_shown_with_a_message_are_not_stored(client, article):
    response = client.post(f"/en/kb/feedback/{article.pk}/", {"helpful": "yes"}, follow=True)
    assert "Thanks for your feedback!" in response.content.decode()
    assert "X-Page-Cache" not in response
    again = client.get(article.url)
    assert "Thanks for your feedback!" not in again.content.decode()


def test_views_are_counted_for_pages_served_from_the_cache(client, article):
    for _ in range(3):
        client.get(article.url)
    assert ArticleViewDay.objects.get(article=article).views == 3


def test_views_are_written_in_batches(client, article, settings):
    settings.KB_VIEW_BUFFER = 3
    settings.KB_VIEW_FLUSH_SECONDS = 3600
    try:
        client.get(article.url)
        client.get(article.url)
        assert not ArticleViewDay.objects.filter(article=article).exists()
        client.get(article.url)
        assert ArticleViewDay.objects.get(article=article).views == 3
    finally:
        article_views.discard()


def test_signed_in_fragments_follow_publishing(member_client, article):
    assert "Install your printer" in member_client.get(article.url).content.decode()
    article.title = "Set up your printer"
    article.save_revision().publish()
    html = member_client.get(article.products.first().url).content.decode()
    assert "Set up your printer" in html and "Install your printer" not in html
