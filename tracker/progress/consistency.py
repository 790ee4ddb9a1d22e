"""Contradictions in the computed tables: what `manage.py check_figures` looks for.

Each kind is something a screen would say that its own figures contradict:
- status_without_value: a progress status (achieved, on track, ..., missed) with no value behind it;
- achieved_negative_share: "Đã đạt" beside a negative share of the way;
- beyond_limit: a progress status on a value outside [0, natural limit] (it should be a
  data-quality flag), or a national figure outside [0, limit];
- not_final_after_deadline: a target still rated as in progress as of a period that ends at or
  after its deadline (it can no longer be met on time);
- late_before_due: reports counted late or missing for a period whose due day has not passed;
- at commune level (commune_consistency): the same sweeps over the commune tables, a province
  cell that is not the sum of its communes' approved figures, a national count that is not the
  sum of the provinces' and of the communes'.

Set-based queries over the tables; nothing is recomputed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone

from kpis.models import ReportForm
from kpis.periods import Period
from tracker.progress.commune_consistency import commune_contradictions
from tracker.progress.models import IndicatorValue, Level, ProgressStatus, ReportingRate, Standing, TargetProgress
from tracker.progress.vocabulary import PROGRESS_CODES

IN_PROGRESS = (
    ProgressStatus.SUBSTANTIAL,
    ProgressStatus.MODERATE,
    ProgressStatus.LIMITED,
    ProgressStatus.DETERIORATION,
)


@dataclass(frozen=True)
class Contradiction:
    kind: str
    table: str
    where: str  # indicator or form code, unit, period
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.table} {self.where}: {self.detail}"


def _unit(province_code: str | None) -> str:
    return province_code or "toàn quốc"


def _standings(period: Period | None) -> Q:
    return Q(period=str(period)) if period is not None else Q()


def contradictions(*, period: Period | None = None, today: datetime.date | None = None) -> list[Contradiction]:
    today = today or timezone.localdate()
    found: list[Contradiction] = []
    found += _status_without_value(period)
    found += _achieved_with_negative_share(period)
    found += _beyond_limit(period)
    found += _not_final_after_deadline(period)
    found += _late_before_due(period, today)
    # The same sweeps over the commune tables, and the commune roll-up contract (issue 17).
    found += commune_contradictions(period=period, today=today, make=Contradiction)
    return found


def _status_without_value(period: Period | None) -> list[Contradiction]:
    rows = Standing.objects.filter(_standings(period), status__in=PROGRESS_CODES, value__isnull=True)
    out = [
        Contradiction("status_without_value", "Standing", f"{code} {_unit(unit)} {p}", status)
        for code, unit, p, status in rows.values_list("indicator__code", "province__code", "period", "status")
    ]
    if period is None:
        latest = TargetProgress.objects.filter(status__in=PROGRESS_CODES, current_value__isnull=True)
        out += [
            Contradiction("status_without_value", "TargetProgress", f"{code} {_unit(unit)}", status)
            for code, unit, status in latest.values_list("indicator__code", "province__code", "status")
        ]
    return out


def _achieved_with_negative_share(period: Period | None) -> list[Contradiction]:
    rows = Standing.objects.filter(_standings(period), status=ProgressStatus.TARGET_ACHIEVED, share_of_way__lt=0)
    out = [
        Contradiction("achieved_negative_share", "Standing", f"{code} {_unit(unit)} {p}", f"share {share}")
        for code, unit, p, share in rows.values_list("indicator__code", "province__code", "period", "share_of_way")
    ]
    if period is None:
        latest = TargetProgress.objects.filter(status=ProgressStatus.TARGET_ACHIEVED, share_of_way__lt=0)
        out += [
            Contradiction("achieved_negative_share", "TargetProgress", f"{code} {_unit(unit)}", f"share {share}")
            for code, unit, share in latest.values_list("indicator__code", "province__code", "share_of_way")
        ]
    return out


def _beyond_limit(period: Period | None) -> list[Contradiction]:
    outside = Q(indicator__natural_limit__gt=0) & (Q(value__gt=F("indicator__natural_limit")) | Q(value__lt=0))
    rows = Standing.objects.filter(_standings(period), outside, status__in=PROGRESS_CODES)
    out = [
        Contradiction("beyond_limit", "Standing", f"{code} {_unit(unit)} {p}", f"{status} on {value} (limit {limit})")
        for code, unit, p, status, value, limit in rows.values_list(
            "indicator__code", "province__code", "period", "status", "value", "indicator__natural_limit"
        )
    ]
    national = IndicatorValue.objects.filter(outside, level=Level.NATIONAL)
    if period is not None:
        national = national.filter(period=str(period))
    out += [
        Contradiction("beyond_limit", "IndicatorValue", f"{code} toàn quốc {p}", f"{value} (limit {limit})")
        for code, p, value, limit in national.values_list(
            "indicator__code", "period", "value", "indicator__natural_limit"
        )
    ]
    return out


def _not_final_after_deadline(period: Period | None) -> list[Contradiction]:
    # The deadline's month is over by the end of the period: the last day of the deadline's month
    # is on or before the period's last day, i.e. the deadline is on or before the period's end.
    rows = Standing.objects.filter(
        _standings(period), status__in=IN_PROGRESS, deadline__isnull=False, deadline__lte=F("period_end")
    )
    return [
        Contradiction("not_final_after_deadline", "Standing", f"{code} {_unit(unit)} {p}", f"{status}, hạn {day}")
        for code, unit, p, status, day in rows.values_list(
            "indicator__code", "province__code", "period", "status", "deadline"
        )
    ]


def _late_before_due(period: Period | None, today: datetime.date) -> list[Contradiction]:
    """Rates of a form's own periods whose due day is today or later but that count a report as
    late or missing (not received and not counted as not yet due)."""
    out: list[Contradiction] = []
    for form in ReportForm.objects.order_by("code"):
        # due day = period end + due_day: not passed while period_end >= today - due_day
        not_passed = today - datetime.timedelta(days=form.due_day)
        rows = ReportingRate.objects.filter(form=form, periodicity=form.periodicity, period_end__gte=not_passed)
        if period is not None:
            rows = rows.filter(period=str(period))
        rows = rows.filter(Q(received__gt=F("on_time")) | Q(expected__gt=F("received") + F("not_due")))
        out += [
            Contradiction(
                "late_before_due",
                "ReportingRate",
                f"{form.code} {_unit(unit)} {p}",
                f"expected {e}, received {r}, on time {o}, not due {n}",
            )
            for unit, p, e, r, o, n in rows.values_list(
                "province__code", "period", "expected", "received", "on_time", "not_due"
            )
        ]
    return out
