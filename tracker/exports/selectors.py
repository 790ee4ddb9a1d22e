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
from tracker.exports import standings
from tracker.exports.models import ExportJob
from tracker.exports.standings import LAGGING
from tracker.progress.completeness import Coverage, ExpectedUnits
from tracker.progress.models import IndexScore, IndicatorValue, Level, ProgressStatus, ReportingRate
from tracker.progress.selectors import StandingView
from tracker.reporting import clock
from tracker.reporting.deadlines import days_late, deadlines_for
from tracker.reporting.models import Submission

STATUS_ORDER = [s.value for s in ProgressStatus]


@dataclass
class IndicatorLine:
    indicator: Indicator
    value: Decimal | None = None
    previous: Decimal | None = None
    progress: StandingView | None = None  # the standing shown as of the period (standings.py)
    # Of `value`: provisional when too few units reported (tracker.progress.completeness).
    coverage: Coverage | None = None

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def status(self) -> str:
        return standings.status_of(self.progress)

    @property
    def status_label(self) -> str:
        return standings.status_label(self.status)

    @property
    def provisional(self) -> str:
        """ "Tạm tính: 6/34 tỉnh" when the period's value is provisional, else ""."""
        return self.coverage.label if self.coverage is not None and self.value is not None else ""

    @property
    def as_of(self) -> str:
        """The period the standing's figures reach, and the provisional mark of the period's value."""
        return "; ".join(text for text in (standings.as_of(self.progress), self.provisional) if text)

    @property
    def has_target(self) -> bool:
        return self.progress is not None and self.progress.target_id is not None

    @property
    def share_percent(self) -> Decimal | None:
        if self.progress is None or self.progress.share_of_way is None:
            return None
        return self.progress.share_of_way * 100


def indicator_lines(*, level: str, province: Province | None, period: Period) -> list[IndicatorLine]:
    """Every indicator of the catalogue with its value for the unit in the period, the previous
    period's value and its standing as of the period (two queries and the standings')."""
    indicators = list(Indicator.objects.order_by("code"))
    periods = [str(period), str(period.previous())]
    values = list(
        IndicatorValue.objects.filter(level=level, province=province, period__in=periods).only(
            "indicator_id", "period", "value", "level", "province_id", "period_start", "period_end", "units_count"
        )
    )
    by_key = {(v.indicator_id, v.period): v.value for v in values}
    expected = ExpectedUnits()
    coverage = {
        v.indicator_id: expected.coverage(v.level, v.province_id, v.period_start, v.period_end, v.units_count)
        for v in values
        if v.period == periods[0]
    }
    shown = standings.headlines(period, level=level, province_ids=[province.pk] if province is not None else None)
    unit = province.pk if province is not None else None
    return [
        IndicatorLine(
            indicator=indicator,
            value=by_key.get((indicator.pk, periods[0])),
            previous=by_key.get((indicator.pk, periods[1])),
            progress=shown.get((indicator.pk, unit)),
            coverage=coverage.get(indicator.pk),
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
        Submission.objects.filter(
            units, commune__isnull=True, period_start__gte=period.start, period_end__lte=period.end
        )
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
    lagging: list[Indicator] = field(default_factory=list)
    missed: int = 0  # targets whose deadline fell in or before the period, not achieved

    @property
    def lagging_count(self) -> int:
        return sum(self.counts.get(s, 0) for s in LAGGING)

    @property
    def assessed(self) -> int:
        return sum(n for s, n in self.counts.items() if s in standings.progress_statuses())

    @property
    def on_track_share(self) -> Decimal | None:
        """Achieved or on track, of the indicators assessed (None: none assessed)."""
        if not self.assessed:
            return None
        good = self.counts.get(ProgressStatus.TARGET_ACHIEVED, 0) + self.counts.get(ProgressStatus.SUBSTANTIAL, 0)
        return Decimal(good) * 100 / self.assessed


def province_statuses(*, period: Period) -> tuple[list[ProvinceStatusLine], dict[int, list[Province]]]:
    """For each current province, how many indicators are in each status as of the period; and for
    each indicator, the provinces lagging on it (the standings' queries and two)."""
    provinces = list(Province.objects.current().order_by("code"))
    indicators = {i.pk: i for i in Indicator.objects.all()}
    lines = {p.pk: ProvinceStatusLine(province=p) for p in provinces}
    lagging_on: dict[int, list[Province]] = defaultdict(list)
    shown = standings.headlines(period, level=Level.PROVINCE)
    for (indicator_id, province_id), view in sorted(shown.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
        line = lines.get(province_id or 0)
        if line is None:
            continue
        line.counts[view.status] = line.counts.get(view.status, 0) + 1
        if view.status in LAGGING:
            line.lagging.append(indicators[indicator_id])
            lagging_on[indicator_id].append(line.province)
        if view.status == standings.MISSED:
            line.missed += 1
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


def computed_at(*, period: Period) -> datetime.datetime | None:
    """When the period's figures were last computed (one query)."""
    from django.db.models import Max

    return IndicatorValue.objects.filter(period=str(period)).aggregate(latest=Max("computed_at"))["latest"]
