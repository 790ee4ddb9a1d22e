"""Reads of commune reporting (issue 17), each filtered by what the user may see.

- a commune officer's home: their commune's reports by period, with status and due date, and
  the periods due but not opened yet;
- a province approver's page of the province's commune reports for one form and period: every
  commune expected to report, its report's status, when it was sent, a summary of its figures.
A fixed number of queries whatever the number of communes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kpis.models import DataElement, ReportForm, ReportFormElement
from kpis.periods import Period, Periodicity
from provinces.models import Commune, Province
from tracker.accounts import permissions
from tracker.reporting import clock
from tracker.reporting.commune_rollup import Coverage, commune_coverage, expected_communes
from tracker.reporting.deadlines import deadlines_for
from tracker.reporting.errors import SubmissionNotFound
from tracker.reporting.levels import commune_reporting_applies, commune_reporting_start
from tracker.reporting.models import DataValue, Submission
from tracker.reporting.selectors import Status, _with_lock_state, submission_list, submission_status
from tracker.reporting.validation import element_label


def commune_forms() -> QuerySet[ReportForm]:
    """Forms with commune reporting."""
    return ReportForm.objects.exclude(commune_reporting_from="").order_by("code")


def commune_report_list(
    *,
    user: Any,
    province: str | None = None,
    commune: str | None = None,
    form: str | None = None,
    period: str | None = None,
    status: str | None = None,
) -> QuerySet[Submission]:
    """Commune reports the user may read, filtered by province code, commune code, form, period, status."""
    queryset = submission_list(
        user=user, province=province, form=form, period=period, status=status, communes=True
    ).select_related("commune")
    if commune:
        queryset = queryset.filter(commune__code=commune)
    return queryset.order_by("-period_start", "form__code", "commune__code")


@dataclass
class DueCommunePeriod:
    form: ReportForm
    period: Period
    due: datetime.date


def commune_home(*, user: Any) -> tuple[Commune, list[Status], list[DueCommunePeriod]]:
    """The commune officer's reports (newest first) and the ended periods not opened yet."""
    commune = user.commune
    if commune is None:
        raise SubmissionNotFound(_("Không tìm thấy xã."))
    today = clock.today()
    reports = list(
        _with_lock_state(
            Submission.objects.filter(commune=commune).select_related("province", "form", "commune")
        ).order_by("-period_start", "form__code")
    )
    statuses = [submission_status(s, today=today) for s in reports]
    opened = {(s.form_id, s.period) for s in reports}
    due = []
    for form in commune_forms():
        last_ended = Period.containing(today, Periodicity(form.periodicity)).previous()
        start = commune_reporting_start(form)
        if (
            start is not None
            and last_ended.start >= start.start
            and last_ended.end >= commune.valid_from
            and (form.pk, str(last_ended)) not in opened
        ):
            due.append(
                DueCommunePeriod(
                    form=form, period=last_ended, due=deadlines_for(form=form, period_end=last_ended.end).due
                )
            )
    return commune, statuses, due


@dataclass
class CommuneLine:
    commune: Commune
    report: Submission | None
    summary: list[tuple[DataElement, Decimal | None]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.report.status if self.report else ""

    @property
    def may_batch(self) -> bool:
        return self.report is not None and self.report.status == Submission.Status.SUBMITTED


@dataclass
class CommunePage:
    province: Province
    form: ReportForm
    period: Period
    coverage: Coverage
    lines: list[CommuneLine]
    elements: list[str]
    province_report: Submission | None


def province_commune_reports(*, user: Any, province: Province, form: ReportForm, period: Period) -> CommunePage:
    """Every commune expected to report (form, period) in the province, with its report if any.

    Readable by the province's staff and the ministry; a commune officer gets SubmissionNotFound."""
    if not permissions.may_read_province(user, province):
        raise SubmissionNotFound(_("Không tìm thấy tỉnh."))
    communes = list(expected_communes(province, period).order_by("code"))
    reports = {
        s.commune_id: s
        for s in Submission.objects.filter(commune__in=communes, form=form, period=str(period)).select_related(
            "commune", "province", "form"
        )
    }
    rows = []
    if commune_reporting_applies(form, period):
        rows = list(
            ReportFormElement.objects.filter(form=form, commune_level=True)
            .select_related("element")
            .order_by("order", "id")
        )
    values: dict[tuple[int, int], Decimal | None] = {
        (submission_id, element_id): value
        for submission_id, element_id, value in DataValue.objects.filter(
            submission__in=list(reports.values())
        ).values_list("submission_id", "element_id", "value")
    }
    lines = []
    for commune in communes:
        report = reports.get(commune.pk)
        summary = [(row.element, values.get((report.pk, row.element_id)) if report else None) for row in rows]
        lines.append(CommuneLine(commune=commune, report=report, summary=summary))
    province_report = Submission.objects.filter(
        province=province, commune__isnull=True, form=form, period=str(period)
    ).first()
    return CommunePage(
        province=province,
        form=form,
        period=period,
        coverage=commune_coverage(province, form, period),
        lines=lines,
        elements=[element_label(row.element) for row in rows],
        province_report=province_report,
    )
