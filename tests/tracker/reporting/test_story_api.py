"""The issue's story, through the REST API: An Giang's officer fills October 2026, attaches the
0-đồng fee decision and submits; her leader approves; a ministry reviewer returns it because of
the 5G figure; the officer corrects and resubmits; the leader approves the correction."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tracker.reporting.conftest import OCTOBER, PDF, api, audit_rows, values_of
from tracker.reporting.models import Submission

BASE = "/api/v1/submissions/"
RETURN_COMMENT = "Số trạm 5G tăng bất thường (320 trạm), đề nghị kiểm tra lại."


def test_october_report_walks_from_draft_to_approved_correction(
    catalogue, officer_91, approver_91, reviewer, figure_changes
):
    officer, approver, ministry = api(officer_91), api(approver_91), api(reviewer)

    # given: the officer opens October 2026 (asking twice returns the same submission)
    created = officer.post(BASE, {"province": "91", "form": "BC_THANG", "period": "2026-10"}, format="json")
    again = officer.post(BASE, {"province": "91", "form": "BC_THANG", "period": "2026-10"}, format="json")
    pk = created.json()["id"]
    assert (created.status_code, created.json()["status"], created.json()["version"]) == (201, "draft", 1)
    assert (again.status_code, again.json()["id"], Submission.objects.count()) == (200, pk, 1)
    assert (created.json()["due_date"], created.json()["lock_date"], created.json()["days_late"]) == (
        "2026-11-05",
        "2026-12-05",
        0,
    )

    # when: she fills the month, attaches the fee decision and submits
    saved = officer.patch(
        f"{BASE}{pk}/values/",
        {"version": 1, "values": [{"element": code, "value": raw} for code, raw in OCTOBER.items()]},
        format="json",
    )
    upload = officer.post(
        f"{BASE}{pk}/evidence/",
        {
            "file": SimpleUploadedFile("QĐ lệ phí 0 đồng.pdf", PDF, content_type="application/pdf"),
            "element": "FEE_ZERO",
            "description": "Nghị quyết HĐND tỉnh về lệ phí 0 đồng",
        },
        format="multipart",
    )
    submitted = officer.post(f"{BASE}{pk}/submit/", {}, format="json")
    approved = approver.post(f"{BASE}{pk}/approve/", {}, format="json")

    # then
    assert (saved.status_code, saved.json()["version"], saved.json()["status"]) == (200, 2, "draft")
    assert {v["element"]: v["value"] for v in saved.json()["values"]} == {
        "DVC_RECEIVED": "15240",
        "DVC_ONLINE": "12192",
        "POP": "1952000",
        "POP_5G": "1500000",
        "BTS_5G": "320",
        "FEE_ZERO": "1",
        "SIGNED_RATE": "87.5",
        "BUDGET": "2500000000",
    }
    assert (upload.status_code, upload.json()["original_name"], upload.json()["element"]) == (
        201,
        "QĐ lệ phí 0 đồng.pdf",
        "FEE_ZERO",
    )
    assert submitted.json() == {"id": pk, "status": "submitted", "version": 3}
    assert approved.json() == {"id": pk, "status": "approved", "version": 4}
    assert values_of(Submission.objects.get(pk=pk))["BTS_5G"] == ("320", "320")

    # when: the reviewer returns it, the officer corrects the 5G figure and resubmits
    returned = ministry.post(f"{BASE}{pk}/return/", {"comment": RETURN_COMMENT}, format="json")
    corrected = officer.patch(
        f"{BASE}{pk}/values/",
        {"version": 5, "values": [{"element": "BTS_5G", "value": "32", "comment": "Nhập nhầm: 32 trạm."}]},
        format="json",
    )
    in_correction = values_of(Submission.objects.get(pk=pk))
    resubmitted = officer.post(f"{BASE}{pk}/submit/", {"version": 6}, format="json")
    reapproved = approver.post(f"{BASE}{pk}/approve/", {}, format="json")

    # then: the approved 320 stayed official until the correction was approved
    assert returned.json() == {"id": pk, "status": "returned", "version": 5}
    assert (corrected.status_code, corrected.json()["status"], corrected.json()["version"]) == (200, "draft", 6)
    assert in_correction["BTS_5G"] == ("32", "320")
    assert resubmitted.json() == {"id": pk, "status": "submitted", "version": 7}
    assert reapproved.json() == {"id": pk, "status": "approved", "version": 8}
    final = Submission.objects.get(pk=pk)
    assert values_of(final) == {
        "DVC_RECEIVED": ("15240", "15240"),
        "DVC_ONLINE": ("12192", "12192"),
        "POP": ("1952000", "1952000"),
        "POP_5G": ("1500000", "1500000"),
        "BTS_5G": ("32", "32"),
        "FEE_ZERO": ("1", "1"),
        "SIGNED_RATE": ("87.5", "87.5"),
        "BUDGET": ("2500000000", "2500000000"),
    }
    assert (final.status, final.version, final.has_official_values) == ("approved", 8, True)
    period = {"province_id": final.province_id, "period_start": final.period_start, "period_end": final.period_end}
    assert figure_changes == [period, period]

    # and: every step is in the history, readable through the API
    assert audit_rows(final) == [
        ("status", "", "", "draft", "", "officer_91", 1),
        ("value", "DVC_RECEIVED", "", "15240", "", "officer_91", 2),
        ("value", "DVC_ONLINE", "", "12192", "", "officer_91", 2),
        ("value", "POP", "", "1952000", "", "officer_91", 2),
        ("value", "POP_5G", "", "1500000", "", "officer_91", 2),
        ("value", "BTS_5G", "", "320", "", "officer_91", 2),
        ("value", "FEE_ZERO", "", "1", "", "officer_91", 2),
        ("value", "SIGNED_RATE", "", "87.5", "", "officer_91", 2),
        ("value", "BUDGET", "", "2500000000", "", "officer_91", 2),
        ("evidence", "FEE_ZERO", "", "QĐ lệ phí 0 đồng.pdf", "Nghị quyết HĐND tỉnh về lệ phí 0 đồng", "officer_91", 2),
        ("status", "", "draft", "submitted", "", "officer_91", 3),
        ("status", "", "submitted", "approved", "", "approver_91", 4),
        ("status", "", "approved", "returned", RETURN_COMMENT, "reviewer", 5),
        ("status", "", "returned", "draft", "", "officer_91", 6),
        ("value", "BTS_5G", "320", "32", "Nhập nhầm: 32 trạm.", "officer_91", 6),
        ("status", "", "draft", "submitted", "", "officer_91", 7),
        ("status", "", "submitted", "approved", "Phê duyệt điều chỉnh.", "approver_91", 8),
    ]
    history = ministry.get(f"{BASE}{pk}/history/").json()
    assert history["count"] == 17
    assert history["results"][12] | {"id": 0, "at": ""} == {
        "id": 0,
        "at": "",
        "kind": "status",
        "element": None,
        "old_value": "approved",
        "new_value": "returned",
        "reason": RETURN_COMMENT,
        "user": "reviewer",
        "version": 5,
    }


def test_evidence_downloads_only_for_readers(catalogue, officer_91, reviewer, officer_01, an_giang):
    # given
    officer = api(officer_91)
    pk = officer.post(BASE, {"province": "91", "form": "BC_THANG", "period": "2026-10"}, format="json").json()["id"]
    evidence_id = officer.post(
        f"{BASE}{pk}/evidence/",
        {"file": SimpleUploadedFile("quyet-dinh.pdf", PDF, content_type="application/pdf")},
        format="multipart",
    ).json()["id"]

    # when
    own = officer.get(f"/api/v1/evidence/{evidence_id}/")
    ministry = api(reviewer).get(f"/api/v1/evidence/{evidence_id}/")
    other = api(officer_01).get(f"/api/v1/evidence/{evidence_id}/")
    anonymous = api().get(f"/api/v1/evidence/{evidence_id}/")

    # then
    assert (own.status_code, own.getvalue()) == (200, PDF)
    assert own["Content-Disposition"] == 'attachment; filename="quyet-dinh.pdf"'
    assert own["Content-Type"] == "application/pdf"
    assert ministry.status_code == 200
    assert (other.status_code, anonymous.status_code) == (404, 401)
