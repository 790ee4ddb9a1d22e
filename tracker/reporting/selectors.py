"""Reads of the reporting workflow, each filtered by what the user may see.

List selectors run a fixed number of queries whatever the number of provinces and periods
(pinned in tests/tracker/reporting/test_query_counts.py).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from kpis.models import DataElement, Indicator, ReportForm, ReportFormElement, Target
from kpis.periods import Period, Periodicity
from provinces.models import Province
from tracker.accounts import permissions
from tracker.reporting import clock
from tracker.reporting.deadlines import days_late, deadlines_for
from tracker.reporting.errors import SubmissionNotFound
from tracker.reporting.levels import commune_reporting_applies, same_unit
from tracker.reporting.models import AuditEntry, DataValue, Evidence, LockException, Submission
from tracker.reporting.validation import element_label


def _with_lock_state(queryset: QuerySet[Submission]) -> QuerySet[Submission]:
    active = LockException.objects.filter(submission=OuterRef("pk"), expires_at__gt=clock.now())
    return queryset.annotate(has_lock_exception=Exists(active))


def submission_list(
    *,
    user: Any,
    province: str | None = None,
    former: bool | None = None,
    form: str | None = None,
    period: str | None = None,
    status: str | None = None,
    communes: bool | None = False,
) -> QuerySet[Submission]:
    """Submissions the user may read, filtered by province code, form code, period and status.

    Province reports only by default (inboxes, homes, lists); `communes=True` the communes'
    reports only, None both."""
    queryset = Submission.objects.filter(permissions.submission_visibility(user)).select_related("province", "form")
    if communes is not None:
        queryset = queryset.filter(commune__isnull=not communes)
    if province:
        queryset = queryset.filter(province__code=province)
    if former is not None:
        queryset = queryset.filter(province__valid_to__isnull=not former)
    if form:
        queryset = queryset.filter(form__code=form)
    if period:
        queryset = queryset.filter(period=period)
    if status:
        queryset = queryset.filter(status=status)
    return _with_lock_state(queryset).order_by("-period_start", "province__valid_to", "province__code", "form__code")


def submission_get(*, user: Any, pk: int) -> Submission:
    submission = (
        _with_lock_state(Submission.objects.select_related("province", "form", "commune")).filter(pk=pk).first()
    )
    if submission is None or not permissions.may_read(user, submission):
        raise SubmissionNotFound(_("Không tìm thấy báo cáo."))
    return submission


@dataclass
class Status:
    """Deadline state of a submission for lists and pages."""

    submission: Submission
    due: datetime.date
    lock: datetime.date
    days_late: int
    locked: bool

    @property
    def is_late(self) -> bool:
        return self.days_late > 0


def submission_status(submission: Submission, *, today: datetime.date | None = None) -> Status:
    today = today or clock.today()
    deadlines = deadlines_for(form=submission.form, period_end=submission.period_end)
    has_exception = getattr(submission, "has_lock_exception", None)
    if has_exception is None:
        has_exception = submission.lock_exceptions.filter(expires_at__gt=clock.now()).exists()
    return Status(
        submission=submission,
        due=deadlines.due,
        lock=deadlines.lock,
        days_late=days_late(due=deadlines.due, first_submitted_at=submission.first_submitted_at, today=today),
        locked=deadlines.is_locked_on(today) and not has_exception,
    )


@dataclass
class ValueRow:
    form_element: ReportFormElement
    value: DataValue | None
    previous: Decimal | None = None
    targets: list[Target] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # A province report's commune-level cell: the roll-up of its communes, read-only.
    rolled_up: bool = False

    @property
    def element(self) -> DataElement:
        return self.form_element.element

    @property
    def code(self) -> str:
        return self.form_element.element.code

    @property
    def label(self) -> str:
        return element_label(self.form_element.element)


def submission_values(submission: Submission) -> list[ValueRow]:
    """The form's elements in order with their stored values (two queries).

    A commune report has the form's commune-level elements only; a province report in a period
    of commune reporting shows those as rolled-up (read-only) rows."""
    values = {dv.element_id: dv for dv in DataValue.objects.filter(submission=submission)}
    rows = (
        ReportFormElement.objects.filter(form_id=submission.form_id).select_related("element").order_by("order", "id")
    )
    if submission.commune_id is not None:
        return [ValueRow(form_element=row, value=values.get(row.element_id)) for row in rows if row.commune_level]
    rolled = commune_reporting_applies(submission.form, submission.period)
    return [
        ValueRow(form_element=row, value=values.get(row.element_id), rolled_up=rolled and row.commune_level)
        for row in rows
    ]


@dataclass
class Section:
    title: str
    rows: list[ValueRow]


def submission_sheet(submission: Submission) -> list[Section]:
    """The entry form: rows grouped by section, each with last period's figure and the targets
    of the indicators computed from it (national, or this province's own). Five queries."""
    rows = submission_values(submission)
    previous_period = str(Period.parse(submission.period).previous())
    previous = {
        element_id: approved if approved is not None else value
        for element_id, approved, value in DataValue.objects.filter(
            **same_unit(submission),
            submission__form_id=submission.form_id,
            submission__period=previous_period,
        ).values_list("element_id", "approved_value", "value")
    }
    element_ids = [row.form_element.element_id for row in rows]
    links = Indicator.data_elements.through.objects.filter(dataelement_id__in=element_ids).values_list(
        "dataelement_id", "indicator_id"
    )
    indicators_of: dict[int, list[int]] = defaultdict(list)
    for element_id, indicator_id in links:
        indicators_of[element_id].append(indicator_id)
    province_ids = [submission.province_id]
    if submission.province.successor_id:
        province_ids.append(submission.province.successor_id)
    targets_of: dict[int, list[Target]] = defaultdict(list)
    indicator_ids = {i for ids in indicators_of.values() for i in ids}
    for target in (
        Target.objects.filter(indicator_id__in=indicator_ids)
        .filter(Q(province__isnull=True) | Q(province_id__in=province_ids))
        .select_related("indicator")
        .order_by("deadline", "id")
    ):
        targets_of[target.indicator_id].append(target)
    sections: dict[str, Section] = {}
    for row in rows:
        row.previous = previous.get(row.form_element.element_id)
        for indicator_id in indicators_of.get(row.form_element.element_id, []):
            row.targets.extend(targets_of.get(indicator_id, []))
        title = row.form_element.section or _("Số liệu")
        sections.setdefault(title, Section(title=title, rows=[])).rows.append(row)
    return list(sections.values())


def submission_history(submission: Submission) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(submission=submission).select_related("user", "element").order_by("at", "id")


def submission_evidence(submission: Submission) -> QuerySet[Evidence]:
    return Evidence.objects.filter(submission=submission).select_related("element", "uploaded_by")


@dataclass
class DuePeriod:
    """A period a province should report and has not opened yet."""

    form: ReportForm
    period: Period
    due: datetime.date


def province_overview(*, user: Any, province: Province) -> tuple[list[Status], list[DuePeriod]]:
    """The province's submissions with deadlines and lateness, and the ended periods not opened yet.

    Three queries whatever the number of periods and forms.
    """
    if not permissions.may_read_province(user, province):
        raise SubmissionNotFound(_("Không tìm thấy tỉnh."))
    today = clock.today()
    submissions = list(
        _with_lock_state(
            Submission.objects.filter(province=province, commune__isnull=True).select_related("province", "form")
        ).order_by("-period_start", "form__code")
    )
    statuses = [submission_status(s, today=today) for s in submissions]
    due: list[DuePeriod] = []
    if province.is_current:
        opened = {(s.form_id, s.period) for s in submissions}
        for form in ReportForm.objects.order_by("code"):
            last_ended = Period.containing(today, Periodicity(form.periodicity)).previous()
            if last_ended.start >= province.valid_from and (form.pk, str(last_ended)) not in opened:
                due.append(
                    DuePeriod(form=form, period=last_ended, due=deadlines_for(form=form, period_end=last_ended.end).due)
                )
    return statuses, due


def inbox(
    *,
    user: Any,
    status: str | None = Submission.Status.SUBMITTED,
    period: str | None = None,
    province: str | None = None,
    form: str | None = None,
) -> QuerySet[Submission]:
    """The ministry's list across provinces (reviewers and admins); an approver's own province."""
    if not permissions.may_use_inbox(user):
        return Submission.objects.none()
    return submission_list(user=user, province=province, form=form, period=period, status=status or None)
