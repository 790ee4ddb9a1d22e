"""Commune reporting through the web pages (issue 17): the commune officer's home and entry form,
the approver's page of commune reports with batch approval and return, the province form's
read-only rolled-up cells with their coverage and the approver's note."""

import re

import pytest
from django.conf import settings

from tests.tracker.reporting.conftest import (
    OCTOBER,
    fill,
    open_commune,
    open_submission,
    snapshot,
    submitted_commune,
    values_of,
)
from tracker.reporting import services
from tracker.reporting.models import Submission

PROVINCE_OCTOBER = {k: v for k, v in OCTOBER.items() if k not in ("DVC_RECEIVED", "DVC_ONLINE", "SIGNED_RATE")}


def figures(received, online="1", signed="50"):
    return {"DVC_RECEIVED": received, "DVC_ONLINE": online, "SIGNED_RATE": signed}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_site_home_and_reporting_index_lead_the_commune_officer_to_their_commune(
    client, commune_catalogue, communes_91, commune_officer_91
):
    # given
    client.force_login(commune_officer_91)

    # when
    home = client.get("/")
    index = client.get("/bao-cao/")

    # then: October 2026 is due (the clock is 3 November 2026)
    assert home.status_code == 200
    assert "Báo cáo của Phường Long Xuyên, Tỉnh An Giang" in text_of(home)
    assert 'name="period" value="2026-10"' in home.content.decode()
    assert (index.status_code, index.url) == (302, "/bao-cao/xa/")


def test_commune_officer_opens_enters_and_submits_through_the_web_form(
    client, commune_catalogue, communes_91, commune_officer_91
):
    # given
    client.force_login(commune_officer_91)

    # when: open October from the home page, then save and submit the form
    opened = client.post("/bao-cao/xa/mo-bao-cao/", {"form": "BC_THANG", "period": "2026-10"})
    report = Submission.objects.get(commune=communes_91[0])
    page = client.get(f"/bao-cao/{report.pk}/")
    data = {"version": str(report.version), "action": "submit"}
    for code, raw in {"DVC_RECEIVED": "1.200", "DVC_ONLINE": "1.000", "SIGNED_RATE": "87,5"}.items():
        data[f"value__{code}"] = raw
        data[f"comment__{code}"] = ""
    sent = client.post(f"/bao-cao/{report.pk}/", data)

    # then: the form holds the three commune-level elements only
    assert (opened.status_code, opened.url) == (302, f"/bao-cao/{report.pk}/")
    html = page.content.decode()
    assert sorted(re.findall(r'name="value__(\w+)"', html)) == ["DVC_ONLINE", "DVC_RECEIVED", "SIGNED_RATE"]
    assert "Phường Long Xuyên, Tỉnh An Giang" in text_of(page)
    assert sent.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    assert values_of(report) == {
        "DVC_RECEIVED": ("1200", None),
        "DVC_ONLINE": ("1000", None),
        "SIGNED_RATE": ("87.5", None),
    }


def test_approver_page_lists_every_commune_with_status_and_figures(
    client, commune_catalogue, an_giang, communes_91, commune_officers_91, approver_91
):
    # given: two submitted, one draft, one not opened
    form = commune_catalogue.form
    submitted_commune(commune_officers_91[0], communes_91[0], form, figures("10"))
    submitted_commune(commune_officers_91[1], communes_91[1], form, figures("1250"))
    open_commune(commune_officers_91[2], communes_91[2], form)
    client.force_login(approver_91)

    # when
    response = client.get(f"/bao-cao/tinh/{an_giang.pk}/xa/?form=BC_THANG&period=2026-10")

    # then
    assert response.status_code == 200
    text = text_of(response)
    assert "0/4 xã đã được duyệt (tháng 10 năm 2026)" in text
    assert "2 xã chờ phê duyệt" in text
    rows = re.findall(r'<tr data-commune="(\d+)">(.*?)</tr>', response.content.decode(), re.S)
    summary = {code: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for code, row in rows}
    assert summary["30002"].startswith("Xã Mỹ Hòa Hưng 30002 Đã gửi 03/11/2026 09:00 1.250 1 50")
    assert summary["30003"] == "Xã Phú Quốc 30003 Nháp — — — —"
    assert summary["30004"] == "Đặc khu Kiên Hải 30004 Chưa mở — — — —"
    assert len(re.findall(r'name="ids"', response.content.decode())) == 2


