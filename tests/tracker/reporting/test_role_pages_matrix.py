"""Every page and endpoint of the role homes, the approval review, the scorecard, the map and the
boundary upload × every role, on An Giang's submitted report (own province for officer_91 and
approver_91, another province for officer_01 and approver_01). Refusals write nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kpis.models import Directive
from tests.tracker.dashboards.synthetic_boundaries import as_bytes, current_collection
from tests.tracker.reporting.conftest import fill, open_submission
from tracker.dashboards.models import BoundarySet
from tracker.reporting import services

ROLES = ["officer_91", "approver_91", "officer_01", "approver_01", "reviewer", "admin_user", "anonymous", "commune_91"]
LOGIN = 302  # anonymous pages redirect to the login page

# (name, method, path, expected codes in ROLES order)
CASES = [
    ("home", "get", "/", [200, 200, 200, 200, 200, 200, 200, 200]),
    ("inbox", "get", "/bao-cao/hop-thu/", [403, 200, 403, 200, 200, 200, LOGIN, 403]),
    ("approval review", "get", "/bao-cao/{pk}/xem-xet/", [200, 200, 404, 404, 200, 200, LOGIN, 404]),
    ("scorecard", "get", "/bang-dieu-khien/bang-diem/", [200, 200, 200, 200, 200, 200, LOGIN, 200]),
    (
        "scorecard grid",
        "get",
        "/bang-dieu-khien/bang-diem/chi-tiet/?van-ban=kl-5-co",
        [200, 200, 200, 200, 200, 200, LOGIN, 200],
    ),
    ("map", "get", "/bang-dieu-khien/ban-do/", [200, 200, 200, 200, 200, 200, LOGIN, 200]),
    ("boundaries page", "get", "/bang-dieu-khien/ban-do/ranh-gioi/", [403, 403, 403, 403, 403, 200, LOGIN, 403]),
    ("boundaries upload", "upload", "/bang-dieu-khien/ban-do/ranh-gioi/", [403, 403, 403, 403, 403, 302, LOGIN, 403]),
    ("notifications", "get", "/thong-bao/", [200, 200, 200, 200, 200, 200, LOGIN, 200]),
    ("commune home", "get", "/bao-cao/xa/", [404, 404, 404, 404, 404, 404, LOGIN, 200]),
    ("approver's commune reports", "get", "/bao-cao/tinh/{province}/xa/", [200, 200, 404, 404, 200, 200, LOGIN, 404]),
]


@pytest.fixture
def people(officer_91, approver_91, officer_01, approver_01, reviewer, admin_user, commune_officer_91):
    return {
        "commune_91": commune_officer_91,
        "officer_91": officer_91,
        "approver_91": approver_91,
        "officer_01": officer_01,
        "approver_01": approver_01,
        "reviewer": reviewer,
        "admin_user": admin_user,
        "anonymous": None,
    }


@pytest.mark.parametrize(("role_index", "role"), list(enumerate(ROLES)))
@pytest.mark.parametrize(("name", "method", "path", "codes"), CASES, ids=[case[0] for case in CASES])
def test_role_pages_permission_matrix(people, an_giang, ha_noi, catalogue, role_index, role, name, method, path, codes):
    # given a submitted An Giang report and a directive for the grid
    submission = fill(open_submission(people["officer_91"], an_giang, catalogue.form), people["officer_91"])
    services.submission_submit(submission=submission, user=people["officer_91"])
    Directive.objects.create(code="kl-5-co", kind=Directive.Kind.CONCLUSION, title="Kết luận về “5 có”")
    client = Client()
    if people[role] is not None:
        client.force_login(people[role])
    url = path.format(pk=submission.pk, province=an_giang.pk)

    # when
    if method == "upload":
        upload = SimpleUploadedFile("ranh-gioi.geojson", as_bytes(current_collection(["91", "01"])))
        response = client.post(url, {"file": upload, "level": "current", "source": "Thử nghiệm"})
    else:
        response = client.get(url)

    # then
    assert response.status_code == codes[role_index]
    if method == "upload":
        assert BoundarySet.objects.count() == (1 if response.status_code == 302 and role == "admin_user" else 0)
    submission.refresh_from_db()
    assert submission.status == "submitted"
