"""An unexpected error shows the user a sentence and a reference, in their language; the
exception's text goes to the log under that reference, never into the answer."""

import logging
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SECRET = "internal detail: password=hunter2 at /srv/app.py line 42"


@pytest.fixture
def failing(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError(SECRET)

    monkeypatch.setattr("provinces.api.province_list", explode)
    monkeypatch.setattr("tracker.views.catalogue_counts", explode)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("vi", "Lỗi máy chủ (mã tham chiếu {ref}); lỗi đã được ghi lại."),
        ("en", "Server error (reference {ref}); the error has been logged."),
    ],
)
def test_an_api_failure_answers_a_reference_not_the_exception(failing, admin_user, caplog, language, sentence):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    client.cookies["django_language"] = language

    with caplog.at_level(logging.ERROR, logger="tracker.ops"):
        response = client.get("/api/v1/provinces/")

    body = response.json()
    assert response.status_code == 500
    assert re.fullmatch(r"[0-9a-f]{10}", body["reference"])
    assert body == {
        "detail": sentence.format(ref=body["reference"]),
        "code": "server_error",
        "reference": body["reference"],
    }
    assert SECRET not in response.content.decode()
    logged = [r for r in caplog.records if r.name == "tracker.ops" and body["reference"] in r.getMessage()]
    assert len(logged) == 1 and SECRET in str(logged[0].exc_info[1])


@pytest.mark.parametrize(("language", "sentence"), [("vi", "Mã tham chiếu: {ref}."), ("en", "Reference: {ref}.")])
def test_a_page_failure_shows_the_500_page_with_the_reference(failing, language, sentence):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language

    response = client.get("/")

    text = response.content.decode()
    found = re.search(r"[0-9a-f]{10}", text.split('class="error"')[1])
    assert response.status_code == 500
    assert found is not None
    reference = found.group(0)
    assert sentence.format(ref=reference) in text
    assert SECRET not in text
