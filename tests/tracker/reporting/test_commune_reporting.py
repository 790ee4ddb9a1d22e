"""Commune reporting (issue 17): commune reports through the services, the province's rolled-up
cells and their completeness, batch approval, the coverage threshold and the approver's note."""

from decimal import Decimal

import pytest

from tests.tracker.reporting.conftest import (
    OCTOBER,
    fill,
    open_commune,
    open_submission,
    snapshot,
    submitted_commune,
    values_of,
)
from tracker.progress.models import DirtyUnit
from tracker.reporting import commune_rollup, communes, services
from tracker.reporting.communes import BatchRefused
from tracker.reporting.errors import NotPermitted, TransitionNotAllowed, ValuesInvalid
from tracker.reporting.models import Submission

PROVINCE_OCTOBER = {k: v for k, v in OCTOBER.items() if k not in ("DVC_RECEIVED", "DVC_ONLINE", "SIGNED_RATE")}


def figures(received, online="1", signed="50"):
    return {"DVC_RECEIVED": received, "DVC_ONLINE": online, "SIGNED_RATE": signed}


def test_commune_report_holds_only_the_commune_level_elements(commune_catalogue, communes_91, commune_officer_91):
    # when
    report, created = communes.commune_submission_create(
        user=commune_officer_91, commune=communes_91[0], form=commune_catalogue.form, period="2026-10"
    )

    # then
    assert created is True
    assert report.commune is not None
    assert (report.province.code, report.commune.code, report.status) == ("91", "30001", "draft")
    assert sorted(values_of(report)) == ["DVC_ONLINE", "DVC_RECEIVED", "SIGNED_RATE"]


def test_commune_create_is_idempotent(commune_catalogue, communes_91, commune_officer_91):
    # given
    first = open_commune(commune_officer_91, communes_91[0], commune_catalogue.form)

    # when
    again, created = communes.commune_submission_create(
        user=commune_officer_91, commune=communes_91[0], form=commune_catalogue.form, period="2026-10"
    )

    # then
    assert (again.pk, created, Submission.objects.count()) == (first.pk, False, 1)


def test_province_cell_is_the_sum_of_approved_communes_and_coverage_counts_them(
    commune_catalogue, an_giang, communes_91, commune_officers_91, approver_91
):
    # given: three communes approved with 10, 20 and 30 dossiers, a fourth submitted, not approved
    form = commune_catalogue.form
    reports = [
        submitted_commune(officer, commune, form, figures(received, signed=signed))
        for officer, commune, received, signed in zip(
            commune_officers_91, communes_91, ["10", "20", "30", "40"], ["60", "70", "80", "90"], strict=True
        )
    ]

    # when
    for report in reports[:3]:
        services.submission_approve(submission=report, user=approver_91)

    # then: 10 + 20 + 30, the mean of 60, 70 and 80; the fourth commune does not count yet
    province_report = Submission.objects.get(province=an_giang, commune__isnull=True)
    stored = values_of(province_report)
    assert stored["DVC_RECEIVED"] == ("60", "60")
    assert stored["DVC_ONLINE"] == ("3", "3")
    assert stored["SIGNED_RATE"] == ("70", "70")
    assert stored["POP"] == (None, None)
    coverage = commune_rollup.commune_coverage(an_giang, form, "2026-10")
    assert (coverage.approved, coverage.submitted, coverage.expected) == (3, 1, 4)
    assert coverage.words() == "3/4 xã đã được duyệt"
    assert province_report.status == "draft"


def test_refresh_never_touches_the_province_officers_cells(
    commune_catalogue, an_giang, communes_91, commune_officer_91, officer_91, approver_91
):
    # given: the province officer entered its own figures
    province_report = fill(open_submission(officer_91, an_giang, commune_catalogue.form), officer_91, PROVINCE_OCTOBER)
    report = submitted_commune(commune_officer_91, communes_91[0], commune_catalogue.form, figures("15"))

    # when
    services.submission_approve(submission=report, user=approver_91)

    # then
    stored = values_of(Submission.objects.get(pk=province_report.pk))
    assert stored["DVC_RECEIVED"] == ("15", "15")
    assert stored["POP"] == ("1952000", None)
    assert stored["BTS_5G"] == ("320", None)


def test_approval_tells_the_engine_about_the_province(
    commune_catalogue, an_giang, communes_91, commune_officer_91, approver_91
):
    # given
    report = submitted_commune(commune_officer_91, communes_91[0], commune_catalogue.form, figures("15"))
    before = DirtyUnit.objects.filter(reason="figures_changed").count()

    # when
    services.submission_approve(submission=report, user=approver_91)

    # then
    dirty = DirtyUnit.objects.filter(reason="figures_changed").order_by("-id")
    assert dirty.count() == before + 1
    assert (dirty[0].province_id, str(dirty[0].period_start), str(dirty[0].period_end)) == (
        an_giang.pk,
        "2026-10-01",
        "2026-10-31",
    )


