"""Writes of the reporting workflow. Every function checks permissions and validity itself.

Status: draft -> submitted -> approved; submitted or approved -> returned (comment required);
a save on a returned submission makes it a draft again; an approved one is reopened only as a
correction (reason required) whose figures become official when it is approved again: until then
`DataValue.approved_value` keeps the last approved figures.

Every change writes AuditEntry rows and bumps `Submission.version` (optimistic locking).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kpis.models import ReportForm
from kpis.periods import InvalidPeriod, Period
from provinces.models import Province
from provinces.selectors import units_reporting_on
from tracker.accounts import permissions
from tracker.notifications.services import submission_event
from tracker.progress.services import figures_changed, reporting_changed
from tracker.reporting import clock, commune_rollup, quality_warning
from tracker.reporting.deadlines import deadlines_for
from tracker.reporting.errors import (
    CurrentValue,
    FlagsNotAcknowledged,
    InvalidInput,
    NotPermitted,
    SubmissionLocked,
    SubmissionNotFound,
    TransitionNotAllowed,
    ValuesInvalid,
    VersionConflict,
)
from tracker.reporting.formatting import canonical
from tracker.reporting.levels import edit_refusal
from tracker.reporting.models import AuditEntry, DataValue, LockException, Submission
from tracker.reporting.validation import context_for, validate_for_submit, validate_input

Status = Submission.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)
MAX_COMMENT = 5000
AUDIT_TEXT = 200  # AuditEntry.old_value/new_value length


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True)
class ValueInput:
    """One element in a save: `value` left UNSET keeps the figure and changes only the comment."""

    element: str
    value: object = UNSET
    comment: str | None = None


@dataclass
class SaveResult:
    submission: Submission
    changed: list[str] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# helpers


def _locked_submission(submission: Submission | int) -> Submission:
    """Re-read the submission under a row lock: concurrent writers queue here on PostgreSQL."""
    pk = submission if isinstance(submission, int) else submission.pk
    try:
        return Submission.objects.select_for_update(of=("self",)).select_related("province", "form").get(pk=pk)
    except Submission.DoesNotExist as exc:
        raise SubmissionNotFound(_("Không tìm thấy báo cáo.")) from exc


def _require(allowed: bool, user: Any, submission: Submission, message: str) -> None:
    """404 when the user may not even read the submission, 403 when only the action is refused."""
    if not permissions.may_read(user, submission):
        raise SubmissionNotFound(_("Không tìm thấy báo cáo."))
    if not allowed:
        raise NotPermitted(message)


def _check_version(submission: Submission, version: int | None) -> None:
    if version is not None and version != submission.version:
        raise VersionConflict(
            _(
                "Báo cáo đã được người khác thay đổi (phiên bản %(current)s, bạn đang sửa phiên bản %(yours)s)."
                " Số liệu hiện tại được hiển thị; hãy xem lại và lưu lại."
            )
            % {"current": submission.version, "yours": version},
            version=submission.version,
            status=submission.status,
            values=current_values(submission),
        )


def current_values(submission: Submission) -> list[CurrentValue]:
    return [
        CurrentValue(element=code, value=value, comment=comment)
        for code, value, comment in submission.values.order_by("element__code").values_list(
            "element__code", "value", "comment"
        )
    ]


def has_active_lock_exception(submission: Submission) -> bool:
    return submission.lock_exceptions.filter(expires_at__gt=clock.now()).exists()


def is_locked(submission: Submission) -> bool:
    """Past the lock date and without an active lock exception."""
    deadlines = deadlines_for(form=submission.form, period_end=submission.period_end)
    return deadlines.is_locked_on(clock.today()) and not has_active_lock_exception(submission)


def _check_lock(submission: Submission, user: Any) -> None:
    if permissions.bypasses_lock(user):
        return
    if is_locked(submission):
        lock = deadlines_for(form=submission.form, period_end=submission.period_end).lock
        raise SubmissionLocked(
            _("Kỳ báo cáo đã khóa từ ngày %(date)s: cần chuyên viên Bộ mở khóa ngoại lệ để thay đổi.")
            % {"date": lock.strftime("%d/%m/%Y")}
        )


def _status_audit(submission: Submission, user: Any, old: str, new: str, reason: str = "") -> AuditEntry:
    return AuditEntry(
        submission=submission,
        kind=AuditEntry.Kind.STATUS,
        old_value=old,
        new_value=new,
        reason=reason,
        user=user,
        version=submission.version,
    )


def _bump(submission: Submission, *fields: str) -> None:
    submission.version += 1
    submission.updated_at = clock.now()
    submission.save(update_fields=["version", "updated_at", *fields])


def _text(value: str | None, *, what: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_COMMENT:
        raise InvalidInput(_("%(what)s dài quá %(max)d ký tự.") % {"what": what, "max": MAX_COMMENT})
    return text


# ---------------------------------------------------------------------------------------------
# creating submissions


def _check_period(*, province: Province, form: ReportForm, period: Period) -> None:
    if period.periodicity != form.periodicity:
        raise InvalidInput(
            _("Kỳ %(period)s không đúng tần suất của biểu mẫu %(form)s (%(periodicity)s).")
            % {"period": period, "form": form.code, "periodicity": form.periodicity}
        )
    # A unit reports the periods that end during its life: 2025 (the year) is reported by the 34 new units.
    if period.end < province.valid_from or (province.valid_to is not None and period.end > province.valid_to):
        raise InvalidInput(
            _("%(province)s không phải là đơn vị báo cáo của kỳ %(period)s.") % {"province": province, "period": period}
        )
    if period.start > clock.today():
        raise InvalidInput(_("Kỳ %(period)s chưa bắt đầu.") % {"period": period})


def _parse_period(period: Period | str) -> Period:
    if isinstance(period, Period):
        return period
    try:
        return Period.parse(period)
    except InvalidPeriod as exc:
        raise InvalidInput(str(exc)) from exc


def _new_submission(*, province: Province, form: ReportForm, period: Period, user: Any) -> Submission:
    return Submission(
        province=province,
        form=form,
        period=str(period),
        period_start=period.start,
        period_end=period.end,
        created_by=user if user is not None and user.is_authenticated else None,
    )


def _fill_new(submissions: Sequence[Submission], form: ReportForm, user: Any) -> None:
    element_ids = list(form.form_elements.values_list("element_id", flat=True))
    DataValue.objects.bulk_create(
        [DataValue(submission=s, element_id=element_id) for s in submissions for element_id in element_ids]
    )
    actor = user if user is not None and user.is_authenticated else None
    AuditEntry.objects.bulk_create([_status_audit(s, actor, "", Status.DRAFT) for s in submissions])


@transaction.atomic
def submission_create(
    *, user: Any, province: Province, form: ReportForm, period: Period | str
) -> tuple[Submission, bool]:
    """The submission of (province, form, period), created with an empty value per element if new.

    Returns (submission, created). Asking again returns the same submission: idempotent.
    """
    if not permissions.may_create(user, province):
        raise NotPermitted(_("Bạn không được tạo báo cáo cho %(province)s.") % {"province": province})
    period = _parse_period(period)
    _check_period(province=province, form=form, period=period)
    existing = Submission.objects.filter(province=province, commune__isnull=True, form=form, period=str(period)).first()
    if existing is not None:
        return existing, False
    submission = _new_submission(province=province, form=form, period=period, user=user)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        # Another request created it between our read and our insert: theirs wins.
        existing = Submission.objects.filter(
            province=province, commune__isnull=True, form=form, period=str(period)
        ).first()
        if existing is None:
            raise
        return existing, False
    _fill_new([submission], form, user)
    return submission, True


@transaction.atomic
def period_open(*, user: Any, form: ReportForm, period: Period | str) -> list[Submission]:
    """Open a period: create the submission of every unit reporting on it. Returns the new ones.

    Running it again creates nothing more: units that already have theirs are skipped.
    """
    if not permissions.may_open_period(user):
        raise NotPermitted(_("Chỉ quản trị hệ thống được mở kỳ báo cáo cho mọi tỉnh."))
    period = _parse_period(period)
    if period.periodicity != form.periodicity:
        raise InvalidInput(
            _("Kỳ %(period)s không đúng tần suất của biểu mẫu %(form)s (%(periodicity)s).")
            % {"period": period, "form": form.code, "periodicity": form.periodicity}
        )
    have = set(
        Submission.objects.filter(form=form, period=str(period), commune__isnull=True).values_list(
            "province_id", flat=True
        )
    )
    units = [p for p in units_reporting_on(period.end).order_by("code") if p.pk not in have]
    created = Submission.objects.bulk_create(
        [_new_submission(province=p, form=form, period=period, user=user) for p in units]
    )
    if created and created[0].pk is None:  # pragma: no cover - databases without RETURNING
        created = list(
            Submission.objects.filter(form=form, period=str(period), province__in=units, commune__isnull=True)
        )
    _fill_new(created, form, user)
    return created


# ---------------------------------------------------------------------------------------------
# values


def _normalise_inputs(
    values: Iterable[ValueInput] | Iterable[Mapping[str, Any]] | Mapping[str, object],
) -> list[ValueInput]:
    if isinstance(values, Mapping):
        return [ValueInput(element=str(code), value=raw) for code, raw in values.items()]
    out = []
    for item in values:
        if isinstance(item, ValueInput):
            out.append(item)
        else:
            out.append(
                ValueInput(
                    element=str(item.get("element", "")), value=item.get("value", UNSET), comment=item.get("comment")
                )
            )
    return out


def submission_values_update(
    *,
    submission: Submission | int,
    user: Any,
    version: int | None,
    values: Iterable[ValueInput] | Iterable[Mapping[str, Any]] | Mapping[str, object],
    reason: str = "",
    locale: str | None = None,
) -> SaveResult:
    """Save figures and comments of a draft (or returned) submission, all or nothing.

    `version` must be the version the caller read; a stale one raises VersionConflict carrying
    the stored values and writes nothing at all (a refused request leaves no trace to clean up;
    the caller still has its figures and is shown the stored ones to merge).
    Raises ValuesInvalid with per-element messages when any input is wrong; nothing is saved then.
    `locale` is the language of the page the figures were typed on (None: API, strict reading).
    The entry form saves cell by cell instead, keeping invalid text in the draft: see cells.py.
    """
    inputs = _normalise_inputs(values)
    pk = submission if isinstance(submission, int) else submission.pk
    return _values_update(pk=pk, user=user, version=version, inputs=inputs, reason=reason, locale=locale)


@transaction.atomic
def _values_update(
    *, pk: int, user: Any, version: int | None, inputs: list[ValueInput], reason: str, locale: str | None
) -> SaveResult:
    submission = _locked_submission(pk)
    _require(permissions.may_edit_values(user, submission), user, submission, edit_refusal(submission))
    _check_version(submission, version)
    if submission.status not in EDITABLE:
        raise TransitionNotAllowed(
            _("Báo cáo đang ở trạng thái “%(status)s”: không sửa được số liệu.")
            % {"status": submission.get_status_display()}
            + (
                " " + _("Muốn sửa số liệu đã phê duyệt, hãy mở điều chỉnh (kèm lý do).")
                if submission.status == Status.APPROVED
                else ""
            )
        )
    _check_lock(submission, user)
    reason = _text(reason, what=_("Lý do"))

    seen: set[str] = set()
    duplicates: dict[str, list[str]] = {}
    for item in inputs:
        if item.element in seen:
            duplicates.setdefault(item.element, []).append(
                _("Mã “%(code)s” xuất hiện nhiều lần trong một lần lưu.") % {"code": item.element}
            )
        seen.add(item.element)
    if duplicates:
        raise ValuesInvalid(_("Số liệu không hợp lệ."), errors=duplicates)

    ctx = context_for(submission)
    code_of = {row.element_id: row.element.code for row in ctx.rows}
    stored = {
        code_of[dv.element_id]: dv for dv in DataValue.objects.filter(submission=submission) if dv.element_id in code_of
    }
    raw = {item.element: item.value for item in inputs if item.value is not UNSET}
    comment_errors: dict[str, list[str]] = {}
    for item in inputs:
        if item.value is UNSET and item.element not in ctx.by_code:
            comment_errors.setdefault(item.element, []).append(
                _("Mã “%(code)s” không thuộc biểu mẫu %(form)s.") % {"code": item.element, "form": submission.form.code}
            )
        if item.comment is not None and len(item.comment) > MAX_COMMENT:
            comment_errors.setdefault(item.element, []).append(
                _("Ghi chú dài quá %(max)d ký tự.") % {"max": MAX_COMMENT}
            )
    current = {code: dv.value for code, dv in stored.items()}
    result = validate_input(ctx, raw=raw, current=current, locale=locale)
    for code, messages in comment_errors.items():
        for message in messages:
            result.add(code, message)
    if not result.ok:
        raise ValuesInvalid(_("Số liệu không hợp lệ."), errors=result.errors, form_errors=result.form_errors)

    now = clock.now()
    changed: list[DataValue] = []
    audit: list[AuditEntry] = []
    new_version = submission.version + 1
    for item in inputs:
        dv = stored.get(item.element)
        if dv is None:  # an element added to the form after the submission was opened
            dv = DataValue(submission=submission, element=ctx.by_code[item.element].element)
            dv.save()
            stored[item.element] = dv
        new_value = result.parsed[item.element] if item.value is not UNSET else dv.value
        new_comment = item.comment.strip() if item.comment is not None else dv.comment
        clears_draft_text = item.value is not UNSET and bool(dv.error)
        if new_value == dv.value and new_comment == dv.comment and not clears_draft_text:
            continue
        audit.append(
            AuditEntry(
                submission=submission,
                kind=AuditEntry.Kind.VALUE,
                element_id=dv.element_id,
                old_value=canonical(dv.value),
                new_value=canonical(new_value),
                reason=new_comment if new_comment != dv.comment else reason,
                user=user,
                version=new_version,
            )
        )
        dv.value = new_value
        dv.comment = new_comment
        if item.value is not UNSET:
            dv.raw, dv.error = "", ""
        changed.append(dv)

    if not changed:
        return SaveResult(submission=submission, changed=[], warnings=result.warnings)
    _write_values(changed, user_id=user.pk, now=now)
    if submission.status == Status.RETURNED:
        audit.insert(0, _status_audit(submission, user, Status.RETURNED, Status.DRAFT, reason))
        submission.status = Status.DRAFT
    _bump(submission, "status")
    for entry in audit:
        entry.version = submission.version
    AuditEntry.objects.bulk_create(audit)
    return SaveResult(
        submission=submission, changed=[code_of[dv.element_id] for dv in changed], warnings=result.warnings
    )


def _write_values(rows: list[DataValue], *, user_id: int | None, now: datetime.datetime) -> None:
    """Write the changed values in one UPDATE joined to a VALUES list.

    QuerySet.bulk_update() builds a CASE expression per row and field: about 5 ms of Python per
    row, so a full 60-element form took 300 ms. One joined UPDATE keeps it within budget.
    (UPDATE … FROM works on PostgreSQL and SQLite 3.33+; VALUES columns are column1, column2….)
    """
    table = connection.ops.quote_name(DataValue._meta.db_table)
    rows_sql = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    sql = (
        f"UPDATE {table} SET value = CAST(v.column2 AS NUMERIC), comment = v.column3,"  # noqa: S608 - no user text
        f" raw = v.column4, error = v.column5, version = {table}.version + 1,"
        f" updated_by_id = %s, updated_at = %s FROM (VALUES {rows_sql}) AS v WHERE {table}.id = v.column1"
    )
    params: list[Any] = [user_id, now]
    for dv in rows:
        params.extend([dv.pk, dv.value, dv.comment, dv.raw, dv.error])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# ---------------------------------------------------------------------------------------------
# transitions


@transaction.atomic
def submission_submit(*, submission: Submission | int, user: Any, version: int | None = None) -> Submission:
    """Send a draft to the approver, once it is complete and valid and every outlier is explained."""
    submission = _locked_submission(submission)
    _require(
        permissions.may_submit(user, submission),
        user,
        submission,
        edit_refusal(submission) if submission.commune_id else _("Chỉ cán bộ nhập liệu của tỉnh được gửi báo cáo."),
    )
    if submission.status not in EDITABLE:
        raise TransitionNotAllowed(
            _("Không gửi được báo cáo đang ở trạng thái “%(status)s”.") % {"status": submission.get_status_display()}
        )
    _check_version(submission, version)
    _check_lock(submission, user)
    rows = list(submission.values.values_list("element__code", "value", "comment", "error"))
    ctx = context_for(submission)
    result = validate_for_submit(
        ctx,
        values={code: value for code, value, _c, _e in rows},
        comments={code: comment for code, _v, comment, _e in rows},
        invalid={code: error for code, _v, _c, error in rows if error},
    )
    if not result.ok:
        raise ValuesInvalid(
            _("Chưa gửi được: còn số liệu thiếu hoặc không hợp lệ."),
            errors=result.errors,
            form_errors=result.form_errors,
        )
    commune_rollup.require_coverage(submission)
    old = submission.status
    now = clock.now()
    submission.status = Status.SUBMITTED
    submission.submitted_at = now
    if submission.first_submitted_at is None:
        submission.first_submitted_at = now
    _bump(submission, "status", "submitted_at", "first_submitted_at")
    _status_audit(submission, user, old, Status.SUBMITTED).save()
    _reporting_rates_changed(submission)
    submission_event(submission=submission, event="submitted", actor=user)
    return submission


def _reporting_rates_changed(submission: Submission) -> None:
    reporting_changed(
        province_id=submission.province_id, period_start=submission.period_start, period_end=submission.period_end
    )


@transaction.atomic
def submission_approve(
    *,
    submission: Submission | int,
    user: Any,
    version: int | None = None,
    rollup: bool = True,
    acknowledge_flags: bool = False,
) -> Submission:
    """Make the submitted figures official: approved_value := value in one UPDATE.

    A commune report's approval also refreshes its province's rolled-up cells, unless `rollup`
    is False (a batch approval refreshes each province once, after all its communes).
    A report that would produce data-quality flags (values that cannot be true) is approved only
    with `acknowledge_flags`, and the audit entry then records the warnings acknowledged; without
    it, FlagsNotAcknowledged lists them and nothing is written."""
    submission = _locked_submission(submission)
    _require(
        permissions.may_approve(user, submission),
        user,
        submission,
        _("Chỉ lãnh đạo phê duyệt của tỉnh được phê duyệt báo cáo."),
    )
    if submission.status != Status.SUBMITTED:
        raise TransitionNotAllowed(
            _("Chỉ phê duyệt được báo cáo đã gửi; báo cáo này đang ở trạng thái “%(status)s”.")
            % {"status": submission.get_status_display()}
        )
    _check_version(submission, version)
    warnings = quality_warning.approval_warnings(submission)
    if warnings and not acknowledge_flags:
        raise FlagsNotAcknowledged(
            _("Phê duyệt báo cáo này sẽ tạo số liệu cần kiểm tra. Xem các cảnh báo và xác nhận trước khi phê duyệt."),
            flags=warnings,
        )
    DataValue.objects.filter(submission=submission).update(approved_value=F("value"))
    correction = submission.has_official_values
    submission.status = Status.APPROVED
    submission.approved_at = clock.now()
    submission.has_official_values = True
    _bump(submission, "status", "approved_at", "has_official_values")
    notes = [_("Phê duyệt điều chỉnh.")] if correction else []
    if warnings:
        notes.append(quality_warning.acknowledgement_note(warnings))
    _status_audit(submission, user, Status.SUBMITTED, Status.APPROVED, " ".join(notes)).save()
    if submission.commune_id is not None:
        if rollup:
            commune_rollup.refresh_for(submission)
    else:
        figures_changed(
            province_id=submission.province_id, period_start=submission.period_start, period_end=submission.period_end
        )
    submission_event(submission=submission, event="approved", actor=user)
    return submission


@transaction.atomic
def submission_return(
    *, submission: Submission | int, user: Any, comment: str, version: int | None = None
) -> Submission:
    """Send a submitted or approved report back to the province with a comment saying what to fix.

    Returning an approved report does not touch its official figures: they stay until a
    corrected version is approved.
    """
    submission = _locked_submission(submission)
    _require(
        permissions.may_return(user, submission),
        user,
        submission,
        _("Chỉ lãnh đạo phê duyệt của tỉnh hoặc chuyên viên Bộ được trả lại báo cáo."),
    )
    if submission.status not in (Status.SUBMITTED, Status.APPROVED):
        raise TransitionNotAllowed(
            _("Chỉ trả lại được báo cáo đã gửi hoặc đã phê duyệt; báo cáo này đang ở trạng thái “%(status)s”.")
            % {"status": submission.get_status_display()}
        )
    comment = _text(comment, what=_("Ý kiến"))
    if not comment:
        raise InvalidInput(_("Cần ghi ý kiến khi trả lại báo cáo."))
    _check_version(submission, version)
    old = submission.status
    submission.status = Status.RETURNED
    _bump(submission, "status")
    _status_audit(submission, user, old, Status.RETURNED, comment).save()
    _reporting_rates_changed(submission)
    submission_event(submission=submission, event="returned", actor=user, comment=comment)
    return submission


@transaction.atomic
def submission_correction_open(
    *, submission: Submission | int, user: Any, reason: str, version: int | None = None
) -> Submission:
    """Reopen an approved report as a draft to correct it; its approved figures stay official meanwhile."""
    submission = _locked_submission(submission)
    _require(
        permissions.may_open_correction(user, submission),
        user,
        submission,
        _("Chỉ cán bộ nhập liệu hoặc lãnh đạo của tỉnh được mở điều chỉnh báo cáo."),
    )
    if submission.status != Status.APPROVED:
        raise TransitionNotAllowed(
            _("Chỉ mở điều chỉnh được báo cáo đã phê duyệt; báo cáo này đang ở trạng thái “%(status)s”.")
            % {"status": submission.get_status_display()}
        )
    reason = _text(reason, what=_("Lý do"))
    if not reason:
        raise InvalidInput(_("Cần ghi lý do điều chỉnh báo cáo đã phê duyệt."))
    _check_version(submission, version)
    _check_lock(submission, user)
    submission.status = Status.DRAFT
    _bump(submission, "status")
    _status_audit(submission, user, Status.APPROVED, Status.DRAFT, reason).save()
    return submission


@transaction.atomic
def submission_comment_add(*, submission: Submission | int, user: Any, text: str) -> AuditEntry:
    """A remark in the submission's history, by anyone who may read it."""
    submission = _locked_submission(submission)
    _require(permissions.may_comment(user, submission), user, submission, _("Bạn không được ghi ý kiến."))
    text = _text(text, what=_("Ý kiến"))
    if not text:
        raise InvalidInput(_("Ý kiến không được để trống."))
    return AuditEntry.objects.create(
        submission=submission, kind=AuditEntry.Kind.COMMENT, reason=text, user=user, version=submission.version
    )


@transaction.atomic
def lock_exception_grant(*, submission: Submission | int, user: Any, reason: str, days: int = 7) -> LockException:
    """Let the province change a locked submission for `days` days (1–30); recorded with its reason."""
    submission = _locked_submission(submission)
    _require(
        permissions.may_grant_lock_exception(user, submission),
        user,
        submission,
        _("Chỉ chuyên viên Bộ được mở khóa ngoại lệ."),
    )
    reason = _text(reason, what=_("Lý do"))
    if not reason:
        raise InvalidInput(_("Cần ghi lý do mở khóa ngoại lệ."))
    if not 1 <= days <= 30:
        raise InvalidInput(_("Thời hạn mở khóa phải từ 1 đến 30 ngày."))
    now = clock.now()
    exception = LockException.objects.create(
        submission=submission,
        reason=reason,
        granted_by=user,
        granted_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    AuditEntry.objects.create(
        submission=submission,
        kind=AuditEntry.Kind.LOCK_EXCEPTION,
        new_value=timezone.localtime(exception.expires_at).isoformat(timespec="minutes"),
        reason=reason,
        user=user,
        version=submission.version,
    )
    return exception
