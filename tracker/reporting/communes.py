"""Writes of commune reporting (issue 17) that the province workflow does not already cover.

A commune report is a Submission with `commune` set; entering its figures, submitting, approving,
returning and corrections go through tracker.reporting.services like a province report's (the
permissions and the validation context know the level). Here: opening a commune report, the
approver's batch approval, and the approver's reason for sending a province report while too
few of its communes are approved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kpis.models import ReportForm
from kpis.periods import Period
from provinces.models import Commune, Province
from tracker.accounts import permissions
from tracker.accounts.models import Role
from tracker.reporting import clock, commune_rollup, services
from tracker.reporting.errors import InvalidInput, NotPermitted, ReportingError, SubmissionNotFound
from tracker.reporting.levels import commune_reporting_start
from tracker.reporting.models import AuditEntry, DataValue, Submission

Status = Submission.Status
MAX_BATCH = 500


def commune_by_code(code: str, *, period: Period | None = None, province: Province | None = None) -> Commune:
    """The commune with this code (the unit valid in `period` when given, else the current one).

    Refuses an unknown code, and a commune of another province when `province` is given."""
    code = (code or "").strip()
    units = Commune.objects.filter(code=code).select_related("province")
    unit = (units.valid_on(period.end) if period is not None else units.current()).first() or units.last()
    if unit is None:
        raise InvalidInput(_("Không có xã, phường, đặc khu mã “%(code)s”.") % {"code": code})
    if province is not None and unit.province_id != province.pk:
        raise InvalidInput(
            _("%(commune)s thuộc %(other)s, không thuộc %(province)s.")
            % {"commune": unit, "other": unit.province.name, "province": province.name}
        )
    return unit


def check_commune_period(*, commune: Commune, form: ReportForm, period: Period) -> None:
    """The commune reports this form in this period, or the reason why not."""
    if period.periodicity != form.periodicity:
        raise InvalidInput(
            _("Kỳ %(period)s không đúng tần suất của biểu mẫu %(form)s (%(periodicity)s).")
            % {"period": period, "form": form.code, "periodicity": form.periodicity}
        )
    start = commune_reporting_start(form)
    if start is None:
        raise InvalidInput(_("Biểu mẫu %(form)s không có báo cáo cấp xã.") % {"form": form.code})
    if period.start < start.start:
        raise InvalidInput(
            _("Biểu mẫu %(form)s chỉ báo cáo cấp xã từ kỳ %(start)s; kỳ %(period)s do tỉnh báo cáo.")
            % {"form": form.code, "start": start, "period": period}
        )
    if period.end < commune.valid_from or (commune.valid_to is not None and period.end > commune.valid_to):
        raise InvalidInput(
            _("%(commune)s không phải là đơn vị báo cáo của kỳ %(period)s (hiệu lực từ %(from)s).")
            % {"commune": commune, "period": period, "from": commune.valid_from.strftime("%d/%m/%Y")}
        )
    if period.start > clock.today():
        raise InvalidInput(_("Kỳ %(period)s chưa bắt đầu.") % {"period": period})


@transaction.atomic
def commune_submission_create(
    *, user: Any, commune: Commune, form: ReportForm, period: Period | str
) -> tuple[Submission, bool]:
    """The commune's report of (form, period), created with an empty cell per commune-level element.

    Idempotent like `services.submission_create`: asking again returns the same report."""
    if not permissions.may_create_commune(user, commune):
        if getattr(user, "role", None) in (Role.OFFICER, Role.APPROVER):
            raise NotPermitted(_("Báo cáo cấp xã do cán bộ cấp xã nhập; tài khoản của tỉnh không nhập báo cáo cho xã."))
        raise NotPermitted(_("Bạn không được tạo báo cáo cho %(commune)s.") % {"commune": commune})
    period = services._parse_period(period)
    check_commune_period(commune=commune, form=form, period=period)
    lookup = {"commune": commune, "form": form, "period": str(period)}
    existing = Submission.objects.filter(**lookup).first()
    if existing is not None:
        return existing, False
    report = Submission(
        province_id=commune.province_id,
        commune=commune,
        form=form,
        period=str(period),
        period_start=period.start,
        period_end=period.end,
        created_by=user if user.is_authenticated else None,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        existing = Submission.objects.filter(**lookup).first()
        if existing is None:
            raise
        return existing, False
    element_ids = form.form_elements.filter(commune_level=True).values_list("element_id", flat=True)
    DataValue.objects.bulk_create([DataValue(submission=report, element_id=pk) for pk in element_ids])
    AuditEntry.objects.create(
        submission=report, kind=AuditEntry.Kind.STATUS, new_value=Status.DRAFT, user=user, version=report.version
    )
    return report, True


@dataclass(frozen=True)
class Refusal:
    submission_id: int
    unit: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.submission_id, "unit": self.unit, "reason": self.reason}


class BatchRefused(ReportingError):
    """Some reports of a batch cannot be approved: nothing was approved, each refusal says why."""

    code = "batch_refused"
    http_status = 400

    def __init__(self, message: str, *, refusals: list[Refusal]) -> None:
        super().__init__(message)
        self.refusals = refusals


def _refusal(user: Any, report: Submission | None) -> str:
    if report is None or not permissions.may_read(user, report):
        return _("Không tìm thấy báo cáo.")
    if report.commune_id is None:
        return _("Đây là báo cáo của tỉnh, không phải báo cáo cấp xã.")
    if not permissions.may_approve(user, report):
        return _("%(commune)s không thuộc tỉnh của bạn: chỉ lãnh đạo phê duyệt của %(province)s được phê duyệt.") % {
            "commune": report.commune,
            "province": report.province.name,
        }
    if report.status != Status.SUBMITTED:
        return _("Chỉ phê duyệt được báo cáo đã gửi; báo cáo này đang ở trạng thái “%(status)s”.") % {
            "status": report.get_status_display()
        }
    return ""


def _checked(user: Any, ids: list[int], refusal: Any) -> None:
    """Lock the reports and refuse the whole batch when any of them is refused."""
    reports = {
        s.pk: s
        for s in Submission.objects.select_for_update(of=("self",))
        .select_related("province", "form", "commune")
        .filter(pk__in=ids)
    }
    refusals = []
    for pk in ids:
        report = reports.get(pk)
        reason = refusal(user, report)
        if reason:
            unit = str(report.commune or report.province) if report and permissions.may_read(user, report) else ""
            refusals.append(Refusal(submission_id=pk, unit=unit, reason=reason))
    if refusals:
        raise BatchRefused(
            _("Không xử lý báo cáo nào: %(count)d báo cáo không thực hiện được.") % {"count": len(refusals)},
            refusals=refusals,
        )


def _batch_ids(submission_ids: Sequence[int]) -> list[int]:
    ids = list(dict.fromkeys(int(pk) for pk in submission_ids))
    if not ids:
        raise InvalidInput(_("Chọn ít nhất một báo cáo."))
    if len(ids) > MAX_BATCH:
        raise InvalidInput(_("Mỗi lần xử lý tối đa %(max)d báo cáo.") % {"max": MAX_BATCH})
    return ids


def _return_refusal(user: Any, report: Submission | None) -> str:
    if report is None or not permissions.may_read(user, report):
        return _("Không tìm thấy báo cáo.")
    if report.commune_id is None:
        return _("Đây là báo cáo của tỉnh, không phải báo cáo cấp xã.")
    if not permissions.may_return(user, report):
        return _("Chỉ lãnh đạo phê duyệt của tỉnh hoặc chuyên viên Bộ được trả lại báo cáo.")
    if report.status not in (Status.SUBMITTED, Status.APPROVED):
        return _("Chỉ trả lại được báo cáo đã gửi hoặc đã phê duyệt; báo cáo này đang ở trạng thái “%(status)s”.") % {
            "status": report.get_status_display()
        }
    return ""


@transaction.atomic
def commune_batch_return(*, user: Any, submission_ids: Sequence[int], comment: str) -> list[Submission]:
    """Return many commune reports with one reason, all or nothing (as `commune_batch_approve`)."""
    ids = _batch_ids(submission_ids)
    comment = services._text(comment, what=_("Ý kiến"))
    if not comment:
        raise InvalidInput(_("Cần ghi ý kiến khi trả lại báo cáo."))
    _checked(user, ids, _return_refusal)
    return [services.submission_return(submission=pk, user=user, comment=comment) for pk in ids]


@transaction.atomic
def commune_batch_approve(*, user: Any, submission_ids: Sequence[int]) -> list[Submission]:
    """Approve many commune reports at once, all or nothing.

    Every report is checked first (readable, a commune report, of the approver's province,
    submitted); one refusal refuses the whole request with each refused report and its reason,
    and nothing is written. Then each is approved as singly, and each province's rolled-up cells
    are refreshed once per (form, period)."""
    ids = _batch_ids(submission_ids)
    _checked(user, ids, _refusal)
    approved = [services.submission_approve(submission=pk, user=user, rollup=False) for pk in ids]
    for province, form, period in {(s.province, s.form, s.period) for s in approved}:
        commune_rollup.refresh_province_cells(province, form, period)
    return approved


@transaction.atomic
def coverage_note_record(*, submission: Submission | int, user: Any, note: str) -> Submission:
    """The approver's reason for sending the province report while too few communes are approved."""
    submission = services._locked_submission(submission)
    if not permissions.may_read(user, submission):
        raise SubmissionNotFound(_("Không tìm thấy báo cáo."))
    if not permissions.may_record_coverage_note(user, submission):
        raise NotPermitted(_("Chỉ lãnh đạo phê duyệt của tỉnh được ghi lý do nộp khi chưa đủ xã."))
    note = services._text(note, what=_("Lý do"))
    if not note:
        raise InvalidInput(_("Cần ghi lý do nộp báo cáo khi chưa đủ xã được duyệt."))
    submission.coverage_note = note
    submission.coverage_note_by = user
    submission.coverage_note_at = clock.now()
    services._bump(submission, "coverage_note", "coverage_note_by", "coverage_note_at")
    AuditEntry.objects.create(
        submission=submission,
        kind=AuditEntry.Kind.COMMENT,
        reason=_("Lý do nộp khi chưa đủ xã: %(note)s") % {"note": note},
        user=user,
        version=submission.version,
    )
    return submission