def test_approved_correction_replaces_the_commune_figure_in_the_province(
    commune_catalogue, an_giang, communes_91, commune_officers_91, approver_91
):
    # given: two communes approved with 10 and 20
    form = commune_catalogue.form
    first = submitted_commune(commune_officers_91[0], communes_91[0], form, figures("10"))
    second = submitted_commune(commune_officers_91[1], communes_91[1], form, figures("20"))
    communes.commune_batch_approve(user=approver_91, submission_ids=[first.pk, second.pk])

    # when: the first commune corrects 10 to 12; until approved, the province keeps 30
    services.submission_correction_open(submission=first, user=commune_officers_91[0], reason="Sai số")
    first.refresh_from_db()
    services.submission_values_update(
        submission=first, user=commune_officers_91[0], version=first.version, values={"DVC_RECEIVED": "12"}
    )
    services.submission_submit(submission=first, user=commune_officers_91[0])
    during = values_of(Submission.objects.get(province=an_giang, commune__isnull=True))["DVC_RECEIVED"]
    services.submission_approve(submission=first, user=approver_91)

    # then
    assert during == ("30", "30")
    assert values_of(Submission.objects.get(province=an_giang, commune__isnull=True))["DVC_RECEIVED"] == ("32", "32")


def test_batch_approval_approves_all_and_refreshes_once(
    commune_catalogue, an_giang, communes_91, commune_officers_91, approver_91
):
    # given
    form = commune_catalogue.form
    reports = [
        submitted_commune(officer, commune, form, figures(str(10 * (i + 1))))
        for i, (officer, commune) in enumerate(zip(commune_officers_91, communes_91, strict=True))
    ]
    before = DirtyUnit.objects.filter(reason="figures_changed").count()

    # when
    approved = communes.commune_batch_approve(user=approver_91, submission_ids=[r.pk for r in reports])

    # then
    assert [s.status for s in approved] == ["approved"] * 4
    assert values_of(Submission.objects.get(province=an_giang, commune__isnull=True))["DVC_RECEIVED"] == ("100", "100")
    assert DirtyUnit.objects.filter(reason="figures_changed").count() == before + 1


def test_batch_approval_is_all_or_nothing_with_each_reason(
    commune_catalogue, an_giang, communes_91, commune_officers_91, commune_01, commune_officer_01, approver_91
):
    # given: one submitted commune of An Giang, one still a draft, one of Hà Nội
    form = commune_catalogue.form
    ready = submitted_commune(commune_officers_91[0], communes_91[0], form, figures("10"))
    draft = open_commune(commune_officers_91[1], communes_91[1], form)
    other = submitted_commune(commune_officer_01, commune_01, form, figures("5"))
    before = [snapshot(s) for s in (ready, draft, other)]

    # when
    with pytest.raises(BatchRefused) as refused:
        communes.commune_batch_approve(user=approver_91, submission_ids=[ready.pk, draft.pk, other.pk])

    # then: nothing approved; the draft and the other province's report are named, the latter unseen
    assert refused.value.message == "Không xử lý báo cáo nào: 2 báo cáo không thực hiện được."
    assert [r.as_dict() for r in refused.value.refusals] == [
        {
            "id": draft.pk,
            "unit": "30002 Xã Mỹ Hòa Hưng",
            "reason": "Chỉ phê duyệt được báo cáo đã gửi; báo cáo này đang ở trạng thái “Nháp”.",
        },
        {"id": other.pk, "unit": "", "reason": "Không tìm thấy báo cáo."},
    ]
    assert [snapshot(s) for s in (ready, draft, other)] == before
    assert not Submission.objects.filter(commune__isnull=True).exists()


def test_province_approver_cannot_approve_a_commune_of_another_province(
    commune_catalogue, commune_01, commune_officer_01, approver_91
):
    # given
    other = submitted_commune(commune_officer_01, commune_01, commune_catalogue.form, figures("5"))
    before = snapshot(other)

    # when / then: not even visible to An Giang's approver
    with pytest.raises(services.SubmissionNotFound):
        services.submission_approve(submission=other, user=approver_91)
    assert snapshot(other) == before


