import re

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_the_home_page_is_vietnamese_by_default(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()
    assert "Theo dõi chỉ tiêu chuyển đổi số cấp tỉnh" in response.content.decode()


@pytest.mark.django_db
def test_english_is_served_only_when_chosen(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/")

    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_the_openapi_schema_is_served(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/provinces/" in schema["paths"]


@pytest.mark.django_db
def test_the_api_docs_load_every_asset_from_the_app_itself(client):
    response = client.get("/api/v1/docs/")

    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r'"(/static/[^"]+)"', html)
    assert response.status_code == 200
    assert assets
    for url in assets:
        assert url.startswith("/"), f"external asset {url}"
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url


@pytest.mark.django_db
def test_a_token_is_issued_for_a_username_and_password(client, officer_91):
    response = client.post("/api/v1/auth/token/", {"username": "officer_91", "password": "pw"})

    assert response.status_code == 200
    token = response.json()["token"]
    listed = client.get("/api/v1/provinces/", HTTP_AUTHORIZATION=f"Token {token}")
    assert listed.status_code == 200


@pytest.mark.django_db
def test_a_wrong_password_gets_no_token(client, officer_91):
    response = client.post("/api/v1/auth/token/", {"username": "officer_91", "password": "wrong"})

    assert response.status_code == 400
    assert "token" not in response.json()


@pytest.mark.django_db
def test_the_api_refuses_anonymous_reads(client):
    assert client.get("/api/v1/provinces/").status_code == 401


@pytest.mark.django_db
def test_health_reports_the_database(client, admin_user):
    client.force_login(admin_user)

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"
