"""The drill-down's pages and exports × every role (issue 17, access): the ministry reads every
commune; a province's officer and approver read their own province's communes; a commune officer
reads only their own commune's page and exports. Another province's commune → 404 (never
revealed); a role that may never do the action → 403; anonymous → the login page (401 on the API).
An Giang (91) holds communes 30001 and 30002; Hà Nội (01) holds 00004."""

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.tracker.dashboards import commune_dataset
from tracker.accounts.models import Role

ROLES = [
    "officer_91",
    "approver_91",
    "officer_01",
    "approver_01",
    "commune_30001",
    "commune_00004",
    "reviewer",
    "admin_user",
    "anonymous",
]
LOGIN = 302
P = "period=2025-10"

# (name, path, expected codes in ROLES order)
CASES = [
    ("province page", f"/bang-dieu-khien/tinh/91/?{P}", [200, 200, 200, 200, 200, 200, 200, 200, LOGIN]),
    ("commune page", f"/bang-dieu-khien/tinh/91/xa/30001/?{P}", [200, 200, 404, 404, 200, 404, 200, 200, LOGIN]),
    (
        "another commune of the province",
        f"/bang-dieu-khien/tinh/91/xa/30002/?{P}",
        [200, 200, 404, 404, 404, 404, 200, 200, LOGIN],
    ),
    (
        "commune chart csv",
        f"/bang-dieu-khien/tinh/91/xa/30001/?{P}&csv=xu-huong-xa",
        [200, 200, 404, 404, 200, 404, 200, 200, LOGIN],
    ),
    ("commune scorecard", f"/bang-dieu-khien/bang-diem/tinh/91/?{P}", [200, 200, 404, 404, 403, 403, 200, 200, LOGIN]),
    (
        "province communes export",
        f"/xuat-nhap/cap-xa/91/?{P}&format=csv",
        [200, 200, 404, 404, 403, 403, 200, 200, LOGIN],
    ),
    (
        "one commune export",
        f"/xuat-nhap/cap-xa/91/?{P}&format=xlsx&xa=30001",
        [200, 200, 404, 404, 200, 404, 200, 200, LOGIN],
    ),
    (
        "one commune dhis2 export",
        f"/xuat-nhap/cap-xa/91/?{P}&format=dhis2&xa=30001",
        [200, 200, 404, 404, 200, 404, 200, 200, LOGIN],
    ),
    (
        "api province communes",
        f"/api/v1/reports/communes/?province=91&{P}&format=csv",
        [200, 200, 404, 404, 403, 403, 200, 200, 401],
    ),
    (
        "api one commune",
        f"/api/v1/reports/communes/?province=91&commune=30001&{P}&format=xlsx",
        [200, 200, 404, 404, 200, 404, 200, 200, 401],
    ),
]


@pytest.fixture
def people(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    data = commune_dataset.build()
    return {
        "officer_91": UserFactory(username="officer_91", role=Role.OFFICER, province=data.an_giang),
        "approver_91": UserFactory(username="approver_91", role=Role.APPROVER, province=data.an_giang),
        "officer_01": UserFactory(username="officer_01", role=Role.OFFICER, province=data.ha_noi),
        "approver_01": UserFactory(username="approver_01", role=Role.APPROVER, province=data.ha_noi),
        "commune_30001": UserFactory(
            username="xa_30001", role=Role.COMMUNE_OFFICER, province=data.an_giang, commune=data.communes["30001"]
        ),
        "commune_00004": UserFactory(
            username="xa_00004", role=Role.COMMUNE_OFFICER, province=data.ha_noi, commune=data.communes["00004"]
        ),
        "reviewer": UserFactory(username="reviewer", role=Role.REVIEWER),
        "admin_user": UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
        "anonymous": None,
    }


@pytest.mark.parametrize(("role_index", "role"), list(enumerate(ROLES)))
@pytest.mark.parametrize(("name", "path", "codes"), CASES, ids=[case[0] for case in CASES])
def test_commune_pages_and_exports_permission_matrix(people, role_index, role, name, path, codes):
    client = Client()
    if people[role] is not None:
        client.force_login(people[role])

    response = client.get(path)

    assert response.status_code == codes[role_index]


@pytest.mark.parametrize(
    ("role", "sees_communes"),
    [
        ("officer_91", True),
        ("approver_91", True),
        ("officer_01", False),
        ("approver_01", False),
        ("commune_30001", False),
        ("reviewer", True),
    ],
)
def test_province_page_shows_the_communes_to_their_readers_only(people, role, sees_communes):
    client = Client()
    client.force_login(people[role])

    html = client.get(f"/bang-dieu-khien/tinh/91/?{P}").content.decode()

    assert ('data-table="communes"' in html) is sees_communes
    assert ("30002" in html) is sees_communes


def test_commune_officer_export_of_the_province_is_refused_with_the_reason(people):
    client = Client()
    client.force_login(people["commune_30001"])

    response = client.get(f"/api/v1/reports/communes/?province=91&{P}&format=csv")

    assert response.json() == {
        "detail": "Cán bộ cấp xã chỉ tải được số liệu của xã mình.",
        "code": "permission_denied",
    }
