"""Every error answer of the reporting API has the documented body: `detail` for people and
`code` for programs, also when DRF itself refuses the request (tracker.api_errors)."""

import pytest
from rest_framework.exceptions import ErrorDetail
from rest_framework.test import APIClient

from tests.tracker.reporting.conftest import api
from tracker.api_errors import error_body

REQUIRED = "Trường này là bắt buộc."


@pytest.mark.django_db
def test_a_malformed_request_keeps_its_field_messages_and_gains_detail_and_code(officer_91):
    # when: a create request without its fields
    response = api(officer_91).post("/api/v1/submissions/", {"province": "91"}, format="json")

    # then
    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": "Dữ liệu gửi lên không hợp lệ.",
            "code": "invalid",
            "form": [REQUIRED],
            "period": [REQUIRED],
        },
    )


@pytest.mark.django_db
def test_a_body_that_is_not_an_object_is_refused_with_the_general_shape(officer_91):
    # when
    response = api(officer_91).post("/api/v1/submissions/", [1], format="json")

    # then
    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": "Dữ liệu gửi lên không hợp lệ.",
            "code": "invalid",
            "non_field_errors": ["Dữ liệu không hợp lệ: cần một đối tượng JSON, nhận được list."],
        },
    )


@pytest.mark.django_db
def test_broken_json_answers_parse_error(officer_91):
    # when
    response = api(officer_91).generic("POST", "/api/v1/submissions/", "{", content_type="application/json")

    # then
    assert (response.status_code, response.json()["code"]) == (400, "parse_error")
    assert sorted(response.json()) == ["code", "detail"]


@pytest.mark.django_db
def test_a_method_the_address_does_not_have_answers_method_not_allowed(officer_91):
    # when
    response = api(officer_91).delete("/api/v1/submissions/1/")

    # then
    assert (response.status_code, response.json()) == (
        405,
        {"detail": "Phương thức “DELETE” không được chấp nhận.", "code": "method_not_allowed"},
    )


@pytest.mark.django_db
def test_evidence_sent_as_json_answers_unsupported_media_type(officer_91):
    # when
    response = api(officer_91).post("/api/v1/submissions/1/evidence/", {"file": "x"}, format="json")

    # then
    assert (response.status_code, response.json()["code"]) == (415, "unsupported_media_type")


@pytest.mark.django_db
def test_a_caller_without_credentials_is_told_why_with_a_code():
    # when
    response = APIClient().get("/api/v1/submissions/1/")

    # then
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


@pytest.mark.django_db
def test_the_reporting_services_own_codes_are_kept(officer_91):
    # when: a submission that does not exist
    response = api(officer_91).get("/api/v1/submissions/999999/")

    # then
    assert (response.status_code, response.json()) == (404, {"detail": "Không tìm thấy báo cáo.", "code": "not_found"})


def test_a_bare_list_of_messages_becomes_the_detail():
    # given: what `raise ValidationError(["…", "…"])` leaves for the handler
    data = [ErrorDetail("Kỳ không hợp lệ.", code="invalid"), ErrorDetail("Thiếu biểu mẫu.", code="required")]

    # when / then
    assert error_body(data) == {"detail": "Kỳ không hợp lệ. Thiếu biểu mẫu.", "code": "invalid"}


def test_an_explicit_code_is_not_overwritten():
    assert error_body({"detail": ErrorDetail("Hết hạn.", code="expired"), "code": "gone"}) == {
        "detail": "Hết hạn.",
        "code": "gone",
    }
