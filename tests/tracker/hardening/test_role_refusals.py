"""Each role's most common refusals, in Vietnamese and in English: the exact words, in the
language the user chose, in the API's {"detail", "code"} shape, and nothing written."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.tracker.hardening.conftest import World, database_state

VI, EN = "vi", "en"


def client_for(world: World, who: str | None, language: str) -> APIClient:
    client = APIClient()
    client.cookies["django_language"] = language
    if who is not None:
        client.force_authenticate(world.users[who])
    return client


def submit_first(world: World) -> None:
    client = client_for(world, "officer", VI)
    values = [
        {"element": code, "value": value}
        for code, value in {
            "DVC_RECEIVED": "15240",
            "DVC_ONLINE": "12192",
            "FEE_ZERO": "1",
            "SIGNED_RATE": "87.5",
        }.items()
    ]
    saved = client.patch(
        f"/api/v1/submissions/{world.submission.pk}/values/", {"version": 2, "values": values}, format="json"
    )
    assert saved.status_code == 200, saved.json()
    submitted = client.post(f"/api/v1/submissions/{world.submission.pk}/submit/", {"version": 3}, format="json")
    assert submitted.status_code == 200, submitted.json()


REFUSALS = {
    # role: (what they try, status, {language: body})
    "officer": (
        lambda client, world: client.post(
            f"/api/v1/submissions/{world.submission.pk}/approve/", {"version": 4}, format="json"
        ),
        403,
        {
            "vi": {"detail": "Chỉ lãnh đạo phê duyệt của tỉnh được phê duyệt báo cáo.", "code": "permission_denied"},
            "en": {
                "detail": "Only the province's approving leaders may approve the report.",
                "code": "permission_denied",
            },
        },
    ),
    "approver": (
        lambda client, world: client.patch(
            f"/api/v1/submissions/{world.submission.pk}/values/",
            {"version": 4, "values": [{"element": "BTS_5G", "value": "1"}]},
            format="json",
        ),
        403,
        {
            "vi": {"detail": "Chỉ cán bộ nhập liệu của tỉnh được sửa số liệu báo cáo.", "code": "permission_denied"},
            "en": {
                "detail": "Only the province's data-entry officers may edit report data.",
                "code": "permission_denied",
            },
        },
    ),
    "reviewer": (
        lambda client, world: client.post(
            "/api/v1/submissions/", {"province": "91", "form": "BC_THANG", "period": "2025-12"}, format="json"
        ),
        403,
        {
            "vi": {"detail": "Bạn không được tạo báo cáo cho 91 Tỉnh An Giang.", "code": "permission_denied"},
            "en": {"detail": "You may not create reports for 91 Tỉnh An Giang.", "code": "permission_denied"},
        },
    ),
    "admin": (
        lambda client, world: client.get("/api/v1/submissions/999999/"),
        404,
        {
            "vi": {"detail": "Không tìm thấy báo cáo.", "code": "not_found"},
            "en": {"detail": "Report not found.", "code": "not_found"},
        },
    ),
    None: (
        lambda client, world: client.get("/api/v1/submissions/"),
        401,
        {
            "vi": {"detail": "Chưa đăng nhập: cần token API hoặc phiên đăng nhập.", "code": "not_authenticated"},
            "en": {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"},
        },
    ),
}


@pytest.mark.parametrize("language", [VI, EN])
@pytest.mark.parametrize("who", list(REFUSALS), ids=[str(role) for role in REFUSALS])
def test_the_most_common_refusal_of_each_role_speaks_their_language(world, who, language):
    submit_first(world)
    attempt, status, expected = REFUSALS[who]
    before = database_state()

    response = attempt(client_for(world, who, language), world)

    assert (response.status_code, response.json()) == (status, expected[language])
    assert database_state() == before


THROTTLED = {
    VI: {"detail": "Quá nhiều yêu cầu. Hãy thử lại sau 60 giây.", "code": "throttled"},
    EN: {"detail": "Too many requests. Try again in 60 seconds.", "code": "throttled"},
}


@pytest.mark.parametrize("language", [VI, EN])
def test_a_throttled_user_reads_when_to_try_again_in_their_language(world, settings, language):
    cache.clear()  # the rate counters of other tests
    settings.API_THROTTLE_ENABLED = True
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/min", "user": "1/min", "login": "1/min"},
    }
    client = client_for(world, "officer", language)
    assert client.get("/api/v1/provinces/").status_code == 200

    response = client.get("/api/v1/provinces/")

    assert (response.status_code, response.json()) == (429, THROTTLED[language])
