"""API tokens expire after API_TOKEN_TTL_DAYS and are revoked by a lockout, a password change and a
deactivation; the refusal says so in the user's language."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

EXPIRED = {
    "vi": {"detail": "Token đã hết hạn: hãy lấy token mới.", "code": "token_expired"},
    "en": {"detail": "The token has expired: request a new one.", "code": "token_expired"},
}
INVALID = {"detail": "Token không hợp lệ hoặc đã hết hạn.", "code": "authentication_failed"}


def with_token(key: str, language: str = "vi") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.cookies["django_language"] = language
    return client


def aged(token: Token, days: int) -> Token:
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(days=days))
    return token


def test_a_token_younger_than_its_lifetime_is_accepted(officer_91):
    token = aged(Token.objects.create(user=officer_91), days=29)

    assert with_token(token.key).get("/api/v1/provinces/").status_code == 200


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_expired_token_is_refused_and_deleted(officer_91, language):
    token = aged(Token.objects.create(user=officer_91), days=30)

    response = with_token(token.key, language).get("/api/v1/provinces/")

    assert (response.status_code, response.json()) == (401, EXPIRED[language])
    assert not Token.objects.filter(user=officer_91).exists()


def test_the_lifetime_is_configurable(officer_91, settings):
    settings.API_TOKEN_TTL_DAYS = 7
    token = aged(Token.objects.create(user=officer_91), days=8)

    assert with_token(token.key).get("/api/v1/provinces/").status_code == 401


def test_the_token_login_replaces_an_expired_token(officer_91):
    old = aged(Token.objects.create(user=officer_91), days=31)

    response = APIClient().post("/api/v1/auth/token/", {"username": "officer_91", "password": "pw"})

    assert response.status_code == 200
    assert response.json()["token"] != old.key
    assert list(Token.objects.filter(user=officer_91).values_list("key", flat=True)) == [response.json()["token"]]


def test_a_lockout_revokes_the_token(officer_91):
    token = Token.objects.create(user=officer_91)
    client = APIClient()

    for _attempt in range(5):
        client.post("/api/v1/auth/token/", {"username": "officer_91", "password": "sai"})

    response = with_token(token.key).get("/api/v1/provinces/")
    assert (response.status_code, response.json()) == (401, INVALID)


def test_a_password_change_revokes_the_token(officer_91):
    token = Token.objects.create(user=officer_91)

    officer_91.set_password("Mật-khẩu-mới-rất-dài-2026!")
    officer_91.save()

    assert with_token(token.key).get("/api/v1/provinces/").status_code == 401
    assert not Token.objects.filter(user=officer_91).exists()


def test_a_deactivation_revokes_the_token(officer_91):
    token = Token.objects.create(user=officer_91)

    officer_91.is_active = False
    officer_91.save(update_fields=["is_active"])

    assert not Token.objects.filter(key=token.key).exists()


def test_saving_other_fields_keeps_the_token(officer_91):
    token = Token.objects.create(user=officer_91)

    officer_91.first_name = "Lan"
    officer_91.last_login = timezone.now()
    officer_91.save()

    assert Token.objects.filter(key=token.key).exists()
