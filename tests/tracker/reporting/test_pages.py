"""What the pages show: lateness in the overview, inbox filters, inline errors, lock state."""

import datetime
import re

from drf_spectacular.generators import SchemaGenerator

from tests.tracker.reporting.conftest import OCTOBER, VN, fill, open_submission, snapshot
from tracker.reporting import services


def test_overview_shows_due_dates_and_lateness(client, catalogue, an_giang, officer_91, approver_91, fixed_clock):
    # given: September submitted on time, October submitted three days late
    fixed_clock.reporting("2026-09")
    september = fill(open_submission(officer_91, an_giang, catalogue.form, "2026-09"), officer_91)
    services.submission_submit(submission=september, user=officer_91)
    fixed_clock.set(datetime.datetime(2026, 11, 8, 10, 0, tzinfo=VN))
    october = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    services.submission_submit(submission=october, user=officer_91)
    client.force_login(approver_91)

    # when
    page = client.get(f"/bao-cao/tinh/{an_giang.pk}/").content.decode()

    # then
    rows = [row for row in page.split("<tr>") if "/bao-cao/" in row and "năm 2026</a>" in row]
    assert "tháng 10 năm 2026</a>" in rows[0] and "05/11/2026" in rows[0] and "Trễ 3 ngày" in rows[0]
    assert "tháng 9 năm 2026</a>" in rows[1] and "05/10/2026" in rows[1] and "Đúng hạn" in rows[1]


def test_overview_offers_to_open_the_period_that_just_ended(client, catalogue, an_giang, officer_91):
    client.force_login(officer_91)
    page = client.get(f"/bao-cao/tinh/{an_giang.pk}/").content.decode()
    assert '<input type="hidden" name="period" value="2026-10">' in page
    assert "Mở báo cáo" in page


def test_inbox_filters_by_province_period_form_and_status(
    client, catalogue, an_giang, ha_noi, officer_91, officer_01, reviewer
):
    # given
    for officer, province in [(officer_91, an_giang), (officer_01, ha_noi)]:
        submission = fill(open_submission(officer, province, catalogue.form), officer)
        services.submission_submit(submission=submission, user=officer)
    open_submission(officer_91, an_giang, catalogue.form, "2026-09")
    client.force_login(reviewer)

    # when
    default = client.get("/bao-cao/hop-thu/")
    by_province = client.get("/bao-cao/hop-thu/?status=submitted&province=01")
    drafts = client.get("/bao-cao/hop-thu/?status=draft&form=BC_THANG&period=2026-09")
    everything = client.get("/bao-cao/hop-thu/?status=")

    # then
    def shown(response):
        return [
            (s.submission.province.code, s.submission.period, s.submission.status) for s in response.context["statuses"]
        ]

    assert shown(default) == [("01", "2026-10", "submitted"), ("91", "2026-10", "submitted")]
    assert shown(by_province) == [("01", "2026-10", "submitted")]
    assert shown(drafts) == [("91", "2026-09", "draft")]
    assert len(shown(everything)) == 3


def test_invalid_figures_are_shown_inline_and_nothing_is_saved(client, catalogue, an_giang, officer_91):
    # given
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    before = snapshot(submission)
    client.force_login(officer_91)
    data = {"version": "2", "action": "save"}
    for code, raw in OCTOBER.items():
        data[f"value__{code}"] = raw
        data[f"comment__{code}"] = ""
    data["value__SIGNED_RATE"] = "120"
    data["value__DVC_RECEIVED"] = "mười"

    # when
    response = client.post(f"/bao-cao/{submission.pk}/", data)

    # then
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tỷ lệ hồ sơ được ký số: tỷ lệ phần trăm không được lớn hơn 100." in page
    assert "Số hồ sơ tiếp nhận: “mười” không phải là số." in page
    assert re.search(r'<input id="v-SIGNED_RATE" name="value__SIGNED_RATE"[^>]* value="120"', page)
    assert snapshot(submission) == before


def test_a_locked_submission_offers_the_reviewer_a_lock_exception(
    client, catalogue, an_giang, officer_91, reviewer, fixed_clock
):
    # given
    submission = open_submission(officer_91, an_giang, catalogue.form)
    fixed_clock.set(datetime.datetime(2026, 12, 10, 9, 0, tzinfo=VN))

    # when
    client.force_login(reviewer)
    as_reviewer = client.get(f"/bao-cao/{submission.pk}/").content.decode()
    client.force_login(officer_91)
    as_officer = client.get(f"/bao-cao/{submission.pk}/").content.decode()

    # then
    assert "đã khóa" in as_reviewer and "Mở khóa ngoại lệ</button>" in as_reviewer
    assert "Mở khóa ngoại lệ</button>" not in as_officer


def test_english_page_uses_english_names_and_number_format(client, catalogue, an_giang, officer_91, reviewer):
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    client.force_login(reviewer)
    page = client.get(f"/bao-cao/{submission.pk}/?lang=en").content.decode()
    assert "Dossiers received" in page and "1,952,000" in page


def test_api_is_documented_in_the_openapi_schema(db):
    # when
    schema = SchemaGenerator().get_schema(request=None, public=True)

    # then
    paths = schema["paths"]
    assert sorted(
        p
        for p in paths
        if p.startswith(("/api/v1/submissions", "/api/v1/evidence", "/api/v1/periods", "/api/v1/commune-"))
    ) == [
        "/api/v1/commune-coverage/",
        "/api/v1/commune-submissions/",
        "/api/v1/commune-submissions/batch-approve/",
        "/api/v1/evidence/{id}/",
        "/api/v1/periods/open/",
        "/api/v1/submissions/",
        "/api/v1/submissions/{id}/",
        "/api/v1/submissions/{id}/approve/",
        "/api/v1/submissions/{id}/cells/{element}/",
        "/api/v1/submissions/{id}/comments/",
        "/api/v1/submissions/{id}/correct/",
        "/api/v1/submissions/{id}/coverage-note/",
        "/api/v1/submissions/{id}/evidence/",
        "/api/v1/submissions/{id}/history/",
        "/api/v1/submissions/{id}/lock-exception/",
        "/api/v1/submissions/{id}/prefill/",
        "/api/v1/submissions/{id}/return/",
        "/api/v1/submissions/{id}/submit/",
        "/api/v1/submissions/{id}/values/",
    ]
    # every refusal documented (tracker.api_schema adds those the views do not declare)
    assert sorted(paths["/api/v1/submissions/{id}/values/"]["patch"]["responses"]) == [
        "200",
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "409",
        "413",
        "415",
        "429",
    ]
    assert sorted(paths["/api/v1/submissions/{id}/approve/"]["post"]["responses"]) == [
        "200",
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "409",
        "413",
        "415",
        "429",
    ]
    assert sorted(paths["/api/v1/submissions/"]["post"]["responses"]) == [
        "200",
        "201",
        "400",
        "401",
        "403",
        "405",
        "406",
        "413",
        "415",
        "429",
    ]


def test_admin_shows_submissions_read_only(client, catalogue, an_giang, officer_91, admin_user):
    # given
    submission = open_submission(officer_91, an_giang, catalogue.form)
    client.force_login(admin_user)

    # when
    listing = client.get("/admin/reporting/submission/")
    delete = client.post(f"/admin/reporting/submission/{submission.pk}/delete/", {"post": "yes"})

    # then
    assert listing.status_code == 200
    assert delete.status_code == 403
    assert snapshot(submission)[0] == "draft"
