"""Browser tests: Playwright driving Debian's Chromium against a live Django server.

Screenshots land in ``test-artifacts/`` (git-ignored) so a person can look at what was tested.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LOCAL_HOSTS = {"localhost", "127.0.0.1", None}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in test bodies are
    # still synchronous and safe, so Django's async guard is lifted for browser tests only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser):
    """A fresh page; the test fails if the site asks the browser to fetch anything off-site."""
    context = browser.new_context(viewport={"width": 1200, "height": 800}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    off_site = []
    page.on(
        "request",
        lambda request: (
            off_site.append(request.url)
            if urlsplit(request.url).hostname not in LOCAL_HOSTS
            else None
        ),
    )
    blocked = []  # the Content-Security-Policy refused something the page tried to run or load
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text)
            if "Content Security Policy" in message.text and "/admin/" not in page.url
            else None
        ),
    )
    yield page
    context.close()
    assert off_site == [], f"pages loaded resources from the internet: {off_site}"
    assert blocked == [], f"the Content-Security-Policy blocked part of a page: {blocked}"


@pytest.fixture
def screenshot(page, request):
    """Save a full-page screenshot named after the test: ``screenshot("step")``."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(step: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{step}.png".replace("/", "_")
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
