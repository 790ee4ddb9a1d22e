"""Reads behind the reports: the computed tables of tracker.progress and the catalogue (DESIGN §3),
plus the submissions' dates and status for the reporting record (no figures are read from them).

Each selector runs a fixed number of queries whatever the number of provinces and indicators.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from kpis.models import CompositeIndex, Indicator, ReportForm
from kpis.periods import Period
from provinces.models import MERGER_DATE, Province
from tracker.accounts import permissions
from tracker.exports.models import ExportJob
from tracker.progress.models import IndexScore, IndicatorValue, Level, ProgressStatus, ReportingRate, TargetProgress
from tracker.reporting import clock
from tracker.reporting.deadlines import days_late, deadlines_for
from tracker.reporting.models import Submission

LAGGING = (ProgressStatus.LIMITED, ProgressStatus.DETERIORATION)
STATUS_ORDER = [s.value for s in ProgressStatus]


@dataclass
class IndicatorLine:
    indicator: Indicator
    value: Decimal | None = None
    previous: Decimal | None = None
    progress: TargetProgress | None = None

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def status(self) -> str:
        return self.progress.status if self.progress else ProgressStatus.NOT_AVAILABLE

    @property
    def status_label(self) -> str:
        return str(ProgressStatus(self.status).label)

    @property
    def share_percent(self) -> Decimal | None:
        if self.progress is None or self.progress.share_of_way is None:
            return None
        return self.progress.share_of_way * 100


def _pick_progress(rows: list[TargetProgress], period: Period) -> TargetProgress | None:
    """The target that matters for the period: the nearest deadline not before the period's end
    (a province's own target before a national one on the same deadline), else the latest one;
    a trend row only when the indicator has no target at all."""
    with_target = [r for r in rows if r.target_id is not None]
    if not with_target:
        return rows[0] if rows else None
    ahead = [r for r in with_target if r.deadline is None or r.deadline >= period.end]
    pool = ahead or with_target

    def key(row: TargetProgress) -> tuple[Any, ...]:
        deadline = row.deadline or datetime.date.max
        scoped = 0 if row.target is not None and row.target.province_id is not None else 1
        return (deadline if ahead else datetime.date.max - deadline, scoped, row.pk)

    return sorted(pool, key=key)[0]


def indicator_lines(*, level: str, province: Province | None, period: Period) -> list[IndicatorLine]:
    """Every indicator of the catalogue with its value for the unit in the period, the previous
    period's value and its progress towards its target (three queries)."""
    indicators = list(Indicator.objects.order_by("code"))
    periods = [str(period), str(period.previous())]
    values = IndicatorValue.objects.filter(level=level, province=province, period__in=periods)
    by_key = {(v.indicator_id, v.period): v.value for v in values.only("indicator_id", "period", "value")}
    progress: dict[int, list[TargetProgress]] = defaultdict(list)
    for row in TargetProgress.objects.filter(level=level, province=province).select_related("target"):
        progress[row.indicator_id].append(row)
    return [
        IndicatorLine(
            indicator=indicator,
            value=by_key.get((indicator.pk, periods[0])),
            previous=by_key.get((indicator.pk, periods[1])),
            progress=_pick_progress(progress.get(indicator.pk, []), period),
        )
        for indicator in indicators
    ]


@dataclass
class ScoreLine:
    index: CompositeIndex
    period: str
    score: Decimal
    rank: int | None
    of: int
    province: Province | None = None


def _index_periods(period: Period) -> list[str]:
    # A yearly index is shown in the reports of its year's months and quarters too.
    return [str(period), str(period.quarter_of()), str(period.year_of())]


def index_scores(*, province: Province | None, period: Period) -> list[ScoreLine]:
    """Composite index scores of the period (or of its quarter/year for coarser indices) with ranks
    among the 34 units; all units when `province` is None (two queries)."""
    rows = list(
        IndexScore.objects.filter(level=Level.PROVINCE, period__in=_index_periods(period))
        .select_related("index", "province")
        .order_by("index__code", "period_start", "rank", "province__code")
    )
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for row in rows:
        counts[(row.index_id, row.period)] += 1
    out = [
        ScoreLine(
            index=row.index,
            period=row.period,
            score=row.score,
            rank=row.rank,
            of=counts[(row.index_id, row.period)],
            province=row.province,
        )
        for row in rows
        if province is None or row.province_id == province.pk
    ]
    return out


@dataclass
class SubmissionLine:
    form: ReportForm
    period: str
    unit: Province
    status: str
    status_label: str
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    due: datetime.date
    days_late: int


def reporting_record(*, province: Province, period: Period) -> list[SubmissionLine]:
    """The province's submissions for the periods inside `period` (its predecessors' before the
    merger), with their dates and lateness (one query)."""
    units = Q(province=province)
    if period.start < MERGER_DATE:
        units |= Q(province__successor=province)
    submissions = (
        Submission.objects.filter(units, period_start__gte=period.start, period_end__lte=period.end)
        .select_related("form", "province")
        .order_by("period_start", "form__code", "province__code")
    )
    today = clock.today()
    out = []
    for submission in submissions:
        deadlines = deadlines_for(form=submission.form, period_end=submission.period_end)
        out.append(
            SubmissionLine(
                form=submission.form,
                period=submission.period,
                unit=submission.province,
                status=submission.status,
                status_label=str(submission.get_status_display()),
                submitted_at=submission.first_submitted_at,
                approved_at=submission.approved_at,
                due=deadlines.due,
                days_late=days_late(due=deadlines.due, first_submitted_at=submission.first_submitted_at, today=today),
            )
        )
    return out


@dataclass
class RateLine:
    form: ReportForm
    province: Province | None
    expected: int
    received: int
    on_time: int
    approved: int
    not_due: int = 0  # not received, due day not passed yet: neither late nor missing

    @staticmethod
    def percent(part: int, whole: int) -> Decimal | None:
        return (Decimal(part) * 100 / Decimal(whole)) if whole else None


def reporting_rates(*, province: Province | None, period: Period, national: bool = False) -> list[RateLine]:
    """Reporting rates per form: of one province, of every province (province None), or the nation's."""
    rows = ReportingRate.objects.filter(period=str(period)).select_related("form", "province")
    if national:
        rows = rows.filter(level=Level.NATIONAL)
    else:
        rows = rows.filter(level=Level.PROVINCE)
        if province is not None:
            rows = rows.filter(province=province)
    return [
        RateLine(
            form=row.form,
            province=row.province,
            expected=row.expected,
            received=row.received,
            on_time=row.on_time,
            approved=row.approved,
            not_due=row.not_due,
        )
        for row in rows.order_by("form__code", "province__code")
    ]


@dataclass
class ProvinceStatusLine:
    province: Province
    counts: dict[str, int] = field(default_factory=dict)
    lagging: list[str] = field(default_factory=list)  # indicator codes

    @property
    def lagging_count(self) -> int:
        return sum(self.counts.get(s, 0) for s in LAGGING)


def province_statuses(*, period: Period) -> tuple[list[ProvinceStatusLine], dict[int, list[Province]]]:
    """For each current province, how many indicators are in each progress status; and for each
    indicator, the provinces lagging on it (two queries)."""
    provinces = list(Province.objects.current().order_by("code"))
    lines = {p.pk: ProvinceStatusLine(province=p) for p in provinces}
    by_pair: dict[tuple[int, int], list[TargetProgress]] = defaultdict(list)
    for row in TargetProgress.objects.filter(level=Level.PROVINCE).select_related("target", "indicator"):
        by_pair[(row.province_id or 0, row.indicator_id)].append(row)
    lagging_on: dict[int, list[Province]] = defaultdict(list)
    for (province_id, indicator_id), rows in sorted(by_pair.items()):
        line = lines.get(province_id)
        chosen = _pick_progress(rows, period)
        if line is None or chosen is None:
            continue
        line.counts[chosen.status] = line.counts.get(chosen.status, 0) + 1
        if chosen.status in LAGGING:
            line.lagging.append(chosen.indicator.code)
            lagging_on[indicator_id].append(line.province)
    return list(lines.values()), lagging_on


def province_values(*, period: Period) -> dict[tuple[int, int], Decimal | None]:
    """(indicator id, province id) -> value of every current province in the period (one query)."""
    return {
        (indicator_id, province_id): value
        for indicator_id, province_id, value in IndicatorValue.objects.filter(
            level=Level.PROVINCE, period=str(period)
        ).values_list("indicator_id", "province_id", "value")
    }


def open_sdg_series(*, indicator: Indicator) -> list[tuple[int, Province | None, Decimal | None]]:
    """Yearly values of one indicator: the nation (headline) and every current province."""
    rows = (
        IndicatorValue.objects.filter(
            indicator=indicator, periodicity="yearly", level__in=[Level.NATIONAL, Level.PROVINCE]
        )
        .select_related("province")
        .order_by("period", "level", "province__code")
    )
    out = []
    for row in rows:
        out.append((int(row.period), row.province if row.level == Level.PROVINCE else None, row.value))
    return out


# ---------------------------------------------------------------------------------------------
# jobs


def may_read_job(user: Any, job: ExportJob) -> bool:
    """Whoever may read the content may read the file: the nation's for the ministry, a province's
    for its own people and the ministry."""
    if not user.is_authenticated:
        return False
    if job.kind == ExportJob.Kind.NATIONAL:
        return permissions.is_ministry(user)
    return job.province is not None and permissions.may_read_province(user, job.province)


def job_get(*, user: Any, job_id: Any) -> ExportJob | None:
    job = ExportJob.objects.select_related("province").filter(pk=job_id).first()
    if job is None or not may_read_job(user, job):
        return None
    return job


def job_list(*, user: Any, limit: int = 20) -> list[ExportJob]:
    return list(ExportJob.objects.filter(owner=user).select_related("province").order_by("-created_at")[:limit])