def test_approver_batch_approves_from_the_page_and_the_province_form_shows_the_roll_up(
    client, commune_catalogue, an_giang, communes_91, commune_officers_91, approver_91, officer_91
):
    # given: three communes submitted with 10, 20, 30; a fourth opened only
    form = commune_catalogue.form
    reports = [
        submitted_commune(officer, commune, form, figures(received))
        for officer, commune, received in zip(commune_officers_91[:3], communes_91[:3], ["10", "20", "30"], strict=True)
    ]
    client.force_login(approver_91)

    # when
    response = client.post(
        f"/bao-cao/tinh/{an_giang.pk}/xa/xu-ly/",
        {"form": "BC_THANG", "period": "2026-10", "action": "approve", "ids": [r.pk for r in reports]},
    )

    # then
    assert response.status_code == 302
    assert [Submission.objects.get(pk=r.pk).status for r in reports] == ["approved"] * 3
    province_report = Submission.objects.get(province=an_giang, commune__isnull=True)
    client.force_login(officer_91)
    page = client.get(f"/bao-cao/{province_report.pk}/")
    html = page.content.decode()
    assert "3/4 xã đã được duyệt" in text_of(page)
    assert 'name="value__DVC_RECEIVED"' not in html
    assert re.search(r'id="r-DVC_RECEIVED">\s*60\s*<', html)
    assert 'name="value__POP"' in html
    assert f'href="/bao-cao/tinh/{an_giang.pk}/xa/?form=BC_THANG&amp;period=2026-10"' in html


def test_batch_approval_from_the_page_refuses_all_and_says_why(
    client, commune_catalogue, an_giang, communes_91, commune_officers_91, approver_91
):
    # given: one submitted, one draft
    form = commune_catalogue.form
    ready = submitted_commune(commune_officers_91[0], communes_91[0], form, figures("10"))
    draft = open_commune(commune_officers_91[1], communes_91[1], form)
    before = snapshot(ready)
    client.force_login(approver_91)

    # when
    response = client.post(
        f"/bao-cao/tinh/{an_giang.pk}/xa/xu-ly/",
        {"form": "BC_THANG", "period": "2026-10", "action": "approve", "ids": [ready.pk, draft.pk]},
        follow=True,
    )

    # then
    assert snapshot(ready) == before
    text = text_of(response)
    assert "Không xử lý báo cáo nào: 1 báo cáo không thực hiện được." in text
    assert "30002 Xã Mỹ Hòa Hưng: Chỉ phê duyệt được báo cáo đã gửi; báo cáo này đang ở trạng thái “Nháp”." in text


def test_approver_returns_checked_reports_with_a_reason(
    client, commune_catalogue, an_giang, communes_91, commune_officers_91, approver_91
):
    # given
    form = commune_catalogue.form
    reports = [
        submitted_commune(officer, commune, form, figures("10"))
        for officer, commune in zip(commune_officers_91[:2], communes_91[:2], strict=True)
    ]
    client.force_login(approver_91)

    # when: without a reason, then with one
    refused = client.post(
        f"/bao-cao/tinh/{an_giang.pk}/xa/xu-ly/",
        {"form": "BC_THANG", "period": "2026-10", "action": "return", "ids": [r.pk for r in reports]},
        follow=True,
    )
    statuses_after_refusal = [Submission.objects.get(pk=r.pk).status for r in reports]
    client.post(
        f"/bao-cao/tinh/{an_giang.pk}/xa/xu-ly/",
        {
            "form": "BC_THANG",
            "period": "2026-10",
            "action": "return",
            "comment": "Thiếu hồ sơ tháng 10",
            "ids": [r.pk for r in reports],
        },
    )

    # then
    assert "Cần ghi ý kiến khi trả lại báo cáo." in text_of(refused)
    assert statuses_after_refusal == ["submitted", "submitted"]
    assert [Submission.objects.get(pk=r.pk).status for r in reports] == ["returned", "returned"]


def test_province_form_refuses_a_forged_rolled_up_value(client, commune_catalogue, an_giang, officer_91):
    # given
    report = open_submission(officer_91, an_giang, commune_catalogue.form)
    before = snapshot(report)
    client.force_login(officer_91)

    # when
    response = client.post(
        f"/bao-cao/{report.pk}/",
        {"version": str(report.version), "action": "save", "value__DVC_RECEIVED": "999", "comment__DVC_RECEIVED": ""},
    )

    # then
    assert response.status_code == 400
    assert "do cấp xã báo cáo: số của tỉnh là tổng hợp số liệu đã được duyệt của các xã" in text_of(response)
    assert snapshot(report) == before


def test_province_cell_save_refuses_a_rolled_up_element(client, commune_catalogue, an_giang, officer_91):
    # given
    report = open_submission(officer_91, an_giang, commune_catalogue.form)
    before = snapshot(report)
    client.force_login(officer_91)

    # when
    response = client.post(
        f"/api/v1/submissions/{report.pk}/cells/DVC_RECEIVED/", {"value": "5"}, content_type="application/json"
    )

    # then
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Số hồ sơ tiếp nhận do cấp xã báo cáo: số của tỉnh là tổng hợp số liệu đã được duyệt của các xã,"
        " không nhập trực tiếp."
    )
    assert snapshot(report) == before


