"""Five wrong passwords for one user name from one address lock that pair out for 15 minutes,
whichever login they came through: the web form, the admin form or the API token endpoint."""

import datetime

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db

LOCKED = "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau 15 phút."


def web_login(client, password, username="officer_91", **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def token_login(client, password, username="officer_91", **extra):
    return client.post("/api/v1/auth/token/", {"username": username, "password": password}, **extra)


def test_the_web_login_locks_after_five_failures(client, officer_91):
    # given
    for _attempt in range(4):
        assert web_login(client, "sai").status_code == 200

    # when
    fifth = web_login(client, "sai")
    with_right_password = web_login(client, "pw")

    # then
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()
    assert with_right_password.status_code == 429
    assert "_auth_user_id" not in client.session
    assert fifth["Retry-After"] == "900"


def test_the_api_token_login_locks_after_five_failures(client, officer_91):
    for _attempt in range(4):
        wrong = token_login(client, "sai")
        assert wrong.status_code == 400
        assert wrong.json() == {"detail": "Tên đăng nhập hoặc mật khẩu không đúng.", "code": "authentication_failed"}

    fifth = token_login(client, "sai")
    with_right_password = token_login(client, "pw")

    assert fifth.status_code == 429
    assert fifth.json() == {"detail": LOCKED, "code": "locked_out"}
    assert with_right_password.status_code == 429
    assert "token" not in with_right_password.json()


def test_failures_on_the_web_count_for_the_api_too(client, officer_91):
    for _attempt in range(5):
        web_login(client, "sai")

    response = token_login(client, "pw")

    assert response.status_code == 429


def test_the_admin_login_locks_too(client, admin_user):
    for _attempt in range(5):
        client.post("/admin/login/", {"username": "admin", "password": "sai"})

    response = client.post("/admin/login/", {"username": "admin", "password": "pw"})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_locked_user_name_is_free_from_another_address(client, officer_91):
    for _attempt in range(5):
        web_login(client, "sai", REMOTE_ADDR="10.0.0.1")

    response = web_login(client, "pw", REMOTE_ADDR="10.0.0.2")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer_91.pk)


def test_other_users_at_the_same_address_can_still_sign_in(client, officer_91, approver_91):
    for _attempt in range(5):
        web_login(client, "sai")

    response = web_login(client, "pw", username="approver_91")

    assert response.status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, officer_91):
    # given
    for _attempt in range(5):
        web_login(client, "sai")
    # when: fifteen minutes and a second have passed
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=15, seconds=1)
    )

    response = web_login(client, "pw")

    # then
    assert response.status_code == 302


def test_a_successful_login_clears_earlier_failures(client, officer_91):
    for _attempt in range(4):
        web_login(client, "sai")
    assert web_login(client, "pw").status_code == 302
    client.logout()

    for _attempt in range(4):
        web_login(client, "sai")

    assert web_login(client, "pw").status_code == 302
