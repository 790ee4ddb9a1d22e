"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every request the page makes is recorded so that tests can assert none leaves the app (no CDN),
and console errors are collected so that tests can assert there are none.
"""

import os
import shutil
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures in
# that same thread are still synchronous, so Django's async guard is relaxed for these tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        raise pytest.UsageError(f"Chromium is required for the e2e tests but missing at {CHROMIUM}")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

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


class PageWatch:
    def __init__(self, base_url: str) -> None:
        self.host = urlparse(base_url).netloc
        self.requests: list[str] = []
        self.console_errors: list[str] = []

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlparse(url).scheme in {"http", "https", "ws", "wss"} and urlparse(url).netloc != self.host
        ]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    watch = PageWatch(live_server.url)
    page.on("request", lambda request: watch.requests.append(request.url))

    def on_console(message):
        if message.type == "error":
            watch.console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.console_errors.append(str(error)))
    page.watch = watch  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def login(page, live_server):
    """Sign a user in through the real login form."""

    def do_login(username: str, password: str = "pw") -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

    return do_login
