"""Writes of the exports app: data-entry templates in and out, and report jobs.

Every figure an upload brings in is saved through tracker.reporting's services, so a template
upload, the web form and the API apply the same permissions, validation, versions and history.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from kpis.models import ReportForm
from kpis.periods import InvalidPeriod, Period
from provinces.models import Province
from tracker.accounts import permissions
from tracker.exports import entry_template
from tracker.exports.cells import CellError, FileInvalid
from tracker.exports.models import ExportJob
from tracker.exports.periods import period_label
from tracker.exports.template_reader import ParsedTemplate, read_template
from tracker.exports.uploads import UploadRejected, check_spreadsheet
from tracker.refusals import failure_reference
from tracker.reporting import services as reporting
from tracker.reporting.errors import ReportingError, SubmissionNotFound, ValuesInvalid
from tracker.reporting.levels import commune_element_codes
from tracker.reporting.models import Submission

logger = logging.getLogger(__name__)


class ExportRefused(Exception):
    """A request the exports app refuses as a whole; `status` is the HTTP status the API answers."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# ---------------------------------------------------------------------------------------------
# data-entry templates


def parse_period(text: str) -> Period:
    try:
        return Period.parse(text)
    except InvalidPeriod as exc:
        raise ExportRefused(str(exc)) from exc


def report_period(text: str) -> Period:
    """The period of a report: a valid key, and one that has begun (a later one has no figures to report)."""
    from tracker.reporting import clock

    period = parse_period(text)
    if period.start > clock.today():
        raise ExportRefused(
            _("Kỳ %(period)s chưa bắt đầu nên chưa có số liệu để báo cáo.") % {"period": period_label(period)}
        )
    return period


def entry_template_export(
    *, user: Any, province: Province, form: ReportForm, period: Period
) -> entry_template.TemplateFile:
    """The template for (province, form, period), prefilled with what is stored and last period's figures.

    A read, but it lives here beside its import so the two stay one feature.
    """
    if not permissions.may_read_province(user, province):
        raise ExportRefused(_("Không tìm thấy tỉnh."), status=404)
    if period.periodicity != form.periodicity:
        raise ExportRefused(
            _("Kỳ %(period)s không đúng tần suất của biểu mẫu %(form)s.") % {"period": period, "form": form.code}
        )
    return entry_template.build_template(province=province, form=form, period=period)


@dataclass
class TemplateImportResult:
    submission: Submission
    created: bool
    changed: list[str] = field(default_factory=list)
    warnings: list[CellError] = field(default_factory=list)


def _resolve(parsed: ParsedTemplate) -> tuple[Province, ReportForm, Period]:
    province = Province.objects.filter(code=parsed.province_code, valid_from=parsed.province_valid_from).first()
    form = ReportForm.objects.filter(code=parsed.form_code).first()
    try:
        period = Period.parse(parsed.period)
    except InvalidPeriod:
        period = None
    if province is None or form is None or period is None:
        raise FileInvalid([CellError(_("Mẫu nhập liệu ghi tỉnh, biểu mẫu hoặc kỳ không có trong hệ thống."))])
    return province, form, period


def _row_errors(parsed: ParsedTemplate, errors: dict[str, list[str]], form_errors: list[str]) -> list[CellError]:
    out = []
    for code, messages in errors.items():
        row = parsed.row_of(code)
        for message in messages:
            if row is None:
                out.append(CellError(message, sheet=parsed.sheet))
            else:
                column = get_column_letter(entry_template.VALUE_COLUMN)
                out.append(CellError(message, sheet=parsed.sheet, row=row, column=column))
    out.extend(CellError(message) for message in form_errors)
    return sorted(out, key=lambda e: (e.row or 0, e.column))


def entry_template_import(
    *, user: Any, name: str, data: bytes, submission: Submission | None = None
) -> TemplateImportResult:
    """Save a filled template as the draft of its (province, form, period), or refuse it whole.

    `submission`, when the upload was made from a submission's page, must be the one the file is
    for. The version written into the file when it was downloaded is the version the save
    expects: if someone changed the report since, the upload is refused (no silent overwrite).
    Raises FileInvalid listing every problem by sheet, row and column; nothing is saved then.
    """
    try:
        upload = check_spreadsheet(name=name, data=data)
    except UploadRejected as exc:
        raise FileInvalid([CellError(exc.message)], status=exc.status) from exc
    parsed = read_template(upload)
    province, form, period = _resolve(parsed)
    if submission is not None and (
        submission.province_id != province.pk or submission.form_id != form.pk or submission.period != str(period)
    ):
        raise FileInvalid(
            [
                CellError(
                    _("Tệp là mẫu của %(province)s, biểu %(form)s, kỳ %(period)s, không phải của báo cáo này.")
                    % {"province": province.name, "form": form.code, "period": period}
                )
            ]
        )
    inputs = [reporting.ValueInput(element=row.code, value=row.value, comment=row.comment) for row in parsed.rows]
    try:
        with transaction.atomic():
            target, created = reporting.submission_create(user=user, province=province, form=form, period=period)
            inputs = _without_rolled_up(target, inputs)
            result = reporting.submission_values_update(
                submission=target,
                user=user,
                version=parsed.version or 1,
                values=inputs,
                reason=_("Nhập từ tệp Excel “%(name)s”.") % {"name": upload.name},
            )
    except ValuesInvalid as exc:
        raise FileInvalid(_row_errors(parsed, exc.errors, exc.form_errors)) from exc
    except SubmissionNotFound as exc:
        raise FileInvalid(
            [CellError(_("Bạn không được nhập số liệu cho %(province)s.") % {"province": province.name})]
        ) from exc
    except ReportingError as exc:
        raise FileInvalid([CellError(exc.message)]) from exc
    return TemplateImportResult(
        submission=result.submission,
        created=created,
        changed=result.changed,
        warnings=_row_errors(parsed, result.warnings, []),
    )


