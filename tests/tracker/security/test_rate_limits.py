from unittest import mock

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_anonymous_api_callers_are_limited_per_address(client, throttled):
    # the schema is the one open endpoint (DRF refuses anonymous callers of the others with 401
    # before it counts them)
    statuses = [client.get("/api/v1/schema/").status_code for _ in range(4)]
    from_elsewhere = client.get("/api/v1/schema/", REMOTE_ADDR="10.0.0.9")

    assert statuses == [200, 200, 200, 429]
    assert from_elsewhere.status_code == 200


def test_signed_in_api_users_are_limited_per_account(throttled, officer_91, officer_01):
    busy, other = APIClient(), APIClient()
    busy.force_authenticate(officer_91)
    other.force_authenticate(officer_01)

    statuses = [busy.get("/api/v1/provinces/").status_code for _ in range(6)]

    assert statuses == [200, 200, 200, 200, 200, 429]
    assert other.get("/api/v1/provinces/").status_code == 200


def test_the_limited_answer_says_when_to_come_back(client, throttled):
    for _ in range(3):
        client.get("/api/v1/schema/")

    response = client.get("/api/v1/schema/")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_api_token_logins_are_limited_per_address(client, throttled, officer_91, approver_91):
    # different user names, so the lockout (per user name and address) is not what stops them
    names = ["officer_91", "approver_91", "nobody1", "nobody2", "officer_91"]
    statuses = [client.post("/api/v1/auth/token/", {"username": name, "password": "pw"}).status_code for name in names]

    assert statuses == [200, 200, 400, 400, 429]


def test_web_logins_are_limited_per_address(client, throttled, officer_91):
    names = ["a", "b", "c", "d", "officer_91"]
    statuses = [client.post("/accounts/login/", {"username": n, "password": "pw"}).status_code for n in names]

    assert statuses == [200, 200, 200, 200, 429]
    assert "_auth_user_id" not in client.session


def test_the_rate_limit_is_off_when_disabled(client, throttled, settings):
    settings.API_THROTTLE_ENABLED = False

    statuses = {client.get("/api/v1/schema/").status_code for _ in range(5)}

    assert statuses == {200}


def test_a_broken_limiter_cache_lets_requests_through(throttled, officer_91):
    client = APIClient()
    client.force_authenticate(officer_91)

    with mock.patch("rest_framework.throttling.SimpleRateThrottle.cache") as broken:
        broken.get.side_effect = ConnectionError("cache down")
        response = client.get("/api/v1/provinces/")

    assert response.status_code == 200
