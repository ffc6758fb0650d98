"""A customer finds an article from the header box: suggestions, results, a facet, the article.

Also checks that the click on a result is counted, and that the suggestion list opens inside the
window on a right-to-left (Persian) page.
"""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from kb.importing import ImportContext, import_article
from search.analytics import normalise
from search.models import SearchQueryDay
from tests.factories.kb import make_article

pytestmark = pytest.mark.django_db(transaction=True)

PRINTER = "InkWell P200 Home Printer"
ROUTER = "SkyLink AX3000"
PRINTER_WIFI = "Reset the Wi-Fi on the InkWell printer"
ROUTER_WIFI = "Reset the Wi-Fi password on the SkyLink router"
FA_TITLE = "اتصال چاپگر به وای‌فای"


@pytest.fixture
def articles(help_center):
    make_article(PRINTER_WIFI, product=PRINTER, external_id="printer-wifi")
    make_article(ROUTER_WIFI, product=ROUTER, external_id="router-wifi")
    make_article("Replace the ink cartridge", product=PRINTER, external_id="ink")
    call_command("search_reindex", "--no-progress")


@pytest.fixture
def page_errors(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield errors
    assert errors == [], f"JavaScript errors: {errors}"


def clicks_for(query: str) -> int:
    rows = SearchQueryDay.objects.filter(query=normalise(query))
    return sum(row.clicks for row in rows)


def test_customer_finds_an_article_from_the_header_box(
    live_server, page, screenshot, articles, page_errors
):
    page.goto(f"{live_server.url}/en/")
    box = page.get_by_role("combobox", name="Search help articles and the community")
    expect(box).to_have_attribute("aria-expanded", "false")

    # Typing part of a title opens the suggestion list.
    box.press_sequentially("reset the wi", delay=40)
    listbox = page.get_by_role("listbox", name="Search suggestions")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options).to_have_text([PRINTER_WIFI, ROUTER_WIFI])
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator("[data-search-status]")).to_have_text("2 suggestions available.")
    assert "Replace the ink cartridge" not in listbox.inner_text()
    screenshot("suggestions")

    # Arrow keys move the highlight (wrapping around); Escape closes, typing reopens.
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "header-search-listbox-option-0")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", "header-search-listbox-option-0")
    expect(box).to_have_value("reset the wi")
    box.press("ArrowDown")
    expect(listbox).to_be_visible()
    box.press("ArrowDown")
    box.press("ArrowUp")
    expect(page.get_by_role("option", name=PRINTER_WIFI)).to_have_attribute("aria-selected", "true")
    screenshot("highlighted")

    # Enter on the highlighted suggestion searches for that title.
    with page.expect_navigation():
        box.press("Enter")
    url = urlsplit(page.url)
    assert url.path == "/en/search/"
    assert parse_qs(url.query)["q"] == [PRINTER_WIFI]
    page.get_by_role("heading", level=1, name=f"Results for “{PRINTER_WIFI}”").wait_for()
    results = page.locator("[data-results]")
    expect(results.get_by_role("link", name=PRINTER_WIFI)).to_be_visible()
    expect(results.get_by_role("link", name=ROUTER_WIFI)).to_be_visible()
    facets = page.locator("aside.facets")
    expect(facets.get_by_role("link", name=ROUTER)).to_be_visible()
    screenshot("results")

    # The product facet keeps only that product's results.
    with page.expect_navigation():
        facets.get_by_role("link", name=PRINTER).click()
    query = parse_qs(urlsplit(page.url).query)
    assert (query["q"], query["product"]) == ([PRINTER_WIFI], [PRINTER])
    expect(facets.get_by_role("link", name=PRINTER)).to_have_attribute("aria-current", "true")
    expect(results.get_by_role("link", name=PRINTER_WIFI)).to_be_visible()
    expect(results.get_by_role("link", name=ROUTER_WIFI)).to_have_count(0)
    expect(facets.get_by_role("link", name=ROUTER)).to_have_count(0)
    for line in results.locator(".result > p.muted").all_inner_texts():
        assert line.startswith(PRINTER), line
    screenshot("filtered")

    # Opening a result counts a click (sent as a beacon) and lands on the article.
    with page.expect_request(
        lambda request: request.url.endswith("/api/search/click/") and request.method == "POST"
    ) as beacon:
        results.get_by_role("link", name=PRINTER_WIFI).click()
    sent = beacon.value.post_data or ""
    assert PRINTER_WIFI in sent and 'name="locale"' in sent
    page.get_by_role("heading", level=1, name=PRINTER_WIFI).wait_for()
    assert "/search/" not in page.url
    screenshot("article")
    deadline = time.monotonic() + 5
    while clicks_for(PRINTER_WIFI) < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert clicks_for(PRINTER_WIFI) >= 1
    assert SearchQueryDay.objects.filter(query=normalise(PRINTER_WIFI), locale="en").exists()


