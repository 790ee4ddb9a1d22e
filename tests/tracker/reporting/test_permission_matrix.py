"""Every submission endpoint and page × every role, on An Giang's submission: own province for
officer_91/approver_91, another province for officer_01/approver_01; commune_91, an An Giang
commune's officer, never reads nor writes a province report. Refusals change nothing.

Convention (also in the README): a submission the user may not read answers 404 for reads and
writes alike (its existence is not revealed); a readable one whose action the role may not do
answers 403; anonymous API calls get 401 and anonymous pages redirect to the login page.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tracker.reporting.conftest import OCTOBER, PDF, api, approved_submission, fill, open_submission, snapshot
from tracker.reporting import evidence as evidence_services
from tracker.reporting import services
from tracker.reporting.models import Submission

ROLES = ["officer_91", "approver_91", "officer_01", "approver_01", "reviewer", "admin_user", "anonymous", "commune_91"]


@pytest.fixture
def people(request, officer_91, approver_91, officer_01, approver_01, reviewer, admin_user, commune_officer_91):
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


def make(state, people, an_giang, catalogue) -> Submission:
    officer, approver = people["officer_91"], people["approver_91"]
    if state == "approved":
        return approved_submission(officer, approver, an_giang, catalogue.form)
    submission = fill(open_submission(officer, an_giang, catalogue.form), officer)
    if state == "submitted":
        services.submission_submit(submission=submission, user=officer)
        submission.refresh_from_db()
    return submission


def with_evidence(submission, people):
    # Evidence is attached while the submission is a draft, by its officer.
    return evidence_services.evidence_upload(
        submission=submission, user=people["officer_91"], upload=SimpleUploadedFile("a.pdf", PDF)
    )


# (name, state, method, path, body, expected codes in ROLES order)
API_CASES = [
    ("detail", "draft", "get", "/api/v1/submissions/{pk}/", None, [200, 200, 404, 404, 200, 200, 401, 404]),
    ("history", "draft", "get", "/api/v1/submissions/{pk}/history/", None, [200, 200, 404, 404, 200, 200, 401, 404]),
    (
        "evidence list",
        "draft",
        "get",
        "/api/v1/submissions/{pk}/evidence/",
        None,
        [200, 200, 404, 404, 200, 200, 401, 404],
    ),
    ("evidence file", "draft", "get", "/api/v1/evidence/{evidence}/", None, [200, 200, 404, 404, 200, 200, 401, 404]),
    (
        "values",
        "draft",
        "patch",
        "/api/v1/submissions/{pk}/values/",
        {"version": 2, "values": [{"element": "BTS_5G", "value": "321"}]},
        [200, 403, 404, 404, 403, 200, 401, 404],
    ),
    ("submit", "draft", "post", "/api/v1/submissions/{pk}/submit/", {}, [200, 403, 404, 404, 403, 200, 401, 404]),
    ("prefill", "draft", "post", "/api/v1/submissions/{pk}/prefill/", {}, [200, 403, 404, 404, 403, 200, 401, 404]),
    (
        "evidence upload",
        "draft",
        "upload",
        "/api/v1/submissions/{pk}/evidence/",
        None,
        [201, 403, 404, 404, 403, 201, 401, 404],
    ),
    ("approve", "submitted", "post", "/api/v1/submissions/{pk}/approve/", {}, [403, 200, 404, 404, 403, 200, 401, 404]),
    (
        "return",
        "submitted",
        "post",
        "/api/v1/submissions/{pk}/return/",
        {"comment": "Xem lại"},
        [403, 200, 404, 404, 200, 200, 401, 404],
    ),
    (
        "correct",
        "approved",
        "post",
        "/api/v1/submissions/{pk}/correct/",
        {"reason": "Sai số liệu"},
        [200, 200, 404, 404, 403, 200, 401, 404],
    ),
    (
        "comment",
        "draft",
        "post",
        "/api/v1/submissions/{pk}/comments/",
        {"text": "Ý kiến"},
        [201, 201, 404, 404, 201, 201, 401, 404],
    ),
    (
        "lock exception",
        "draft",
        "post",
        "/api/v1/submissions/{pk}/lock-exception/",
        {"reason": "Bổ sung", "days": 3},
        [403, 403, 404, 404, 201, 201, 401, 404],
    ),
]


def _call(client, method, path, body):
    if method == "get":
        return client.get(path)
    if method == "upload":
        return client.post(path, {"file": SimpleUploadedFile("b.pdf", PDF)}, format="multipart")
    return getattr(client, method)(path, body, format="json")


@pytest.mark.parametrize(("role_index", "role"), list(enumerate(ROLES)))
@pytest.mark.parametrize(("name", "state", "method", "path", "body", "codes"), API_CASES, ids=[c[0] for c in API_CASES])
def test_api_permission_matrix(
    people, an_giang, ha_noi, catalogue, role_index, role, name, state, method, path, body, codes
):
    # given
    submission = make(state, people, an_giang, catalogue)
    evidence = with_evidence(submission, people) if name == "evidence file" else None
    before = snapshot(submission)

    # when
    response = _call(
        api(people[role]), method, path.format(pk=submission.pk, evidence=evidence.pk if evidence else 0), body
    )

    # then
    assert response.status_code == codes[role_index], response.content
    if response.status_code >= 400 or method == "get":
        assert snapshot(submission) == before


@pytest.mark.parametrize(
    ("role", "code", "count"),
    [
        ("officer_91", 201, 2),
        ("approver_91", 403, 1),
        ("officer_01", 403, 1),
        ("approver_01", 403, 1),
        ("reviewer", 403, 1),
        ("admin_user", 201, 2),
        ("anonymous", 401, 1),
        ("commune_91", 403, 1),
    ],
)
def test_api_create_permission_matrix(people, an_giang, ha_noi, catalogue, role, code, count):
    # given
    open_submission(people["officer_91"], an_giang, catalogue.form, "2026-10")

    # when
    response = api(people[role]).post(
        "/api/v1/submissions/", {"province": "91", "form": "BC_THANG", "period": "2026-09"}, format="json"
    )

    # then
    assert response.status_code == code
    assert Submission.objects.count() == count


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("officer_91", 403),
        ("approver_91", 403),
        ("officer_01", 403),
        ("approver_01", 403),
        ("reviewer", 403),
        ("admin_user", 200),
        ("anonymous", 401),
        ("commune_91", 403),
    ],
)
def test_api_open_period_permission_matrix(people, an_giang, ha_noi, catalogue, role, code):
    # when
    response = api(people[role]).post("/api/v1/periods/open/", {"form": "BC_THANG", "period": "2026-10"}, format="json")

    # then: the admin opens October for the two current provinces
    assert response.status_code == code
    assert Submission.objects.count() == (2 if code == 200 else 0)


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("officer_91", ["91"]),
        ("approver_91", ["91"]),
        ("officer_01", ["01"]),
        ("approver_01", ["01"]),
        ("reviewer", ["01", "91"]),
        ("admin_user", ["01", "91"]),
        ("commune_91", []),
    ],
)
def test_api_list_shows_only_readable_submissions(people, an_giang, ha_noi, catalogue, role, visible):
    # given: a draft in each province
    open_submission(people["officer_91"], an_giang, catalogue.form)
    open_submission(people["officer_01"], ha_noi, catalogue.form)

    # when
    response = api(people[role]).get("/api/v1/submissions/")

    # then
    assert sorted(r["province"] for r in response.json()["results"]) == visible


def test_api_list_refuses_anonymous(db):
    assert api().get("/api/v1/submissions/").status_code == 401


# Web pages: 302 = done (redirect back to the page), or to the login page for anonymous users.
PAGE_CASES = [
    ("page", "draft", "get", "/bao-cao/{pk}/", None, [200, 200, 404, 404, 200, 200, 302, 404]),
    ("save", "draft", "post", "/bao-cao/{pk}/", "values", [302, 403, 404, 404, 403, 302, 302, 404]),
    ("save and submit", "draft", "post", "/bao-cao/{pk}/", "submit", [302, 403, 404, 404, 403, 302, 302, 404]),
    ("prefill", "draft", "post", "/bao-cao/{pk}/dien-san/", {"version": "2"}, [302, 403, 404, 404, 403, 302, 302, 404]),
    ("evidence upload", "draft", "upload", "/bao-cao/{pk}/minh-chung/", None, [302, 403, 404, 404, 403, 302, 302, 404]),
    (
        "evidence file",
        "draft",
        "get",
        "/bao-cao/minh-chung/{evidence}/",
        None,
        [200, 200, 404, 404, 200, 200, 302, 404],
    ),
    ("approve", "submitted", "post", "/bao-cao/{pk}/phe-duyet/", {}, [403, 302, 404, 404, 403, 302, 302, 404]),
    (
        "return",
        "submitted",
        "post",
        "/bao-cao/{pk}/tra-lai/",
        {"comment": "Xem lại"},
        [403, 302, 404, 404, 302, 302, 302, 404],
    ),
    (
        "correct",
        "approved",
        "post",
        "/bao-cao/{pk}/dieu-chinh/",
        {"reason": "Sai"},
        [302, 302, 404, 404, 403, 302, 302, 404],
    ),
    ("comment", "draft", "post", "/bao-cao/{pk}/y-kien/", {"text": "Ý kiến"}, [302, 302, 404, 404, 302, 302, 302, 404]),
    (
        "lock exception",
        "draft",
        "post",
        "/bao-cao/{pk}/mo-khoa/",
        {"reason": "Bổ sung", "days": "3"},
        [403, 403, 404, 404, 302, 302, 302, 404],
    ),
    ("overview", "draft", "get", "/bao-cao/tinh/{province}/", None, [200, 200, 404, 404, 200, 200, 302, 404]),
    (
        "open",
        "draft",
        "post",
        "/bao-cao/tinh/{province}/mo-bao-cao/",
        {"form": "BC_THANG", "period": "2026-09"},
        [302, 403, 404, 404, 403, 302, 302, 404],
    ),
    ("inbox", "draft", "get", "/bao-cao/hop-thu/", None, [403, 200, 403, 200, 200, 200, 302, 403]),
    # Commune reporting's pages (issue 17), seen from a province report.
    ("commune home", "draft", "get", "/bao-cao/xa/", None, [404, 404, 404, 404, 404, 404, 302, 200]),
    ("communes page", "draft", "get", "/bao-cao/tinh/{province}/xa/", None, [200, 200, 404, 404, 200, 200, 302, 404]),
    (
        "communes batch (a province report is refused)",
        "submitted",
        "post",
        "/bao-cao/tinh/{province}/xa/xu-ly/",
        "batch",
        [302, 302, 404, 404, 302, 302, 302, 404],
    ),
    (
        "coverage note",
        "draft",
        "post",
        "/bao-cao/{pk}/ly-do-chua-du-xa/",
        {"note": "Thiếu xã"},
        [403, 302, 404, 404, 403, 302, 302, 404],
    ),
]


def _page_body(submission, body):
    if body in ("values", "submit"):
        data = {"version": str(submission.version), "action": "submit" if body == "submit" else "save"}
        for code, raw in OCTOBER.items():
            data[f"value__{code}"] = raw
            data[f"comment__{code}"] = ""
        data["value__BTS_5G"] = "321"
        return data
    if body == "batch":
        return {"form": "BC_THANG", "period": "2026-10", "action": "approve", "ids": [str(submission.pk)]}
    return body


@pytest.mark.parametrize(("role_index", "role"), list(enumerate(ROLES)))
@pytest.mark.parametrize(
    ("name", "state", "method", "path", "body", "codes"), PAGE_CASES, ids=[c[0] for c in PAGE_CASES]
)
def test_page_permission_matrix(
    client, people, an_giang, ha_noi, catalogue, role_index, role, name, state, method, path, body, codes
):
    # given
    submission = make(state, people, an_giang, catalogue)
    evidence = with_evidence(submission, people) if name == "evidence file" else None
    before = snapshot(submission)
    count = Submission.objects.count()
    if people[role] is not None:
        client.force_login(people[role])
    url = path.format(pk=submission.pk, province=an_giang.pk, evidence=evidence.pk if evidence else 0)

    # when
    if method == "get":
        response = client.get(url)
    elif method == "upload":
        response = client.post(url, {"file": SimpleUploadedFile("b.pdf", PDF)})
    else:
        response = client.post(url, _page_body(submission, body))

    # then
    assert response.status_code == codes[role_index]
    if role == "anonymous":
        assert response.url.startswith("/accounts/login/")
    if response.status_code >= 400 or role == "anonymous" or method == "get":
        assert snapshot(submission) == before
        assert Submission.objects.count() == count


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("officer_91", "province:an_giang"),
        ("approver_91", "province:an_giang"),
        ("officer_01", "province:ha_noi"),
        ("approver_01", "province:ha_noi"),
        ("reviewer", "/bao-cao/hop-thu/"),
        ("admin_user", "/bao-cao/hop-thu/"),
        ("anonymous", "/accounts/login/?next=/bao-cao/"),
        ("commune_91", "/bao-cao/xa/"),
    ],
)
def test_reporting_index_sends_each_role_to_its_page(client, people, an_giang, ha_noi, role, target):
    # given
    if people[role] is not None:
        client.force_login(people[role])
    expected = {"province:an_giang": f"/bao-cao/tinh/{an_giang.pk}/", "province:ha_noi": f"/bao-cao/tinh/{ha_noi.pk}/"}

    # when
    response = client.get("/bao-cao/")

    # then
    assert (response.status_code, response.url) == (302, expected.get(target, target))
