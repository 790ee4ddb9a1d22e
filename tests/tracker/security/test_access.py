import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.tracker.security.conftest import STRONG
from tracker.notifications.models import Preference

pytestmark = pytest.mark.django_db


def test_the_admin_opens_for_system_administrators(client, admin_user):
    client.force_login(admin_user)

    assert client.get("/admin/").status_code == 200


def test_the_admin_refuses_a_reviewer_even_with_the_staff_flag(client, reviewer):
    # given: someone ticked is_staff on a ministry reviewer
    reviewer.is_staff = True
    reviewer.save(update_fields=["is_staff"])
    client.force_login(reviewer)

    # when
    response = client.get("/admin/accounts/user/")

    # then
    assert response.status_code == 403
    assert "Chỉ quản trị hệ thống được vào trang quản trị." in response.content.decode()


def test_the_admin_refuses_provincial_users(client, officer_91):
    client.force_login(officer_91)

    assert client.get("/admin/").status_code == 403


def test_a_refused_user_can_still_reach_the_admin_login_to_switch_accounts(client, officer_91):
    client.force_login(officer_91)

    assert client.get("/admin/login/").status_code in {200, 302}


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ngan-2026", "password_too_short"),
        ("123456789012", "password_entirely_numeric"),
        ("password1234", "password_too_common"),
    ],
)
def test_weak_passwords_are_refused(officer_91, password, code):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=officer_91)

    assert code in [error.code for error in refused.value.error_list]


def test_a_password_like_the_user_name_is_refused(officer_91):
    with pytest.raises(ValidationError):
        validate_password("officer_91_officer", user=officer_91)


def test_a_long_unusual_password_is_accepted(officer_91):
    validate_password(STRONG, user=officer_91)  # raises if refused


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(client, officer_91, settings):
    settings.REQUEST_MAX_BYTES = 1024
    client.force_login(officer_91)

    response = client.post("/api/v1/notifications/read-all/", data=b"x" * 2048, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {"detail": "Dữ liệu gửi lên quá lớn (tối đa 0 MB).", "code": "too_large"}


def test_upload_limits_are_set():
    from django.conf import settings

    assert settings.EVIDENCE_MAX_BYTES == 20 * 1024 * 1024
    assert settings.REQUEST_MAX_BYTES == settings.EVIDENCE_MAX_BYTES + 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 10 * 1024 * 1024


def test_a_nul_character_in_the_query_is_refused(client, officer_91):
    client.force_login(officer_91)

    response = client.get("/api/v1/submissions/?province=9%001")

    assert response.status_code == 400
    assert response.json() == {"detail": "Dữ liệu gửi lên chứa ký tự không hợp lệ.", "code": "invalid_characters"}


def test_a_nul_character_in_a_json_body_is_refused(client, officer_91):
    client.force_login(officer_91)

    response = client.put(
        "/api/v1/notifications/preference/", data='{"channel": "in\\u0000app"}', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_characters"
    assert not Preference.objects.exists()


def test_a_nul_character_in_the_path_is_refused(client, officer_91):
    client.force_login(officer_91)

    response = client.get("/api/v1/indicators/A%00B/")

    assert (response.status_code, response.json()["code"]) == (400, "invalid_characters")
