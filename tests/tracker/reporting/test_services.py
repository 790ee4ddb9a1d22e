"""Workflow rules of the services: creation, periods, deadlines and locks, corrections, evidence."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpis.models import ReportForm
from provinces.models import Province
from tests.tracker.reporting.conftest import (
    OCTOBER,
    PDF,
    VN,
    api,
    approved_submission,
    audit_rows,
    fill,
    open_submission,
    snapshot,
    values_of,
)
from tracker.progress.models import DirtyUnit, ReportingRate
from tracker.progress.tasks import sweep_dirty
from tracker.reporting import evidence as evidence_services
from tracker.reporting import prefill, selectors, services
from tracker.reporting.errors import (
    InvalidInput,
    NotPermitted,
    SubmissionLocked,
    SubmissionNotFound,
    TransitionNotAllowed,
)
from tracker.reporting.models import AuditEntry, Evidence, LockException, Submission

LOCKED = "Kỳ báo cáo đã khóa từ ngày 05/12/2026: cần chuyên viên Bộ mở khóa ngoại lệ để thay đổi."


# -- creating ---------------------------------------------------------------------------------


def test_creating_twice_returns_the_same_submission_with_one_empty_value_per_element(catalogue, an_giang, officer_91):
    # when
    first, created = services.submission_create(
        user=officer_91, province=an_giang, form=catalogue.form, period="2026-10"
    )
    second, created_again = services.submission_create(
        user=officer_91, province=an_giang, form=catalogue.form, period="2026-10"
    )

    # then
    assert (created, created_again, first.pk) == (True, False, second.pk)
    assert (first.period_start, first.period_end) == (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    assert values_of(first) == dict.fromkeys(OCTOBER, (None, None))
    assert audit_rows(first) == [("status", "", "", "draft", "", "officer_91", 1)]


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2026-12", "Kỳ 2026-12 chưa bắt đầu."),
        ("2024-10", "91 Tỉnh An Giang không phải là đơn vị báo cáo của kỳ 2024-10."),
        ("2026-Q3", "Kỳ 2026-Q3 không đúng tần suất của biểu mẫu BC_THANG (monthly)."),
        (
            "2026-13",
            "Kỳ báo cáo “2026-13” không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm).",
        ),
    ],
)
def test_periods_outside_the_units_life_or_the_forms_rhythm_are_refused(
    catalogue, an_giang, officer_91, period, message
):
    # when
    with pytest.raises(InvalidInput) as refused:
        services.submission_create(user=officer_91, province=an_giang, form=catalogue.form, period=period)

    # then
    assert refused.value.message == message
    assert Submission.objects.count() == 0


def test_admin_enters_history_of_a_former_province_that_the_merged_province_can_read(
    catalogue, an_giang, admin_user, officer_91
):
    # given: code 91 was Kiên Giang before the merger
    admin = api(admin_user)

    # when
    created = admin.post(
        "/api/v1/submissions/",
        {"province": "91", "former": True, "form": "BC_THANG", "period": "2024-10"},
        format="json",
    )
    pk = created.json()["id"]
    saved = admin.patch(
        f"/api/v1/submissions/{pk}/values/",
        {"version": 1, "values": [{"element": c, "value": v} for c, v in OCTOBER.items()]},
        format="json",
    )
    admin.post(f"/api/v1/submissions/{pk}/submit/", {}, format="json")
    approved = admin.post(f"/api/v1/submissions/{pk}/approve/", {}, format="json")
    read = api(officer_91).get(f"/api/v1/submissions/{pk}/")
    write = api(officer_91).post(f"/api/v1/submissions/{pk}/comments/", {"text": "ok"}, format="json")
    correct = api(officer_91).post(f"/api/v1/submissions/{pk}/correct/", {"reason": "x"}, format="json")

    # then: long past its lock date, only the admin writes; the successor's officer reads
    assert (created.status_code, created.json()["former"], created.json()["province_name"]) == (
        201,
        True,
        "Tỉnh Kiên Giang",
    )
    assert (saved.status_code, approved.json()["status"]) == (200, "approved")
    assert (read.status_code, write.status_code, correct.status_code) == (200, 201, 403)
    assert Submission.objects.get(pk=pk).province == Province.objects.former().get(code="91")


def test_provincial_users_cannot_create_for_former_units(catalogue, an_giang, officer_91):
    response = api(officer_91).post(
        "/api/v1/submissions/",
        {"province": "91", "former": True, "form": "BC_THANG", "period": "2024-10"},
        format="json",
    )
    assert (response.status_code, Submission.objects.count()) == (403, 0)


def test_opening_a_period_creates_every_units_submission_once(catalogue, an_giang, ha_noi, admin_user, officer_91):
    # given: An Giang already opened October itself
    open_submission(officer_91, an_giang, catalogue.form)

    # when
    first = services.period_open(user=admin_user, form=catalogue.form, period="2026-10")
    second = services.period_open(user=admin_user, form=catalogue.form, period="2026-10")
    before_merger = services.period_open(user=admin_user, form=catalogue.form, period="2025-06")

    # then
    assert ([s.province.code for s in first], second) == (["01"], [])
    assert sorted((s.province.code, s.province.name) for s in before_merger) == [
        ("01", "Thành phố Hà Nội"),
        ("89", "Tỉnh An Giang"),
        ("91", "Tỉnh Kiên Giang"),
    ]
    assert Submission.objects.filter(period="2026-10").count() == 2
    assert values_of(first[0]) == dict.fromkeys(OCTOBER, (None, None))


def test_only_admins_open_periods(catalogue, an_giang, reviewer):
    with pytest.raises(NotPermitted):
        services.period_open(user=reviewer, form=catalogue.form, period="2026-10")
    assert Submission.objects.count() == 0


# -- deadlines and locks ----------------------------------------------------------------------


def test_lateness_counts_from_the_first_submission(catalogue, an_giang, officer_91, approver_91, fixed_clock):
    # given: October is due on 5 November; submitted on 8 November
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    fixed_clock.set(datetime.datetime(2026, 11, 8, 10, 0, tzinfo=VN))
    services.submission_submit(submission=submission, user=officer_91)
    services.submission_return(submission=submission, user=approver_91, comment="Bổ sung")
    fixed_clock.set(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=VN))
    services.submission_submit(submission=submission, user=officer_91)

    # when
    state = selectors.submission_status(Submission.objects.get(pk=submission.pk))

    # then
    assert (state.due, state.lock, state.days_late, state.locked) == (
        datetime.date(2026, 11, 5),
        datetime.date(2026, 12, 5),
        3,
        False,
    )


def test_after_the_lock_only_a_reviewers_exception_lets_the_officer_write(
    catalogue, an_giang, officer_91, reviewer, fixed_clock
):
    # given: the draft is still open on 6 December, the day after the lock
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    fixed_clock.set(datetime.datetime(2026, 12, 6, 8, 0, tzinfo=VN))
    before = snapshot(submission)

    # when: refused, then allowed under a 3-day exception, then refused again once it expired
    with pytest.raises(SubmissionLocked) as locked:
        services.submission_values_update(submission=submission, user=officer_91, version=2, values={"BTS_5G": "33"})
    unchanged = snapshot(submission)
    services.lock_exception_grant(submission=submission, user=reviewer, reason="Tỉnh xin bổ sung số liệu 5G.", days=3)
    services.submission_values_update(submission=submission, user=officer_91, version=2, values={"BTS_5G": "33"})
    fixed_clock.set(datetime.datetime(2026, 12, 9, 8, 1, tzinfo=VN))
    with pytest.raises(SubmissionLocked):
        services.submission_submit(submission=submission, user=officer_91)

    # then
    assert locked.value.message == LOCKED
    assert unchanged == before
    assert values_of(submission)["BTS_5G"] == ("33", None)
    assert audit_rows(submission)[-2] == (
        "lock_exception",
        "",
        "",
        "2026-12-09T08:00+07:00",
        "Tỉnh xin bổ sung số liệu 5G.",
        "reviewer",
        2,
    )


def test_lock_exception_needs_a_reason_and_a_sane_duration(catalogue, an_giang, officer_91, reviewer):
    submission = open_submission(officer_91, an_giang, catalogue.form)
    with pytest.raises(InvalidInput, match=r"Cần ghi lý do mở khóa ngoại lệ\."):
        services.lock_exception_grant(submission=submission, user=reviewer, reason=" ")
    with pytest.raises(InvalidInput, match=r"Thời hạn mở khóa phải từ 1 đến 30 ngày\."):
        services.lock_exception_grant(submission=submission, user=reviewer, reason="x", days=90)
    assert LockException.objects.count() == 0


# -- approval and corrections -----------------------------------------------------------------


def test_approval_copies_values_in_one_update_inside_the_transaction(
    catalogue, an_giang, officer_91, approver_91, monkeypatch
):
    # given
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    services.submission_submit(submission=submission, user=officer_91)
    seen = []
    monkeypatch.setattr(services, "figures_changed", lambda **kwargs: seen.append((kwargs, connection.in_atomic_block)))

    # when
    with CaptureQueriesContext(connection) as queries:
        services.submission_approve(submission=submission, user=approver_91)

    # then
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "reporting_datavalue"')]
    assert len(updates) == 1
    assert seen == [
        (
            {
                "province_id": an_giang.pk,
                "period_start": datetime.date(2026, 10, 1),
                "period_end": datetime.date(2026, 10, 31),
            },
            True,
        )
    ]
    assert all(value == approved for value, approved in values_of(submission).values())


def test_a_correction_needs_a_reason_and_keeps_the_approved_figures_official(
    catalogue, an_giang, officer_91, approver_91, figure_changes
):
    # given
    submission = approved_submission(officer_91, approver_91, an_giang, catalogue.form)
    figure_changes.clear()

    # when
    with pytest.raises(InvalidInput, match=r"Cần ghi lý do điều chỉnh báo cáo đã phê duyệt\."):
        services.submission_correction_open(submission=submission, user=officer_91, reason="")
    services.submission_correction_open(
        submission=submission, user=officer_91, reason="Cục Thống kê công bố lại dân số."
    )
    services.submission_values_update(submission=submission, user=officer_91, version=5, values={"POP": "1.960.000"})
    during = values_of(submission)["POP"]
    services.submission_submit(submission=submission, user=officer_91)
    still_during = (values_of(submission)["POP"], figure_changes[:])
    services.submission_approve(submission=submission, user=approver_91)

    # then
    assert during == ("1960000", "1952000")
    assert still_during == (("1960000", "1952000"), [])
    assert values_of(submission)["POP"] == ("1960000", "1960000")
    assert len(figure_changes) == 1
    submission.refresh_from_db()
    assert (submission.status, submission.has_official_values) == ("approved", True)
    assert [r for r in audit_rows(submission) if r[0] == "status"][-4:] == [
        ("status", "", "submitted", "approved", "", "approver_91", 4),
        ("status", "", "approved", "draft", "Cục Thống kê công bố lại dân số.", "officer_91", 5),
        ("status", "", "draft", "submitted", "", "officer_91", 7),
        ("status", "", "submitted", "approved", "Phê duyệt điều chỉnh.", "approver_91", 8),
    ]


@pytest.mark.parametrize(
    ("action", "state", "message"),
    [
        ("approve", "draft", "Chỉ phê duyệt được báo cáo đã gửi; báo cáo này đang ở trạng thái “Nháp”."),
        ("approve", "approved", "Chỉ phê duyệt được báo cáo đã gửi; báo cáo này đang ở trạng thái “Đã phê duyệt”."),
        ("return", "draft", "Chỉ trả lại được báo cáo đã gửi hoặc đã phê duyệt; báo cáo này đang ở trạng thái “Nháp”."),
        ("submit", "submitted", "Không gửi được báo cáo đang ở trạng thái “Đã gửi”."),
        (
            "correct",
            "submitted",
            "Chỉ mở điều chỉnh được báo cáo đã phê duyệt; báo cáo này đang ở trạng thái “Đã gửi”.",
        ),
    ],
)
def test_transitions_that_do_not_fit_the_status_are_refused(
    catalogue, an_giang, officer_91, approver_91, admin_user, action, state, message
):
    # given
    if state == "approved":
        submission = approved_submission(officer_91, approver_91, an_giang, catalogue.form)
    else:
        submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
        if state == "submitted":
            services.submission_submit(submission=submission, user=officer_91)
    before = snapshot(submission)
    calls = {
        "approve": lambda: services.submission_approve(submission=submission, user=admin_user),
        "return": lambda: services.submission_return(submission=submission, user=admin_user, comment="x"),
        "submit": lambda: services.submission_submit(submission=submission, user=admin_user),
        "correct": lambda: services.submission_correction_open(submission=submission, user=admin_user, reason="x"),
    }

    # when
    with pytest.raises(TransitionNotAllowed) as refused:
        calls[action]()

    # then
    assert refused.value.message == message
    assert snapshot(submission) == before


def test_prefill_copies_last_months_approved_stocks_into_empty_boxes(
    catalogue, an_giang, officer_91, approver_91, fixed_clock
):
    # given: September approved; October opened with only the dossier figures typed
    fixed_clock.reporting("2026-09")
    approved_submission(officer_91, approver_91, an_giang, catalogue.form, "2026-09")
    fixed_clock.reset()
    october = fill(
        open_submission(officer_91, an_giang, catalogue.form), officer_91, {"DVC_RECEIVED": "10", "BTS_5G": "330"}
    )

    # when
    report = prefill.submission_prefill(submission=october, user=officer_91, version=2)

    # then: stocks (last value) are prefilled, flows and what was typed are not, and it says so
    assert (report.filled, report.kept, report.skipped) == (["FEE_ZERO", "POP", "POP_5G"], ["BTS_5G"], {})
    assert report.messages() == [
        "Đã điền sẵn 3 ô từ số liệu đã phê duyệt kỳ trước.",
        "1 ô đã có số liệu nên được giữ nguyên.",
    ]
    assert values_of(october) == {
        "DVC_RECEIVED": ("10", None),
        "DVC_ONLINE": (None, None),
        "POP": ("1952000", None),
        "POP_5G": ("1500000", None),
        "BTS_5G": ("330", None),
        "FEE_ZERO": ("1", None),
        "SIGNED_RATE": (None, None),
        "BUDGET": (None, None),
    }
    assert AuditEntry.objects.filter(
        submission=october, kind="value", element__code="POP", reason="Điền sẵn từ số liệu đã phê duyệt kỳ trước."
    ).exists()


def test_comments_are_audited_and_must_not_be_empty(catalogue, an_giang, officer_91, reviewer):
    submission = open_submission(officer_91, an_giang, catalogue.form)
    services.submission_comment_add(submission=submission, user=reviewer, text="  Đề nghị bổ sung minh chứng.  ")
    with pytest.raises(InvalidInput, match=r"Ý kiến không được để trống\."):
        services.submission_comment_add(submission=submission, user=reviewer, text="")
    assert audit_rows(submission)[-1] == ("comment", "", "", "", "Đề nghị bổ sung minh chứng.", "reviewer", 1)


def test_reading_another_provinces_submission_is_not_found_in_services(catalogue, an_giang, officer_91, officer_01):
    submission = open_submission(officer_91, an_giang, catalogue.form)
    with pytest.raises(SubmissionNotFound):
        selectors.submission_get(user=officer_01, pk=submission.pk)
    with pytest.raises(SubmissionNotFound):
        services.submission_values_update(submission=submission, user=officer_01, version=1, values={"POP": "1"})


# -- evidence ---------------------------------------------------------------------------------


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_evidence_is_stored_under_media_root_with_a_random_name(catalogue, an_giang, officer_91, media_root):
    # given
    submission = open_submission(officer_91, an_giang, catalogue.form)

    # when
    evidence = evidence_services.evidence_upload(
        submission=submission, user=officer_91, upload=SimpleUploadedFile("../../etc/Quyết định.docx", _docx())
    )

    # then
    name = evidence.file.name or ""
    stored = media_root / name
    assert evidence.original_name == "Quyết định.docx"
    assert name.startswith(f"evidence/{submission.pk}/") and name.endswith(".docx")
    assert stored.read_bytes() == _docx()
    assert evidence.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Tệp “virus.exe” không được chấp nhận: chỉ nhận PDF, PNG, JPG, DOCX, XLSX."),
        ("trang.html", b"<script>", "Tệp “trang.html” không được chấp nhận: chỉ nhận PDF, PNG, JPG, DOCX, XLSX."),
        ("gia.pdf", b"MZ\x90\x00 not a pdf", "Nội dung tệp “gia.pdf” không đúng định dạng PDF."),
        ("gia.xlsx", b"PK\x03\x04broken", "Nội dung tệp “gia.xlsx” không đúng định dạng XLSX."),
        ("rong.pdf", b"", "Tệp “rong.pdf” rỗng."),
        ("lon.pdf", PDF + b"x" * 2048, "Tệp “lon.pdf” quá lớn (0.0 MB); tối đa 0.0 MB."),
    ],
)
def test_evidence_outside_the_limits_is_refused(catalogue, an_giang, officer_91, settings, name, content, message):
    # given
    settings.EVIDENCE_MAX_BYTES = 1024
    submission = open_submission(officer_91, an_giang, catalogue.form)

    # when
    response = api(officer_91).post(
        f"/api/v1/submissions/{submission.pk}/evidence/",
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )

    # then
    # over the size limit: 413, as on every upload path
    expected = (
        (413, {"detail": message, "code": "too_large"})
        if name == "lon.pdf"
        else (400, {"detail": message, "code": "invalid"})
    )
    assert (response.status_code, response.json()) == expected or (name == "rong.pdf" and response.status_code == 400)
    assert Evidence.objects.count() == 0
    assert AuditEntry.objects.filter(kind="evidence").count() == 0


def test_evidence_is_never_served_from_a_public_media_url(client, catalogue, an_giang, officer_91):
    submission = open_submission(officer_91, an_giang, catalogue.form)
    evidence = evidence_services.evidence_upload(
        submission=submission, user=officer_91, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    client.force_login(officer_91)
    assert client.get(f"/media/{evidence.file.name}").status_code == 404
    assert client.get(f"/bao-cao/minh-chung/{evidence.pk}/").status_code == 200


def test_a_year_spanning_the_merger_is_reported_by_the_new_units(db, an_giang, admin_user):
    # given
    form = ReportForm.objects.create(code="BC_NAM", name="Báo cáo năm", periodicity="yearly")

    # when
    with pytest.raises(InvalidInput, match="không đúng tần suất"):
        services.period_open(user=admin_user, form=form, period="2026-10")
    opened = services.period_open(user=admin_user, form=form, period="2025")

    # then
    assert [(s.province.code, s.province.is_current) for s in opened] == [("91", True)]


def test_approval_goes_through_the_real_roll_up_seam(catalogue, an_giang, officer_91, approver_91, monkeypatch):
    # given: the roll-up engine's own figures_changed instead of the recording stub
    from tracker.progress import services as progress_services

    monkeypatch.setattr(services, "figures_changed", progress_services.figures_changed)
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    services.submission_submit(submission=submission, user=officer_91)

    # when
    services.submission_approve(submission=submission, user=approver_91)

    # then
    submission.refresh_from_db()
    assert (submission.status, submission.has_official_values) == ("approved", True)


def test_submitting_and_returning_reach_the_reporting_rates_with_the_next_sweep(
    catalogue, an_giang, officer_91, approver_91, django_capture_on_commit_callbacks
):
    # given
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)

    def received() -> tuple[int, int]:
        row = ReportingRate.objects.get(form=catalogue.form, level="province", province=an_giang, period="2026-10")
        return row.expected, row.received

    # when: submitted (nothing is enqueued), then the periodic sweep runs
    with django_capture_on_commit_callbacks() as enqueued:
        services.submission_submit(submission=submission, user=officer_91)
    assert (len(enqueued), DirtyUnit.objects.get().reason) == (0, "reporting_changed")
    sweep_dirty()

    # then: received before any approval, and nothing left pending
    assert received() == (1, 1)
    assert not DirtyUnit.objects.exists()

    # when
    services.submission_return(submission=submission, user=approver_91, comment="Bổ sung")
    sweep_dirty()

    # then
    assert received() == (1, 0)
