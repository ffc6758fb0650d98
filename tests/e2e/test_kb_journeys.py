"""Customers find and rate a guide, in English and in Persian; editors publish through review."""

import pytest
from django.contrib.auth.models import Group

from kb.editorial import setup_editorial_roles
from kb.importing import ImportContext, import_article
from kb.models import ArticleFeedback, ArticlePage
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.factories.kb import make_article, make_product

pytestmark = pytest.mark.django_db(transaction=True)

GUIDE = """## Before you start

Have the USB cable ready.

## Install

1. Remove the orange tape.
   Warning: Keep the printer unplugged.
2. Plug in the power cord.
3. Load A4 paper.

> Tip: Use the app to finish setup.
"""


@pytest.fixture
def printer_guide(help_center):
    make_product(summary="A home inkjet printer.")
    return make_article("Install your InkWell P200", body=GUIDE, external_id="p200-install")


def test_customer_pages_through_a_products_troubleshooting_articles(
    live_server, page, screenshot, help_center, settings
):
    settings.KB_PRODUCT_GROUP_PREVIEW = 3
    settings.KB_PRODUCT_TYPE_PAGE_SIZE = 4
    product = make_product()
    for number in range(1, 10):
        make_article(f"Error E{number:02d}", article_type="troubleshooting")
    page.goto(f"{live_server.url}{product.url}")
    group = page.locator('[data-article-type="troubleshooting"]')
    assert group.get_by_role("listitem").count() == 3
    screenshot("product-overview")
    group.get_by_role("link", name="See all 9 articles: Troubleshooting").click()
    page.get_by_text("Articles 1–4 of 9").wait_for()
    page.get_by_role("link", name="Next").click()
    page.get_by_text("Page 2 of 3").wait_for()
    assert "Error E05" in page.locator(".article-list").inner_text()
    screenshot("product-troubleshooting-page-2")
    page.get_by_role("link", name="Error E06").click()
    page.get_by_role("heading", name="Error E06", level=1).wait_for()


def test_customer_follows_a_guide_and_says_it_did_not_help(
    live_server, page, screenshot, printer_guide
):
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name="InkWell P200 Home Printer").first.click()
    page.get_by_role("heading", name="Installation guide").wait_for()
    screenshot("product")
    page.get_by_role("link", name="Install your InkWell P200").click()
    page.get_by_role("heading", name="Install your InkWell P200", level=1).wait_for()
    page.locator(".toc").get_by_role("link", name="Install").click()
    assert page.url.endswith("#h-install")
    assert page.locator(".step").count() == 3
    assert "Keep the printer unplugged." in page.locator(".step").first.inner_text()
    screenshot("guide")
    page.get_by_label("No").check()
    page.get_by_label("What went wrong?").select_option("hard_to_follow")
    page.get_by_label("Tell us more (optional)").fill("Step 2 needs a picture.")
    page.get_by_role("button", name="Send feedback").click()
    page.get_by_text("Thanks for your feedback!").wait_for()
    screenshot("voted")
    vote = ArticleFeedback.objects.get()
    assert (vote.helpful, vote.reason, vote.comment) == (
        False,
        "hard_to_follow",
        "Step 2 needs a picture.",
    )


def test_persian_customer_reads_right_to_left(live_server, page, screenshot, printer_guide):
    import_article(
        {
            "type": "article",
            "locale": "fa",
            "translation_of": "p200-install",
            "external_id": "fa-p200-install",
            "article_type": "guide",
            "title": "نصب چاپگر InkWell P200",
            "summary": "جعبه را باز کنید و چاپگر را راه‌اندازی کنید.",
            "body_markdown": "## پیش از شروع\n\nکابل USB را آماده کنید.\n\n## نصب\n\n"
            "1. نوار نارنجی را جدا کنید.\n2. کابل برق را وصل کنید.\n",
        },
        ImportContext(),
    )
    page.goto(f"{live_server.url}/en/")
    page.locator('[data-nav="language"] summary').click()
    page.locator('a[hreflang="fa"]').click()
    page.wait_for_url(f"{live_server.url}/fa/")
    page.locator(".tile").first.click()
    page.get_by_role("link", name="نصب چاپگر InkWell P200").click()
    page.get_by_role("heading", name="نصب چاپگر InkWell P200", level=1).wait_for()
    assert page.locator("html").get_attribute("dir") == "rtl"
    step = page.locator(".step").first
    padding_right = step.evaluate("el => parseFloat(getComputedStyle(el).paddingRight)")
    assert padding_right > 0, "step numbers sit on the right in right-to-left text"
    screenshot("fa-guide")
    page.locator(".feedback input[value='yes']").check()
    page.locator(".feedback button[type=submit]").click()
    page.wait_for_url("**#feedback")
    assert ArticleFeedback.objects.get().locale.language_code == "fa"


def test_editor_writes_reviewer_publishes(live_server, page, screenshot, help_center):
    product = make_product()
    setup_editorial_roles()
    editor = UserFactory(username="elena")
    editor.groups.add(Group.objects.get(name="Editors"))
    reviewer = UserFactory(username="ravi")
    reviewer.groups.add(Group.objects.get(name="Reviewers"))

    def sign_in(username):
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEFAULT_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/admin/")

    sign_in("elena")
    page.goto(f"{live_server.url}/admin/pages/add/kb/articlepage/{product.pk}/")
    page.fill("#id_title", "Replace the ink cartridge")
    page.fill("#id_summary", "Swap an empty cartridge in two minutes.")
    page.locator("#id_article_type").select_option("guide")
    page.locator("#body-root button.c-sf-add-button").first.click()
    page.get_by_role("option", name="Heading").click()
    page.locator("input[name='body-0-value-text']").fill("Open the cover")
    screenshot("editor-draft")
    page.get_by_role("button", name="More actions").first.click()
    page.get_by_role("button", name="Submit to Review and publish").click()
    page.wait_for_load_state()
    screenshot("editor-submitted")
    article = ArticlePage.objects.get(title="Replace the ink cartridge")
    assert not article.live

    page.context.clear_cookies()
    sign_in("ravi")
    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    page.get_by_role("button", name="More actions").first.click()
    page.get_by_role("button", name="Approve").first.click()
    page.wait_for_load_state()
    screenshot("reviewer-approved")
    article.refresh_from_db()
    assert article.live

    page.goto(f"{live_server.url}{product.url}")
    page.get_by_role("link", name="Replace the ink cartridge").click()
    page.get_by_role("heading", name="Open the cover").wait_for()
    screenshot("published")
