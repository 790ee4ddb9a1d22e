"""A province's figures for the elements its communes report (issue 17).

The province report's cell of a commune-level element is the roll-up of its communes' APPROVED
figures by the element's space aggregation (sum → sum, mean → unweighted mean of the communes
that have a figure). It is stored as the cell's `value` and `approved_value` alike, so the
existing roll-up engine, which reads province reports only, needs nothing new; the engine is
told through `tracker.progress.services.figures_changed` for the province.

Completeness ("98/102 xã đã được duyệt") counts the communes valid in the period (on its last
day, the rule that decides which unit reports a period) against their approved reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg, Sum
from django.utils.translation import gettext as _

from kpis.models import DataElement, ReportForm
from kpis.periods import Period
from provinces.models import Commune, Province
from tracker.progress import services as progress
from tracker.reporting import clock
from tracker.reporting.errors import TransitionNotAllowed
from tracker.reporting.levels import commune_element_ids
from tracker.reporting.models import AuditEntry, DataValue, Submission

Status = Submission.Status


@dataclass(frozen=True)
class Coverage:
    """How many of a province's communes reported a form's period."""

    approved: int
    submitted: int  # sent and waiting for the approver (not yet approved)
    expected: int  # communes valid in the period
    threshold: int  # percent of `expected` that must be approved before the province submits

    @property
    def percent(self) -> Decimal:
        if not self.expected:
            return Decimal(100)
        return Decimal(self.approved * 100) / Decimal(self.expected)

    @property
    def below_threshold(self) -> bool:
        return self.expected > 0 and self.percent < self.threshold

    def words(self) -> str:
        return _("%(approved)s/%(expected)s xã đã được duyệt") % {
            "approved": self.approved,
            "expected": self.expected,
        }


def expected_communes(province: Province, period: Period) -> Any:
    """The communes that report the period: those valid on its last day."""
    return Commune.objects.filter(province=province).valid_on(period.end)


def commune_coverage(province: Province, form: ReportForm, period: Period | str) -> Coverage:
    """Approved / submitted / expected communes of the province for (form, period). Three queries."""
    period = Period.parse(period) if isinstance(period, str) else period
    communes = expected_communes(province, period)
    reports = Submission.objects.filter(commune__in=communes, form=form, period=str(period))
    return Coverage(
        approved=reports.filter(has_official_values=True).count(),
        submitted=reports.filter(status=Status.SUBMITTED, has_official_values=False).count(),
        expected=communes.count(),
        threshold=form.commune_coverage_threshold,
    )


def rolled_up_figures(province: Province, form: ReportForm, period: Period) -> dict[int, Decimal | None]:
    """{element id: the roll-up of the communes' approved figures} for the form's commune-level
    elements (None where no commune has an approved figure). One query per aggregation kind."""
    element_ids = commune_element_ids(form, period)
    if not element_ids:
        return {}
    kinds = dict(DataElement.objects.filter(pk__in=element_ids).values_list("pk", "space_aggregation"))
    official = DataValue.objects.filter(
        submission__province=province,
        submission__commune__isnull=False,
        submission__form=form,
        submission__period=str(period),
        submission__has_official_values=True,
        approved_value__isnull=False,
    )
    figures: dict[int, Decimal | None] = dict.fromkeys(element_ids)
    for kind, function in ((DataElement.SpaceAggregation.SUM, Sum), (DataElement.SpaceAggregation.MEAN, Avg)):
        ids = [pk for pk, k in kinds.items() if k == kind]
        if not ids:
            continue
        rows = official.filter(element_id__in=ids).values("element_id").annotate(figure=function("approved_value"))
        for row in rows.order_by():
            figures[row["element_id"]] = _quantized(row["figure"])
    return figures


def _quantized(figure: Any) -> Decimal | None:
    # DataValue keeps 6 decimals; an average (or SQLite's float sum) is brought back to that scale.
    if figure is None:
        return None
    return Decimal(str(figure)).quantize(Decimal("0.000001")).normalize()


def _province_report(province: Province, form: ReportForm, period: Period) -> Submission:
    """The province's report of the period, created as an empty draft when missing."""
    existing = Submission.objects.filter(province=province, commune__isnull=True, form=form, period=str(period)).first()
    if existing is not None:
        return existing
    report = Submission(
        province=province, form=form, period=str(period), period_start=period.start, period_end=period.end
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # created meanwhile by the province's officer: theirs is the one
        return Submission.objects.get(province=province, commune__isnull=True, form=form, period=str(period))
    element_ids = list(form.form_elements.values_list("element_id", flat=True))
    DataValue.objects.bulk_create([DataValue(submission=report, element_id=pk) for pk in element_ids])
    AuditEntry.objects.create(
        submission=report,
        kind=AuditEntry.Kind.STATUS,
        new_value=Status.DRAFT,
        reason=_("Tạo tự động khi tổng hợp số liệu cấp xã."),
        version=report.version,
    )
    return report


@transaction.atomic
def refresh_province_cells(province: Province, form: ReportForm, period: Period | str) -> Submission | None:
    """Recompute the province report's commune-level cells from its communes' approved figures.

    Only those cells are written (value = approved_value = the roll-up); every other cell of the
    province report stays as its officer left it. Returns the province report, or None when the
    form has no commune reporting in that period. Each changed cell is audited.
    """
    period = Period.parse(period) if isinstance(period, str) else period
    figures = rolled_up_figures(province, form, period)
    if not figures:
        return None
    report = _province_report(province, form, period)
    stored = {dv.element_id: dv for dv in DataValue.objects.filter(submission=report, element_id__in=figures)}
    now = clock.now()
    audit = []
    for element_id, figure in figures.items():
        dv = stored.get(element_id)
        if dv is None:  # an element made commune-level after the report was opened
            dv = DataValue.objects.create(submission=report, element_id=element_id)
        if dv.value == figure and dv.approved_value == figure and not dv.error:
            continue
        audit.append(
            AuditEntry(
                submission=report,
                kind=AuditEntry.Kind.VALUE,
                element_id=element_id,
                old_value=_text(dv.approved_value),
                new_value=_text(figure),
                reason=_("Tổng hợp số liệu đã được duyệt của các xã."),
                version=report.version,
            )
        )
        DataValue.objects.filter(pk=dv.pk).update(
            value=figure, approved_value=figure, raw="", error="", version=dv.version + 1, updated_at=now
        )
    if audit:
        AuditEntry.objects.bulk_create(audit)
    _figures_changed(province, period)
    return report


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _figures_changed(province: Province, period: Period) -> None:
    progress.figures_changed(province_id=province.pk, period_start=period.start, period_end=period.end)


def refresh_for(submission: Submission) -> None:
    """After a commune report's official figures changed: its province's cells and figures."""
    if submission.commune_id is None:
        return
    refresh_province_cells(submission.province, submission.form, Period.parse(submission.period))


def coverage_note_needed(submission: Submission) -> Coverage | None:
    """The coverage of a province report that cannot be submitted without its approver's reason
    (too few communes approved and no reason recorded yet), else None."""
    if submission.commune_id is not None or not commune_element_ids(submission.form, submission.period):
        return None
    coverage = commune_coverage(submission.province, submission.form, submission.period)
    if coverage.below_threshold and not submission.coverage_note.strip():
        return coverage
    return None


def require_coverage(submission: Submission) -> None:
    """A province report waits for its communes unless its approver recorded why it cannot."""
    coverage = coverage_note_needed(submission)
    if coverage is not None:
        raise TransitionNotAllowed(
            _(
                "Chưa gửi được: mới có %(coverage)s (%(percent)s%%), dưới ngưỡng %(threshold)s%% của biểu mẫu."
                " Lãnh đạo phê duyệt của tỉnh cần ghi lý do gửi khi chưa đủ xã."
            )
            % {
                "coverage": coverage.words(),
                "percent": round(coverage.percent),
                "threshold": coverage.threshold,
            }
        )
