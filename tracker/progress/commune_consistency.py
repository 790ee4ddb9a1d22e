"""Contradictions at commune level, for `manage.py check_figures` (see consistency.py).

The commune tables get the sweeps the province tables get (a status without a value, "Đã đạt"
beside a negative share, a status on a value beyond its natural limit, a target still in progress
after its deadline, reports counted late before their due day), and the roll-up contract of
issue 17 is checked on the figures themselves:

- commune_rollup_mismatch: for a commune-level element summed over space, a province report's
  cell differs from the sum of its communes' approved figures for the same form and period;
- national_not_sum: for an indicator that is one such element summed over time (a count of
  dossiers, of people trained), the nation's monthly value differs from the sum of the provinces'
  or from the sum of the communes' ("national = Σ provinces = Σ communes").
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, Sum

from kpis.models import DataElement, Indicator, ReportForm, ReportFormElement
from kpis.periods import InvalidPeriod, Period
from tracker.progress.models import (
    CommuneIndicatorValue,
    CommuneReportingRate,
    CommuneStanding,
    IndicatorValue,
    Level,
    ProgressStatus,
)
from tracker.progress.vocabulary import PROGRESS_CODES
from tracker.reporting.models import DataValue


def commune_contradictions(*, period: Period | None, today: datetime.date, make: Any) -> list[Any]:
    """Every commune-level contradiction; `make(kind, table, where, detail)` builds one."""
    found: list[Any] = []
    found += _standing_sweeps(period, make)
    found += _late_before_due(period, today, make)
    found += _rollup_mismatches(period, make)
    found += _national_not_sum(period, make)
    return found


def _standing_sweeps(period: Period | None, make: Any) -> list[Any]:
    rows = CommuneStanding.objects.all()
    if period is not None:
        rows = rows.filter(period=str(period))
    outside = Q(indicator__natural_limit__gt=0) & (Q(value__gt=F("indicator__natural_limit")) | Q(value__lt=0))
    in_progress = [
        ProgressStatus.SUBSTANTIAL,
        ProgressStatus.MODERATE,
        ProgressStatus.LIMITED,
        ProgressStatus.DETERIORATION,
    ]
    checks = [
        ("status_without_value", Q(status__in=PROGRESS_CODES, value__isnull=True), "status"),
        ("achieved_negative_share", Q(status=ProgressStatus.TARGET_ACHIEVED, share_of_way__lt=0), "share_of_way"),
        ("beyond_limit", outside & Q(status__in=PROGRESS_CODES), "value"),
        (
            "not_final_after_deadline",
            Q(status__in=in_progress, deadline__isnull=False, deadline__lte=F("period_end")),
            "deadline",
        ),
    ]
    out = []
    for kind, condition, shown in checks:
        for code, commune, p, status, detail in rows.filter(condition).values_list(
            "indicator__code", "commune__code", "period", "status", shown
        ):
            out.append(make(kind, "CommuneStanding", f"{code} xã {commune} {p}", f"{status} ({shown} {detail})"))
    return out


def _late_before_due(period: Period | None, today: datetime.date, make: Any) -> list[Any]:
    out = []
    for form in ReportForm.objects.exclude(commune_reporting_from="").order_by("code"):
        not_passed = today - datetime.timedelta(days=form.due_day)
        rows = CommuneReportingRate.objects.filter(form=form, periodicity=form.periodicity, period_end__gte=not_passed)
        if period is not None:
            rows = rows.filter(period=str(period))
        rows = rows.filter(Q(received__gt=F("on_time")) | Q(expected__gt=F("received") + F("not_due")))
        for province, commune, p, e, r, o, n in rows.values_list(
            "province__code", "commune__code", "period", "expected", "received", "on_time", "not_due"
        ):
            unit = f"xã {commune}" if commune else f"tỉnh {province} (các xã)"
            out.append(
                make(
                    "late_before_due",
                    "CommuneReportingRate",
                    f"{form.code} {unit} {p}",
                    f"expected {e}, received {r}, on time {o}, not due {n}",
                )
            )
    return out


def _shown(number: Any) -> str:
    """A figure as the message shows it, alike on every database (SQLite sums give back 50, not 50.000000)."""
    if number is None:
        return "—"
    return f"{Decimal(str(number)).normalize():f}"


def _first_periods() -> dict[int, Period]:
    """{form id: its first commune period}."""
    out = {}
    for pk, text in ReportForm.objects.exclude(commune_reporting_from="").values_list("pk", "commune_reporting_from"):
        try:
            out[pk] = Period.parse(text)
        except InvalidPeriod:
            continue
    return out


def _rollup_mismatches(period: Period | None, make: Any) -> list[Any]:
    """Province cells of commune-level sum elements against the sum of the communes' approved figures,
    wherever the province report exists."""
    out = []
    for form_id, first in sorted(_first_periods().items()):
        elements = list(
            ReportFormElement.objects.filter(
                form_id=form_id, commune_level=True, element__space_aggregation=DataElement.SpaceAggregation.SUM
            ).values_list("element_id", flat=True)
        )
        if not elements:
            continue
        figures = DataValue.objects.filter(
            submission__form_id=form_id, element_id__in=elements, submission__period_start__gte=first.start
        )
        if period is not None:
            figures = figures.filter(submission__period=str(period))
        communes = {
            (p, e, s): total
            for p, e, s, total in figures.filter(submission__commune__isnull=False, approved_value__isnull=False)
            .values_list("submission__province_id", "element_id", "submission__period")
            .annotate(total=Sum("approved_value"))
            .order_by()
        }
        cells = figures.filter(submission__commune__isnull=True).values_list(
            "submission__province__code",
            "submission__province_id",
            "element__code",
            "element_id",
            "submission__period",
            "approved_value",
        )
        for code, province_id, element_code, element_id, p, cell in cells:
            total = communes.get((province_id, element_id, p))
            if cell != total and not (cell is None and total is None):
                out.append(
                    make(
                        "commune_rollup_mismatch",
                        "DataValue",
                        f"{element_code} tỉnh {code} {p}",
                        f"province cell {_shown(cell)}, sum of approved commune figures {_shown(total)}",
                    )
                )
    return out


def _national_not_sum(period: Period | None, make: Any) -> list[Any]:
    """National = Σ provinces = Σ communes, monthly, for indicators that are one commune-level element
    summed over time and space (no denominator)."""
    level_of: dict[str, Period] = {}
    for form_id, first in _first_periods().items():
        for code in ReportFormElement.objects.filter(
            form_id=form_id,
            commune_level=True,
            element__space_aggregation=DataElement.SpaceAggregation.SUM,
            element__time_aggregation=DataElement.TimeAggregation.SUM,
        ).values_list("element__code", flat=True):
            if code not in level_of or first.start < level_of[code].start:
                level_of[code] = first
    indicators = {
        pk: level_of[numerator.strip()]
        for pk, numerator, denominator in Indicator.objects.values_list("pk", "numerator", "denominator")
        if not denominator.strip() and numerator.strip() in level_of
    }
    out: list[Any] = []
    for indicator_id, first in sorted(indicators.items()):
        sums: dict[str, dict[str, Decimal]] = defaultdict(dict)
        base = {"indicator_id": indicator_id, "periodicity": "monthly", "period_start__gte": first.start}
        if period is not None:
            base["period"] = str(period)
        for p, level, total in (
            IndicatorValue.objects.filter(**base, level__in=[Level.NATIONAL, Level.PROVINCE])
            .values_list("period", "level")
            .annotate(total=Sum("value"))
            .order_by()
        ):
            sums[p][level] = total
        for p, total in (
            CommuneIndicatorValue.objects.filter(**base).values_list("period").annotate(total=Sum("value")).order_by()
        ):
            sums[p]["commune"] = total
        code = Indicator.objects.get(pk=indicator_id).code if sums else ""
        for p, found in sorted(sums.items()):
            national, provinces, communes = (found.get(k) for k in (Level.NATIONAL, Level.PROVINCE, "commune"))
            if not (national == provinces == communes):
                out.append(
                    make(
                        "national_not_sum",
                        "IndicatorValue",
                        f"{code} {p}",
                        f"national {_shown(national)}, Σ provinces {_shown(provinces)}, Σ communes {_shown(communes)}",
                    )
                )
    return out
