"""Helpers for tests of what catalogue edits do to the roll-ups: October 2025 figures, the marks left."""

import datetime
from decimal import Decimal

from django.utils import timezone

from kpis.models import DataElement, ReportForm
from kpis.periods import Period
from tracker.progress.models import DirtyUnit, IndicatorValue, Level
from tracker.reporting.models import DataValue, Submission


def approved_october(province, **values):
    """An approved monthly report of October 2025: its figures are official."""
    period = Period.parse("2025-10")
    moment = timezone.make_aware(datetime.datetime(2025, 11, 3, 9))
    submission = Submission.objects.create(
        province=province,
        form=ReportForm.objects.get(code="BC_THANG"),
        period=str(period),
        period_start=period.start,
        period_end=period.end,
        status=Submission.Status.APPROVED,
        has_official_values=True,
        submitted_at=moment,
        first_submitted_at=moment,
        approved_at=moment,
    )
    for code, value in values.items():
        DataValue.objects.create(
            submission=submission,
            element=DataElement.objects.get(code=code),
            value=Decimal(value),
            approved_value=Decimal(value),
        )


def fibre_rate(province):
    return IndicatorValue.objects.get(
        indicator__code="FIBRE_HH_RATE", level=Level.PROVINCE, province=province, period="2025-10"
    ).value


def catalogue_marks():
    """Reasons of the pending "everything is stale" rows."""
    return list(DirtyUnit.objects.filter(province__isnull=True).values_list("reason", flat=True))