def test_province_submit_refused_below_threshold_until_the_approver_records_why(
    commune_catalogue, an_giang, communes_91, commune_officers_91, officer_91, approver_91
):
    # given: 3 of 4 communes approved (75 % < 90 %); the province's own figures complete
    form = commune_catalogue.form
    reports = [
        submitted_commune(officer, commune, form, figures(str(10 * (i + 1))))
        for i, (officer, commune) in enumerate(zip(commune_officers_91[:3], communes_91[:3], strict=True))
    ]
    communes.commune_batch_approve(user=approver_91, submission_ids=[r.pk for r in reports])
    province_report = fill(
        Submission.objects.get(province=an_giang, commune__isnull=True), officer_91, PROVINCE_OCTOBER
    )

    # when
    with pytest.raises(TransitionNotAllowed) as refused:
        services.submission_submit(submission=province_report, user=officer_91)

    # then
    assert refused.value.message == (
        "Chưa gửi được: mới có 3/4 xã đã được duyệt (75%), dưới ngưỡng 90% của biểu mẫu."
        " Lãnh đạo phê duyệt của tỉnh cần ghi lý do gửi khi chưa đủ xã."
    )
    assert Submission.objects.get(pk=province_report.pk).status == "draft"

    # when: the approver records why; the officer may not
    with pytest.raises(NotPermitted):
        communes.coverage_note_record(submission=province_report, user=officer_91, note="x")
    communes.coverage_note_record(submission=province_report, user=approver_91, note="Đặc khu mất điện do bão")
    submitted = services.submission_submit(submission=province_report, user=officer_91)

    # then
    assert submitted.status == "submitted"
    assert (submitted.coverage_note, submitted.coverage_note_by) == ("Đặc khu mất điện do bão", approver_91)


def test_province_submit_allowed_at_the_threshold(
    commune_catalogue, an_giang, communes_91, commune_officers_91, officer_91, approver_91
):
    # given: 4 of 4 approved
    form = commune_catalogue.form
    reports = [
        submitted_commune(officer, commune, form, figures("10"))
        for officer, commune in zip(commune_officers_91, communes_91, strict=True)
    ]
    communes.commune_batch_approve(user=approver_91, submission_ids=[r.pk for r in reports])
    province_report = fill(
        Submission.objects.get(province=an_giang, commune__isnull=True), officer_91, PROVINCE_OCTOBER
    )

    # when
    submitted = services.submission_submit(submission=province_report, user=officer_91)

    # then
    assert submitted.status == "submitted"


def test_province_rolled_up_cell_is_read_only(commune_catalogue, an_giang, officer_91):
    # given
    report = open_submission(officer_91, an_giang, commune_catalogue.form)
    before = snapshot(report)

    # when
    with pytest.raises(ValuesInvalid) as refused:
        services.submission_values_update(
            submission=report, user=officer_91, version=report.version, values={"DVC_RECEIVED": "5", "POP": "10"}
        )

    # then
    assert refused.value.errors == {
        "DVC_RECEIVED": [
            "Số hồ sơ tiếp nhận do cấp xã báo cáo: số của tỉnh là tổng hợp số liệu đã được duyệt của các xã,"
            " không nhập trực tiếp."
        ]
    }
    assert snapshot(report) == before


def test_commune_return_leaves_official_figures_and_counts_for_rates(
    commune_catalogue, an_giang, communes_91, commune_officer_91, approver_91
):
    # given: approved with 15, then returned by the approver
    report = submitted_commune(commune_officer_91, communes_91[0], commune_catalogue.form, figures("15"))
    services.submission_approve(submission=report, user=approver_91)
    before = DirtyUnit.objects.filter(province=an_giang, reason="reporting_changed").count()

    # when
    services.submission_return(submission=report, user=approver_91, comment="Kiểm tra lại")

    # then: as for a province report, the official figure stays until a correction is approved
    assert values_of(Submission.objects.get(province=an_giang, commune__isnull=True))["DVC_RECEIVED"] == ("15", "15")
    assert commune_rollup.commune_coverage(an_giang, commune_catalogue.form, "2026-10").approved == 1
    assert DirtyUnit.objects.filter(province=an_giang, reason="reporting_changed").count() == before + 1


def test_commune_mean_is_unweighted_and_keeps_decimals(
    commune_catalogue, an_giang, communes_91, commune_officers_91, approver_91
):
    # given
    form = commune_catalogue.form
    reports = [
        submitted_commune(officer, commune, form, figures("10", signed=signed))
        for officer, commune, signed in zip(commune_officers_91[:3], communes_91[:3], ["50", "50", "51"], strict=True)
    ]

    # when
    communes.commune_batch_approve(user=approver_91, submission_ids=[r.pk for r in reports])

    # then: 151 / 3
    rate = Submission.objects.get(province=an_giang, commune__isnull=True).values.get(element__code="SIGNED_RATE")
    assert rate.approved_value == Decimal("50.333333")
