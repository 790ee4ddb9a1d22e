"""Reads of the computed tables (official figures only: the preview is never stored)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet

from kpis.periods import Period
from tracker.progress.models import (
    REPORTING_CHANGED,
    ComputationRun,
    DirtyUnit,
    IndexScore,
    IndicatorValue,
    Level,
    ReportingRate,
    RollupState,
    TargetProgress,
)


def _province(queryset: QuerySet, *, level: str | None, province: str | None) -> QuerySet:
    """A province code means the current unit unless the level asks for a former one (code 91 is the
    new An Giang, and was Kiên Giang)."""
    if province is None:
        return queryset
    former = level == Level.FORMER
    return queryset.filter(province__code=province, province__valid_to__isnull=not former)


def _periods(
    queryset: QuerySet, *, period: Period | None, period_from: Period | None, period_to: Period | None
) -> QuerySet:
    if period is not None:
        queryset = queryset.filter(period=str(period))
    if period_from is not None:
        queryset = queryset.filter(period_start__gte=period_from.start)
    if period_to is not None:
        queryset = queryset.filter(period_end__lte=period_to.end)
    return queryset


def indicator_value_list(
    *,
    indicator: str | None = None,
    level: str | None = None,
    province: str | None = None,
    period: Period | None = None,
    period_from: Period | None = None,
    period_to: Period | None = None,
    periodicity: str | None = None,
) -> QuerySet[IndicatorValue]:
    queryset = IndicatorValue.objects.select_related("indicator", "province")
    if indicator is not None:
        queryset = queryset.filter(indicator__code=indicator)
    if level is not None:
        queryset = queryset.filter(level=level)
    if periodicity is not None:
        queryset = queryset.filter(periodicity=periodicity)
    queryset = _province(queryset, level=level, province=province)
    queryset = _periods(queryset, period=period, period_from=period_from, period_to=period_to)
    return queryset.order_by("indicator__code", "level", "province__code", "period_start", "period_end", "pk")


def target_progress_list(
    *,
    indicator: str | None = None,
    level: str | None = None,
    province: str | None = None,
    status: str | None = None,
) -> QuerySet[TargetProgress]:
    queryset = TargetProgress.objects.select_related("indicator", "province", "target__source")
    if indicator is not None:
        queryset = queryset.filter(indicator__code=indicator)
    if level is not None:
        queryset = queryset.filter(level=level)
    if status is not None:
        queryset = queryset.filter(status=status)
    queryset = _province(queryset, level=level, province=province)
    return queryset.order_by("indicator__code", "level", "province__code", "deadline", "target_id", "pk")


def index_score_list(
    *,
    index: str | None = None,
    level: str | None = None,
    province: str | None = None,
    period: Period | None = None,
) -> QuerySet[IndexScore]:
    queryset = IndexScore.objects.select_related("index", "version", "province")
    if index is not None:
        queryset = queryset.filter(index__code=index)
    if level is not None:
        queryset = queryset.filter(level=level)
    queryset = _province(queryset, level=level, province=province)
    if period is not None:
        queryset = queryset.filter(period=str(period))
    return queryset.order_by("index__code", "period_start", "period", "level", "rank", "province__code", "pk")


def reporting_rate_list(
    *,
    form: str | None = None,
    level: str | None = None,
    province: str | None = None,
    period: Period | None = None,
    period_from: Period | None = None,
    period_to: Period | None = None,
    periodicity: str | None = None,
) -> QuerySet[ReportingRate]:
    queryset = ReportingRate.objects.select_related("form", "province")
    if form is not None:
        queryset = queryset.filter(form__code=form)
    if level is not None:
        queryset = queryset.filter(level=level)
    if periodicity is not None:
        queryset = queryset.filter(periodicity=periodicity)
    queryset = _province(queryset, level=level, province=province)
    queryset = _periods(queryset, period=period, period_from=period_from, period_to=period_to)
    return queryset.order_by("form__code", "level", "province__code", "period_start", "period_end", "pk")


def figure_changes_pending() -> tuple[int, datetime.datetime | None]:
    """How many dirty rows wait with changed figures, and since when. Rows that only refresh
    reporting rates (a report submitted or sent back) are left out: they wait for the next sweep
    by design, and where no beat runs (the embedded default) for the next approval."""
    pending = DirtyUnit.objects.exclude(reason=REPORTING_CHANGED).aggregate(count=Count("pk"), oldest=Min("created_at"))
    return pending["count"], pending["oldest"]


@dataclass(frozen=True)
class RollupStatus:
    last_full_at: datetime.datetime | None
    last_incremental_at: datetime.datetime | None
    pending_dirty: int
    oldest_pending_at: datetime.datetime | None
    full_recompute_pending: bool
    # A full run that says "running" but is older than a night's work died with its worker.
    full_running_since: datetime.datetime | None


def rollup_status() -> RollupStatus:
    state = RollupState.objects.filter(pk=1).first()
    pending = DirtyUnit.objects.aggregate(
        total=Count("pk"), oldest=Min("created_at"), everything=Count("pk", filter=Q(province__isnull=True))
    )
    running = (
        ComputationRun.objects.filter(kind=ComputationRun.Kind.FULL, status=ComputationRun.Status.RUNNING)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return RollupStatus(
        last_full_at=state.last_full_at if state else None,
        last_incremental_at=state.last_incremental_at if state else None,
        pending_dirty=pending["total"],
        oldest_pending_at=pending["oldest"],
        full_recompute_pending=bool(pending["everything"]),
        full_running_since=running,
    )


# Standings as of a period: the read API every presenter calls (see standing_selectors).
from tracker.progress.standing_selectors import (  # noqa: E402
    RankRow,
    StandingView,
    headline_as_of,
    indicator_period,
    rank_rows,
    ranking_as_of,
    standings_as_of,
    target_applies,
)

__all__ = [
    "RankRow",
    "StandingView",
    "headline_as_of",
    "indicator_period",
    "rank_rows",
    "ranking_as_of",
    "standings_as_of",
    "target_applies",
]
