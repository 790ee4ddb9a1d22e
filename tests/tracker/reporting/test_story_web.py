"""The issue's story through the web pages (Django test client), as the people would click it."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tracker.reporting.conftest import OCTOBER, PDF, audit_rows, values_of
from tracker.reporting.formatting import for_input
from tracker.reporting.models import Submission

RETURN_COMMENT = "Số trạm 5G tăng bất thường, đề nghị kiểm tra."


def form_data(submission: Submission, changes: dict[str, str] | None = None, comments=None, action="save") -> dict:
    """What the browser posts: every box as rendered, with the person's changes."""
    data = {"version": str(submission.version), "action": action}
    for dv in submission.values.select_related("element"):
        data[f"value__{dv.element.code}"] = for_input(dv.value, dv.element.value_type)
        data[f"comment__{dv.element.code}"] = dv.comment
    for code, raw in (changes or {}).items():
        data[f"value__{code}"] = raw
    for code, text in (comments or {}).items():
        data[f"comment__{code}"] = text
    return data


def test_october_report_through_the_web_pages(client, catalogue, an_giang, officer_91, approver_91, reviewer):
    # given: the officer logs in and lands on her province's overview, where October is due
    client.force_login(officer_91)
    landing = client.get("/bao-cao/")
    overview = client.get(landing.url)
    assert (landing.status_code, landing.url) == (302, f"/bao-cao/tinh/{an_giang.pk}/")
    assert overview.status_code == 200
    assert "2026-10" in overview.content.decode() and "05/11/2026" in overview.content.decode()

    # when: she opens October, fills it in, attaches the decision and submits
    opened = client.post(f"/bao-cao/tinh/{an_giang.pk}/mo-bao-cao/", {"form": "BC_THANG", "period": "2026-10"})
    submission = Submission.objects.get()
    page = client.get(f"/bao-cao/{submission.pk}/").content.decode()
    saved = client.post(f"/bao-cao/{submission.pk}/", form_data(submission, OCTOBER))
    submission.refresh_from_db()
    attached = client.post(
        f"/bao-cao/{submission.pk}/minh-chung/",
        {"file": SimpleUploadedFile("le-phi-0-dong.pdf", PDF), "element": "FEE_ZERO", "description": "QĐ lệ phí"},
    )
    submitted = client.post(f"/bao-cao/{submission.pk}/", form_data(submission, action="submit"))

    # then
    assert (opened.status_code, opened.url) == (302, f"/bao-cao/{submission.pk}/")
    assert "Dịch vụ công trực tuyến" in page and "Hạ tầng số" in page and "5 không" in page
    assert "Tỷ lệ hồ sơ trực tuyến toàn trình: 80% đến 31/12/2026" in page
    assert (saved.status_code, attached.status_code, submitted.status_code) == (302, 302, 302)
    submission.refresh_from_db()
    assert (submission.status, submission.version) == ("submitted", 3)

    # when: the leader approves, the ministry returns, the officer corrects and resubmits in one click
    client.force_login(approver_91)
    approved = client.post(f"/bao-cao/{submission.pk}/phe-duyet/")
    client.force_login(reviewer)
    returned = client.post(f"/bao-cao/{submission.pk}/tra-lai/", {"comment": RETURN_COMMENT})
    client.force_login(officer_91)
    submission.refresh_from_db()
    resubmitted = client.post(
        f"/bao-cao/{submission.pk}/",
        form_data(submission, {"BTS_5G": "32"}, {"BTS_5G": "Nhập nhầm: 32 trạm."}, action="submit"),
    )
    submission.refresh_from_db()
    official_during_review = values_of(submission)["BTS_5G"]
    client.force_login(approver_91)
    reapproved = client.post(f"/bao-cao/{submission.pk}/phe-duyet/")

    # then
    assert (approved.status_code, returned.status_code, resubmitted.status_code, reapproved.status_code) == (
        302,
        302,
        302,
        302,
    )
    assert official_during_review == ("32", "320")
    submission.refresh_from_db()
    assert (submission.status, submission.version) == ("approved", 8)
    assert values_of(submission)["BTS_5G"] == ("32", "32")
    assert values_of(submission)["SIGNED_RATE"] == ("87.5", "87.5")
    assert [row for row in audit_rows(submission) if row[0] != "value"] == [
        ("status", "", "", "draft", "", "officer_91", 1),
        ("evidence", "FEE_ZERO", "", "le-phi-0-dong.pdf", "QĐ lệ phí", "officer_91", 2),
        ("status", "", "draft", "submitted", "", "officer_91", 3),
        ("status", "", "submitted", "approved", "", "approver_91", 4),
        ("status", "", "approved", "returned", RETURN_COMMENT, "reviewer", 5),
        ("status", "", "returned", "draft", "", "officer_91", 6),
        ("status", "", "draft", "submitted", "", "officer_91", 7),
        ("status", "", "submitted", "approved", "Phê duyệt điều chỉnh.", "approver_91", 8),
    ]
    assert [row for row in audit_rows(submission) if row[0] == "value"][-1] == (
        "value",
        "BTS_5G",
        "320",
        "32",
        "Nhập nhầm: 32 trạm.",
        "officer_91",
        6,
    )
    assert len([row for row in audit_rows(submission) if row[0] == "value"]) == 9

    # and: the history page shows it all, in Vietnamese number format
    client.force_login(reviewer)
    history = client.get(f"/bao-cao/{submission.pk}/").content.decode()
    assert RETURN_COMMENT in history
    assert "1.952.000" in history and "87,5" in history
    assert "le-phi-0-dong.pdf" in history
