import re

import pytest

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


def test_pages_allow_only_the_apps_own_assets(client):
    response = client.get("/accounts/login/")

    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["connect-src"] == ["'self'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def nonce_of(response) -> str:
    match = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert match is not None
    return match.group(1)


def test_an_inline_script_runs_only_with_the_requests_nonce(client):
    response = client.get("/api/v1/docs/")

    nonce = nonce_of(response)
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)


def test_each_request_gets_a_new_nonce(client):
    first = nonce_of(client.get("/api/v1/docs/"))
    second = nonce_of(client.get("/api/v1/docs/"))

    assert first != second


def test_the_api_docs_load_nothing_from_outside(client):
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        html = client.get(url).content.decode()

        assert re.findall(r'(?:src|href)="(https?:[^"]+)"', html) == [], url


def test_pages_forbid_framing_and_sniffing(client):
    response = client.get("/accounts/login/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_production_cookies_are_secure_and_hsts_is_on(settings):
    # the test settings run with DEBUG off: the production branch of settings.py
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SECURE_HSTS_SECONDS == 31536000
    assert settings.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
