"""A visitor opens the help center in English and Persian and finds the header working."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

HEADER_LINKS = ["help", "community", "ask", "signin", "signup"]


def test_home_in_english_and_persian(live_server, page, screenshot, help_center):
    page.goto(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("html").get_attribute("lang") == "en"
    for name in HEADER_LINKS:
        assert page.locator(f'.site-nav [data-nav="{name}"]').is_visible()
    assert page.get_by_role("search").first.is_visible()
    screenshot("en")

    page.locator('[data-nav="language"] summary').click()
    page.locator('a[hreflang="fa"]').click()
    page.wait_for_url(f"{live_server.url}/fa/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "fa"
    # Mirrored layout: the brand sits at the right edge, the navigation at the left.
    brand = page.locator(".brand").bounding_box()
    nav = page.locator(".site-nav").bounding_box()
    assert brand["x"] > nav["x"]
    screenshot("fa")


def test_skip_link_moves_focus_to_content(live_server, page, help_center):
    page.goto(f"{live_server.url}/en/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_sign_up_then_sign_out(live_server, page, screenshot, help_center):
    page.goto(f"{live_server.url}/en/")
    page.locator('[data-nav="signup"]').click()
    page.fill("#id_username", "browseruser")
    page.fill("#id_email", "browser.user@example.com")
    page.fill("#id_display_name", "Browser User")
    page.fill("#id_password1", "a-very-long-passphrase")
    page.fill("#id_password2", "a-very-long-passphrase-typo")
    page.get_by_role("button", name="Sign up").click()
    assert page.locator(".field__error").first.is_visible()
    assert page.input_value("#id_email") == "browser.user@example.com"
    screenshot("error")
    page.fill("#id_password1", "a-very-long-passphrase")
    page.fill("#id_password2", "a-very-long-passphrase")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state()
    account = page.locator('[data-nav="account"] summary')
    assert account.inner_text() == "Browser User"
    account.click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.locator('[data-nav="signin"]').is_visible()