def test_approver_records_the_coverage_note_on_the_province_form(
    client, commune_catalogue, an_giang, communes_91, officer_91, approver_91
):
    # given: no commune approved, the province report complete
    report = fill(open_submission(officer_91, an_giang, commune_catalogue.form), officer_91, PROVINCE_OCTOBER)
    client.force_login(approver_91)
    page = client.get(f"/bao-cao/{report.pk}/")

    # when
    client.post(f"/bao-cao/{report.pk}/ly-do-chua-du-xa/", {"note": "Bão số 5"})
    client.force_login(officer_91)
    data = {"version": str(Submission.objects.get(pk=report.pk).version), "action": "submit"}
    for code, raw in PROVINCE_OCTOBER.items():
        data[f"value__{code}"] = raw
        data[f"comment__{code}"] = ""
    sent = client.post(f"/bao-cao/{report.pk}/", data)

    # then
    assert 'id="coverage-note"' in page.content.decode()
    assert sent.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.coverage_note) == ("submitted", "Bão số 5")


def test_approver_page_in_english(client, commune_catalogue, an_giang, communes_91, approver_91):
    # given
    client.force_login(approver_91)

    # when
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"/bao-cao/tinh/{an_giang.pk}/xa/?form=BC_THANG&period=2026-10")

    # then
    assert response.status_code == 200
    assert "0/4 communes approved (October 2026)" in text_of(response)
    # A column per report element: the table scrolls in its own box, not the whole page.
    assert '<div class="table-wide"><table class="communes stack">' in response.content.decode()


def test_approver_page_refuses_a_bad_period_without_error(client, commune_catalogue, an_giang, approver_91):
    # given
    client.force_login(approver_91)

    # when
    response = client.get(f"/bao-cao/tinh/{an_giang.pk}/xa/?form=BC_THANG&period=2026-13")

    # then
    assert response.status_code == 400
    assert "2026-13" in text_of(response)


def test_commune_officer_cannot_open_the_province_pages(
    client, commune_catalogue, an_giang, communes_91, commune_officer_91, officer_91
):
    # given
    report = open_submission(officer_91, an_giang, commune_catalogue.form)
    client.force_login(commune_officer_91)

    # when
    pages = [
        client.get(f"/bao-cao/{report.pk}/").status_code,
        client.get(f"/bao-cao/tinh/{an_giang.pk}/").status_code,
        client.get(f"/bao-cao/tinh/{an_giang.pk}/xa/").status_code,
        client.get("/bao-cao/hop-thu/").status_code,
    ]

    # then
    assert pages == [404, 404, 404, 403]


def test_approved_through_page_leaves_other_province_untouched(
    client, commune_catalogue, an_giang, communes_91, commune_01, commune_officer_01, approver_91
):
    # given
    other = submitted_commune(commune_officer_01, commune_01, commune_catalogue.form, figures("5"))
    before = snapshot(other)
    client.force_login(approver_91)

    # when
    response = client.post(
        f"/bao-cao/tinh/{an_giang.pk}/xa/xu-ly/",
        {"form": "BC_THANG", "period": "2026-10", "action": "approve", "ids": [other.pk]},
        follow=True,
    )

    # then
    assert "Không tìm thấy báo cáo." in text_of(response)
    assert snapshot(other) == before


def test_commune_report_written_only_by_its_commune(commune_catalogue, communes_91, commune_officers_91):
    # given
    report = open_commune(commune_officers_91[0], communes_91[0], commune_catalogue.form)

    # when / then: another commune of the same province does not even see it
    with pytest.raises(services.SubmissionNotFound):
        services.submission_values_update(
            submission=report, user=commune_officers_91[1], version=report.version, values={"DVC_RECEIVED": "1"}
        )


def test_approver_home_counts_the_commune_reports_waiting(
    client, commune_catalogue, an_giang, communes_91, commune_officers_91, approver_91
):
    # given: two communes sent October, a third only opened it
    form = commune_catalogue.form
    for officer, commune in zip(commune_officers_91[:2], communes_91[:2], strict=True):
        submitted_commune(officer, commune, form, figures("10"))
    open_commune(commune_officers_91[2], communes_91[2], form)
    client.force_login(approver_91)

    # when
    response = client.get("/")

    # then
    assert "Báo cáo cấp xã (2 báo cáo cấp xã chờ phê duyệt)" in text_of(response)
    assert f'href="/bao-cao/tinh/{an_giang.pk}/xa/" id="commune-reports-link"' in response.content.decode()
