"""Every endpoint and page of a commune report × every role (issue 17), on the report of An Giang's
commune 30001: its own commune officer (commune_91), another An Giang commune's officer
(commune_91b), An Giang's officer and approver, Hà Nội's officer, approver and commune officer,
the ministry and anonymous. Same convention as test_permission_matrix: a report the user may not
read is a 404, an action the role may not do a 403; refusals change nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tracker.reporting.conftest import PDF, api, open_commune, snapshot, submitted_commune
from tracker.reporting import services
from tracker.reporting.models import Submission

ROLES = [
    "commune_91",
    "commune_91b",
    "officer_91",
    "approver_91",
    "officer_01",
    "approver_01",
    "commune_01",
    "reviewer",
    "admin_user",
    "anonymous",
]
FIGURES = {"DVC_RECEIVED": "10", "DVC_ONLINE": "5", "SIGNED_RATE": "50"}


@pytest.fixture
def people(
    commune_officers_91, officer_91, approver_91, officer_01, approver_01, commune_officer_01, reviewer, admin_user
):
    return {
        "commune_91": commune_officers_91[0],
        "commune_91b": commune_officers_91[1],
        "officer_91": officer_91,
        "approver_91": approver_91,
        "officer_01": officer_01,
        "approver_01": approver_01,
        "commune_01": commune_officer_01,
        "reviewer": reviewer,
        "admin_user": admin_user,
        "anonymous": None,
    }


def make(state, people, communes_91, form) -> Submission:
    officer = people["commune_91"]
    if state == "draft":
        return open_commune(officer, communes_91[0], form)
    report = submitted_commune(officer, communes_91[0], form, FIGURES)
    if state == "approved":
        services.submission_approve(submission=report, user=people["approver_91"])
        report.refresh_from_db()
    return report


# (name, state, method, path, body, expected codes in ROLES order)
API_CASES = [
    ("detail", "draft", "get", "/api/v1/submissions/{pk}/", None, [200, 404, 200, 200, 404, 404, 404, 200, 200, 401]),
    (
        "history",
        "draft",
        "get",
        "/api/v1/submissions/{pk}/history/",
        None,
        [200, 404, 200, 200, 404, 404, 404, 200, 200, 401],
    ),
    (
        "values",
        "draft",
        "patch",
        "/api/v1/submissions/{pk}/values/",
        {"version": 1, "values": [{"element": "DVC_RECEIVED", "value": "12"}]},
        [200, 404, 403, 403, 404, 404, 404, 403, 200, 401],
    ),
    (
        "cell",
        "draft",
        "post",
        "/api/v1/submissions/{pk}/cells/DVC_RECEIVED/",
        {"value": "12"},
        [200, 404, 403, 403, 404, 404, 404, 403, 200, 401],
    ),
    (
        "evidence upload",
        "draft",
        "upload",
        "/api/v1/submissions/{pk}/evidence/",
        None,
        [201, 404, 403, 403, 404, 404, 404, 403, 201, 401],
    ),
    (
        "submit",
        "filled",
        "post",
        "/api/v1/submissions/{pk}/submit/",
        {},
        [200, 404, 403, 403, 404, 404, 404, 403, 200, 401],
    ),
    (
        "approve",
        "submitted",
        "post",
        "/api/v1/submissions/{pk}/approve/",
        {},
        [403, 404, 403, 200, 404, 404, 404, 403, 200, 401],
    ),
    (
        "return",
        "submitted",
        "post",
        "/api/v1/submissions/{pk}/return/",
        {"comment": "Xem lại"},
        [403, 404, 403, 200, 404, 404, 404, 200, 200, 401],
    ),
    (
        "batch approve",
        "submitted",
        "post",
        "/api/v1/commune-submissions/batch-approve/",
        "ids",
        [400, 400, 400, 200, 400, 400, 400, 400, 200, 401],
    ),
    (
        "correct",
        "approved",
        "post",
        "/api/v1/submissions/{pk}/correct/",
        {"reason": "Sai số"},
        [200, 404, 403, 200, 404, 404, 404, 403, 200, 401],
    ),
    (
        "comment",
        "draft",
        "post",
        "/api/v1/submissions/{pk}/comments/",
        {"text": "Ý kiến"},
        [201, 404, 201, 201, 404, 404, 404, 201, 201, 401],
    ),
]


def _call(client, method, path, body, report):
    if method == "get":
        return client.get(path)
    if method == "upload":
        return client.post(path, {"file": SimpleUploadedFile("b.pdf", PDF)}, format="multipart")
    if body == "ids":
        body = {"ids": [report.pk]}
    return getattr(client, method)(path, body, format="json")


@pytest.mark.parametrize(("role_index", "role"), list(enumerate(ROLES)))
@pytest.mark.parametrize(("name", "state", "method", "path", "body", "codes"), API_CASES, ids=[c[0] for c in API_CASES])
def test_commune_api_permission_matrix(
    people, commune_catalogue, communes_91, role_index, role, name, state, method, path, body, codes
):
    # given
    if state == "filled":
        report = open_commune(people["commune_91"], communes_91[0], commune_catalogue.form)
        services.submission_values_update(
            submission=report, user=people["commune_91"], version=report.version, values=FIGURES
        )
        report.refresh_from_db()
    else:
        report = make(state, people, communes_91, commune_catalogue.form)
    before = snapshot(report)
    count = Submission.objects.count()

    # when
    response = _call(api(people[role]), method, path.format(pk=report.pk), body, report)

    # then
    assert response.status_code == codes[role_index], response.content
    if response.status_code >= 400 or method == "get":
        assert snapshot(report) == before
        assert Submission.objects.count() == count


@pytest.mark.parametrize(
    ("role", "code", "communes"),
    [
        ("commune_91", 201, ["30001"]),
        ("commune_91b", 403, []),
        ("officer_91", 403, []),
        ("approver_91", 403, []),
        ("officer_01", 403, []),
        ("approver_01", 403, []),
        ("commune_01", 403, []),
        ("reviewer", 403, []),
        ("admin_user", 201, ["30001"]),
        ("anonymous", 401, []),
    ],
)
def test_commune_api_create_permission_matrix(people, commune_catalogue, communes_91, role, code, communes):
    # when
    response = api(people[role]).post(
        "/api/v1/commune-submissions/", {"commune": "30001", "form": "BC_THANG", "period": "2026-10"}, format="json"
    )

    # then
    assert response.status_code == code
    assert list(Submission.objects.values_list("commune__code", flat=True)) == communes


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("commune_91", ["30001"]),
        ("commune_91b", ["30002"]),
        ("officer_91", ["30001", "30002"]),
        ("approver_91", ["30001", "30002"]),
        ("officer_01", ["00004"]),
        ("approver_01", ["00004"]),
        ("commune_01", ["00004"]),
        ("reviewer", ["00004", "30001", "30002"]),
        ("admin_user", ["00004", "30001", "30002"]),
    ],
)
def test_commune_api_list_shows_only_readable_reports(
    people, commune_catalogue, communes_91, commune_01, role, visible
):
    # given: a draft of two An Giang communes and of a Hà Nội commune
    form = commune_catalogue.form
    open_commune(people["commune_91"], communes_91[0], form)
    open_commune(people["commune_91b"], communes_91[1], form)
    open_commune(people["commune_01"], commune_01, form)

    # when
    response = api(people[role]).get("/api/v1/commune-submissions/")

    # then
    assert sorted(r["commune"] for r in response.json()["results"]) == visible


# Web pages of a commune report: 302 = done, or to the login page for anonymous users.
PAGE_CASES = [
    ("page", "draft", "get", "/bao-cao/{pk}/", None, [200, 404, 200, 200, 404, 404, 404, 200, 200, 302]),
    ("review", "submitted", "get", "/bao-cao/{pk}/xem-xet/", None, [200, 404, 200, 200, 404, 404, 404, 200, 200, 302]),
    (
        "approve",
        "submitted",
        "post",
        "/bao-cao/{pk}/phe-duyet/",
        {},
        [403, 404, 403, 302, 404, 404, 404, 403, 302, 302],
    ),
    (
        "return",
        "submitted",
        "post",
        "/bao-cao/{pk}/tra-lai/",
        {"comment": "Xem lại"},
        [403, 404, 403, 302, 404, 404, 404, 302, 302, 302],
    ),
    (
        "batch approve page",
        "submitted",
        "post",
        "/bao-cao/tinh/{province}/xa/xu-ly/",
        "batch",
        [404, 404, 302, 302, 404, 404, 404, 302, 302, 302],
    ),
]


@pytest.mark.parametrize(("role_index", "role"), list(enumerate(ROLES)))
@pytest.mark.parametrize(
    ("name", "state", "method", "path", "body", "codes"), PAGE_CASES, ids=[c[0] for c in PAGE_CASES]
)
def test_commune_page_permission_matrix(
    client, people, commune_catalogue, an_giang, communes_91, role_index, role, name, state, method, path, body, codes
):
    # given
    report = make(state, people, communes_91, commune_catalogue.form)
    before = snapshot(report)
    if people[role] is not None:
        client.force_login(people[role])
    url = path.format(pk=report.pk, province=an_giang.pk)
    if body == "batch":
        body = {"form": "BC_THANG", "period": "2026-10", "action": "approve", "ids": [str(report.pk)]}

    # when
    response = client.get(url) if method == "get" else client.post(url, body)

    # then
    assert response.status_code == codes[role_index]
    approved_by_batch = name == "batch approve page" and role in ("approver_91", "admin_user")
    if (
        response.status_code >= 400
        or role == "anonymous"
        or method == "get"
        or (name == "batch approve page" and not approved_by_batch)
    ):
        assert snapshot(report) == before
    if approved_by_batch:
        assert Submission.objects.get(pk=report.pk).status == "approved"
