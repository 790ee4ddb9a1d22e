"""Helpers for tests of what catalogue edits do to the roll-ups: October 2025 figures, the marks left."""

import datetime

from kpis.models import ReportForm
from tests.tracker.progress.conftest import Reports
from tracker.progress.models import DirtyUnit, IndicatorValue, Level


def approved_october(province, **values):
    """An approved monthly report of October 2025, sent on 3 November: its figures are official."""
    Reports(ReportForm.objects.get(code="BC_THANG")).approved(
        province, "2025-10", submitted_on=datetime.date(2025, 11, 3), **values
    )


def fibre_rate(province):
    return IndicatorValue.objects.get(
        indicator__code="FIBRE_HH_RATE", level=Level.PROVINCE, province=province, period="2025-10"
    ).value


def catalogue_marks():
    """Reasons of the pending "everything is stale" rows."""
    return list(DirtyUnit.objects.filter(province__isnull=True).values_list("reason", flat=True))
