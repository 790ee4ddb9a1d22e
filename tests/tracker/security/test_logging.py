import logging

import pytest

pytestmark = pytest.mark.django_db


def security_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "tracker.security"]


def test_a_login_is_logged(client, officer_91, caplog):
    caplog.set_level(logging.INFO, logger="tracker.security")

    client.post("/accounts/login/", {"username": "officer_91", "password": "pw"}, REMOTE_ADDR="10.1.2.3")

    assert "login ok user=officer_91 ip=10.1.2.3 path=/accounts/login/" in security_lines(caplog)


def test_a_failed_login_is_logged_without_the_password(client, officer_91, caplog):
    caplog.set_level(logging.INFO, logger="tracker.security")

    client.post("/api/v1/auth/token/", {"username": "officer_91", "password": "bi-mat-sai"}, REMOTE_ADDR="10.1.2.3")

    lines = security_lines(caplog)
    assert "login failed user=officer_91 ip=10.1.2.3 path=/api/v1/auth/token/" in lines
    assert not any("bi-mat-sai" in r.getMessage() or "bi-mat-sai" in str(r.__dict__) for r in caplog.records)


def test_a_refused_api_request_is_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="tracker.security")

    client.get("/api/v1/provinces/", REMOTE_ADDR="10.9.9.9")

    assert "refused status=401 method=GET path=/api/v1/provinces/ user=- ip=10.9.9.9" in security_lines(caplog)


def test_a_forbidden_page_is_logged_with_the_user(client, officer_91, caplog):
    caplog.set_level(logging.INFO, logger="tracker.security")
    client.force_login(officer_91)

    client.get("/admin/", REMOTE_ADDR="10.1.1.1")

    assert "refused status=403 method=GET path=/admin/ user=officer_91 ip=10.1.1.1" in security_lines(caplog)


def test_a_lockout_is_logged(client, officer_91, caplog):
    caplog.set_level(logging.INFO, logger="tracker.security")

    for _attempt in range(5):
        client.post("/accounts/login/", {"username": "officer_91", "password": "sai"}, REMOTE_ADDR="10.1.2.3")

    assert "login locked out user=officer_91 ip=10.1.2.3 path=/accounts/login/" in security_lines(caplog)
