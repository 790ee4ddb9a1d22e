"""The Content Security Policy seen by a real browser: the pages and the API docs load with no
violation (Chromium reports each one as a console error) and nothing from outside the app."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

# ReDoc's bundle links its maker's logo from their CDN: the policy blocks it (no request leaves
# the browser), which is the point; anything else is a failure.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_pages_and_api_docs_load_without_a_policy_violation(page, live_server, login, officer_91):
    # given
    login("officer_91")

    # when
    for path in ("/", "/thong-bao/", "/api/v1/docs/", "/api/v1/redoc/"):
        page.goto(live_server.url + path, wait_until="networkidle")

    # then
    assert [e for e in page.watch.console_errors if REDOC_LOGO not in e] == []
    assert [u for u in page.watch.foreign_requests() if u != REDOC_LOGO] == []


def test_a_locked_out_login_page_loads_cleanly(page, live_server, login, officer_91):
    for _attempt in range(5):
        login("officer_91", "sai")

    assert "Tài khoản tạm thời bị khóa" in page.content()
    assert page.watch.console_errors == [
        "Failed to load resource: the server responded with a status of 429 (Too Many Requests)"
    ]