def _without_rolled_up(target: Submission, inputs: list[Any]) -> list[Any]:
    """A province template lists its commune-level rows (the communes' roll-up, read-only): left
    empty or unchanged they are not saved; a different figure is kept, for the save to refuse."""
    rolled = commune_element_codes(target.form, target.period)
    if not rolled:
        return inputs
    stored = dict(target.values.filter(element__code__in=rolled).values_list("element__code", "value"))
    kept = []
    for item in inputs:
        if item.element in rolled and _same_figure(item.value, stored.get(item.element)):
            continue
        kept.append(item)
    return kept


def _same_figure(raw: Any, stored: Decimal | None) -> bool:
    if raw is None or str(raw).strip() == "":
        return True
    try:
        return stored is not None and Decimal(str(raw).strip()) == stored
    except InvalidOperation:
        return False


# ---------------------------------------------------------------------------------------------
# report jobs


def file_ttl() -> datetime.timedelta:
    return datetime.timedelta(hours=float(getattr(settings, "EXPORTS_FILE_TTL_HOURS", 24)))


@transaction.atomic
def export_job_create(
    *,
    user: Any,
    kind: str,
    file_format: str,
    period: Period,
    province: Province | None = None,
    language: str | None = None,
) -> ExportJob:
    """Queue a report; the worker builds it (tasks.build_export). The caller polls the job.

    `language` is the requester's (the one the request runs in when not given): the worker has no
    request, so the job carries it and the file's sheet names and texts come out in it.
    """

    language = job_language(language or translation.get_language())

    if kind == ExportJob.Kind.NATIONAL and not permissions.is_ministry(user):
        raise ExportRefused(_("Chỉ chuyên viên Bộ và quản trị hệ thống được lập báo cáo toàn quốc."), status=403)
    if kind == ExportJob.Kind.PROVINCE and (province is None or not permissions.may_read_province(user, province)):
        raise ExportRefused(_("Không tìm thấy tỉnh."), status=404)
    if file_format not in ExportJob.FORMATS[kind]:
        raise ExportRefused(
            _("Định dạng “%(format)s” không có cho báo cáo này (chọn: %(allowed)s).")
            % {"format": file_format, "allowed": ", ".join(ExportJob.FORMATS[kind])}
        )
    # Asking again while the same report is still being built returns that job, not a second one.
    pending = ExportJob.objects.filter(
        owner=user,
        kind=kind,
        file_format=file_format,
        period=str(period),
        province=province,
        language=language,
        status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING],
    ).first()
    if pending is not None:
        return pending
    job = ExportJob.objects.create(
        kind=kind, file_format=file_format, period=str(period), province=province, owner=user, language=language
    )
    transaction.on_commit(lambda: _publish_build(job.pk))
    return job


def _publish_build(job_id: Any) -> None:
    from tracker.exports import tasks

    try:
        tasks.build_export.delay(str(job_id))
    except Exception:  # a dead or hung broker: the job is saved and queued; tracker.ops republishes it
        logger.warning("could not enqueue export job %s; the sweep will", job_id, exc_info=True)


def job_language(language: str | None) -> str:
    """One of settings.LANGUAGES ("en-us" counts as "en"); anything else is the default, Vietnamese."""
    available = {code for code, _name in settings.LANGUAGES}
    base = (language or "").lower().split("-")[0]
    return base if base in available else settings.LANGUAGE_CODE


def export_job_progress(*, job_id: Any, progress: int) -> None:
    # Its own short write, outside any long transaction, so that pollers see it at once.
    ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(progress=max(0, min(progress, 99)))


def export_job_run(*, job_id: Any) -> ExportJob | None:
    """Build the job's file. Running it again rebuilds the same file in place; a finished job is left alone."""
    from tracker.exports import reports

    job = ExportJob.objects.select_related("province", "owner").filter(pk=job_id).first()
    if job is None or job.status in (ExportJob.Status.DONE, ExportJob.Status.EXPIRED):
        return job
    pk = job.pk
    ExportJob.objects.filter(pk=pk).update(status=ExportJob.Status.RUNNING, started_at=timezone.now(), progress=1)
    job.status = ExportJob.Status.RUNNING
    try:
        # The worker has no request: the report is written in the language of whoever asked for it.
        with translation.override(job_language(job.language)):
            rendered = reports.render(
                kind=job.kind,
                file_format=job.file_format,
                period=Period.parse(job.period),
                province=job.province,
                on_progress=lambda p: export_job_progress(job_id=pk, progress=p),
            )
    except Exception:  # the job must say it failed rather than spin forever
        # The exception's text stays in the log; the job shows a sentence and the log's reference.
        reference = failure_reference()
        logger.exception("export job %s failed ref=%s", job.pk, reference)
        with translation.override(job_language(job.language)):
            message = _("Đã có lỗi khi lập tệp (mã tham chiếu %(ref)s); lỗi đã được ghi lại.") % {"ref": reference}
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=message[:500], finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job.pk)
        if job.file:
            job.file.delete(save=False)
        job.file.save(rendered.filename, ContentFile(rendered.content), save=False)
        job.filename = rendered.filename
        job.content_type = rendered.content_type
        job.size = len(rendered.content)
        job.status = ExportJob.Status.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.expires_at = job.finished_at + file_ttl()
        job.save()
    return job


def export_jobs_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of expired jobs and mark them expired. Returns how many were purged."""
    now = now or timezone.now()
    count = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now):
        if job.file:
            job.file.delete(save=False)
        job.status = ExportJob.Status.EXPIRED
        job.save(update_fields=["file", "status"])
        count += 1
    return count
