"""The Content Security Policy seen by a real browser: the pages and the API docs load with no
violation (Chromium reports each one as a console error) and nothing from outside the app."""

import os
import shutil
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test thread; the fixtures' ORM calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)) and os.environ.get("REQUIRE_SERVICES") != "1",
        reason=f"no Chromium at {CHROMIUM}",
    ),
]


@pytest.fixture
def browser_page(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        context = browser.new_context(locale="vi-VN")
        page = context.new_page()
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: requests.append(request.url))
        page.on(
            "response", lambda response: response.status >= 400 and errors.append(f"{response.status} {response.url}")
        )
        yield page, context, errors, requests
        browser.close()


def foreign(requests: list[str], base: str) -> list[str]:
    host = urlparse(base).netloc
    return [u for u in requests if urlparse(u).scheme in {"http", "https"} and urlparse(u).netloc != host]


@pytest.mark.django_db(transaction=True)
def test_pages_and_api_docs_load_without_a_policy_violation(browser_page, live_server, client, officer_91):
    page, context, errors, requests = browser_page
    client.force_login(officer_91)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )

    for path in ("/", "/thong-bao/", "/api/v1/docs/", "/api/v1/redoc/"):
        page.goto(live_server.url + path, wait_until="networkidle")

    assert errors == []
    assert foreign(requests, live_server.url) == []
