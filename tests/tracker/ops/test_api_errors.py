"""Errors answered before any API view (an unknown address, an unexpected crash) have the API's
error shape {"detail", "code"}, and the OpenAPI schema documents `code` as always present."""

from unittest import mock

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.mark.django_db
def test_an_api_address_that_does_not_exist_answers_not_found_as_json(client, officer_91):
    # given
    client.force_login(officer_91)

    # when
    response = client.get("/api/v1/khong-co/")

    # then
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert response.json() == {"detail": "Không tìm thấy.", "code": "not_found"}


@pytest.mark.django_db
def test_an_unexpected_api_crash_answers_server_error_as_json(client, officer_91):
    # given: an error that is no outage (the database works), so it stays a 500
    client.raise_request_exception = False
    client.force_login(officer_91)

    # when
    with mock.patch("tracker.notifications.selectors.unread_count", side_effect=RuntimeError("bug")):
        response = client.get("/api/v1/notifications/unread/")

    # then
    # (a short reference, logged with the traceback, instead of the exception's text)
    assert (response.status_code, response["Content-Type"]) == (500, "application/json")
    body = response.json()
    assert body == {
        "detail": f"Lỗi máy chủ (mã tham chiếu {body['reference']}); lỗi đã được ghi lại.",
        "code": "server_error",
        "reference": body["reference"],
    }
    assert "bug" not in response.content.decode()


@pytest.mark.django_db
def test_a_page_address_that_does_not_exist_stays_an_html_page(client, officer_91):
    client.force_login(officer_91)

    response = client.get("/khong-co/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_the_schema_documents_code_as_always_present_in_an_error():
    # when
    schema = SchemaGenerator().get_schema(request=None, public=True)

    # then
    assert schema["components"]["schemas"]["ReportingError"]["required"] == ["code", "detail"]