def test_clicking_a_suggestion_and_middle_clicking_a_result(
    live_server, page, articles, page_errors
):
    page.goto(f"{live_server.url}/en/search/?q=wi-fi")
    box = page.get_by_role("combobox")
    box.fill("")
    box.press_sequentially("sky", delay=40)
    page.get_by_role("option", name=ROUTER_WIFI).click()
    page.wait_for_url("**/en/search/?q=*")
    assert parse_qs(urlsplit(page.url).query)["q"] == [ROUTER_WIFI]

    link = page.locator("[data-results] [data-search-click]").first
    with page.expect_request(lambda request: request.url.endswith("/api/search/click/")):
        link.click(button="middle")
    assert urlsplit(page.url).path == "/en/search/", "a middle click leaves this page in place"
    deadline = time.monotonic() + 5
    while clicks_for(ROUTER_WIFI) < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert clicks_for(ROUTER_WIFI) == 1

    # Leaving the box closes the list; one character is not enough to ask for suggestions.
    box.fill("")
    box.press_sequentially("re", delay=40)
    expect(page.get_by_role("listbox")).to_be_visible()
    page.locator("main h1").click()
    expect(page.get_by_role("listbox")).to_be_hidden()
    box.fill("r")
    box.press("ArrowDown")
    page.wait_for_timeout(400)
    expect(page.get_by_role("listbox")).to_be_hidden()


def test_persian_suggestions_open_inside_the_window_right_to_left(
    live_server, page, screenshot, articles, page_errors
):
    import_article(
        {
            "type": "article",
            "locale": "fa",
            "translation_of": "printer-wifi",
            "external_id": "fa-printer-wifi",
            "article_type": "guide",
            "title": FA_TITLE,
            "summary": "چاپگر را به شبکهٔ بی‌سیم وصل کنید.",
            "body_markdown": "## شروع\n\nدکمهٔ وای‌فای را نگه دارید.\n",
        },
        ImportContext(),
    )
    call_command("search_reindex", "--no-progress")
    page.set_viewport_size({"width": 420, "height": 800})
    page.goto(f"{live_server.url}/fa/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    box = page.locator("#header-search-q")
    box.press_sequentially("چاپگر", delay=40)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    # Suggestions come in the page's language even though the browser prefers English.
    expect(listbox.get_by_role("option")).to_have_text([FA_TITLE])
    screenshot("fa-suggestions")

    viewport = page.viewport_size
    list_box = listbox.bounding_box()
    form_box = page.locator("form[data-search-form]").bounding_box()
    assert list_box["x"] >= 0
    assert list_box["x"] + list_box["width"] <= viewport["width"] + 0.5
    assert list_box["y"] + list_box["height"] <= viewport["height"]
    assert abs((list_box["x"] + list_box["width"]) - (form_box["x"] + form_box["width"])) < 1
    assert listbox.evaluate("el => getComputedStyle(el).direction") == "rtl"

    box.press("ArrowDown")
    with page.expect_navigation():
        box.press("Enter")
    assert urlsplit(page.url).path == "/fa/search/"
    assert parse_qs(urlsplit(page.url).query)["q"] == [FA_TITLE]
