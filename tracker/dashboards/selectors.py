"""Reads for the dashboards: the computed tables of tracker.progress and the catalogue only.

Never the entry tables (DESIGN §3). Every function issues a fixed number of queries, whatever
the number of provinces or indicators, and returns plain rows (rows.py); the pages pin those
counts in their tests.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Min, Prefetch, Q
from django.utils import timezone

from kpis.models import CompositeIndex, Directive, Indicator, Objective, Target
from kpis.periods import InvalidPeriod, Period, Periodicity
from provinces.models import Province
from tracker.dashboards.formatting import directive_heading, localized
from tracker.dashboards.rows import KpiCard, Point, ReportingRow, Unit
from tracker.exports.wording import unit_label as unit_words
from tracker.progress.completeness import ExpectedUnits
from tracker.progress.models import IndexScore, IndicatorValue, Level, ReportingRate, RollupState, TargetProgress
from tracker.progress.services import indicator_values_preview
from tracker.progress.standing_selectors import StandingView, headline_as_of, standings_as_of

# Catalogue -----------------------------------------------------------------------------------


def current_units() -> list[Unit]:
    return [
        Unit(code=code, name=name, pk=pk)
        for pk, code, name in Province.objects.current().order_by("code").values_list("pk", "code", "name")
    ]


def current_unit(code: str) -> Province | None:
    return Province.objects.current().filter(code=code).first()


def predecessors_of(province: Province) -> list[str]:
    """Names of the former units whose figures make up this unit's series before the merger."""
    return [
        f"{name} ({code})"
        for code, name in Province.objects.former()
        .filter(successor=province)
        .order_by("code")
        .values_list("code", "name")
    ]


def indicators() -> list[Indicator]:
    """Every indicator, with only what the pages draw (filters, units, direction, periodicity)."""
    return list(Indicator.objects.order_by("code").only("code", "name", "name_en", "unit", "direction", "periodicity"))


def indicator_detail(code: str) -> Indicator | None:
    """An indicator with its targets and the objectives (and directives) it measures."""
    return (
        Indicator.objects.filter(code=code)
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.select_related("province", "source").order_by("deadline")),
            Prefetch("objectives", queryset=Objective.objects.select_related("directive")),
        )
        .first()
    )


def directive_choices() -> list[tuple[str, str]]:
    return [
        (code, directive_heading(number, title, title_en))
        for code, number, title, title_en in Directive.objects.order_by("issued_on", "code").values_list(
            "code", "number", "title", "title_en"
        )
    ]


def directive_with_objectives(code: str) -> Directive | None:
    return (
        Directive.objects.filter(code=code)
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.order_by("order", "code").prefetch_related(
                    Prefetch("indicators", queryset=Indicator.objects.order_by("code"))
                ),
            )
        )
        .first()
    )


def directive_indicator_codes(code: str) -> list[tuple[str, str]]:
    """Indicators that measure any objective of a directive, in code order."""
    return list(
        Indicator.objects.filter(objectives__directive__code=code)
        .distinct()
        .order_by("code")
        .values_list("code", "name")
    )


def index_choices() -> list[tuple[str, str]]:
    """(code, name in the page's language) of the composite indices."""
    return [
        (code, localized(name, name_en))
        for code, name, name_en in CompositeIndex.objects.order_by("code").values_list("code", "name", "name_en")
    ]


def composite_index(code: str) -> CompositeIndex | None:
    return CompositeIndex.objects.filter(code=code).first()


# Periods -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodRange:
    first: Period | None
    last: Period | None

    def choices(self) -> list[Period]:
        """Months, then quarters, then years, newest first, between the first and last computed month."""
        if self.first is None or self.last is None:
            return []
        months: list[Period] = []
        current = self.last
        while current >= self.first:
            months.append(current)
            current = current.previous()
        quarters = list(dict.fromkeys(month.quarter_of() for month in months))
        years = list(dict.fromkeys(month.year_of() for month in months))
        return months + quarters + years


def computed_months() -> PeriodRange:
    """The first and last month with national figures (two index-backed MIN/MAX look-ups)."""
    national = IndicatorValue.objects.filter(level=Level.NATIONAL, periodicity=Periodicity.MONTHLY).order_by()
    bounds = national.aggregate(first=Min("period"), last=Max("period"))
    return PeriodRange(_parse(bounds["first"]), _parse(bounds["last"]))


def _parse(text: str | None) -> Period | None:
    if not text:
        return None
    try:
        return Period.parse(text)
    except InvalidPeriod:
        return None


def period_for(indicator_periodicity: str, selected: Period) -> Period:
    """The period of an indicator's own periodicity that a selected period falls in."""
    if indicator_periodicity == Periodicity.YEARLY or selected.periodicity == Periodicity.YEARLY:
        return selected.year_of()
    if indicator_periodicity == Periodicity.QUARTERLY or selected.periodicity == Periodicity.QUARTERLY:
        return selected.quarter_of()
    return selected


def last_computed_at() -> datetime.datetime | None:
    state = RollupState.objects.order_by("pk").values_list("last_full_at", "last_incremental_at").first()
    if state is None:
        return None
    stamps = [stamp for stamp in state if stamp is not None]
    return max(stamps) if stamps else None


# Indicator values ----------------------------------------------------------------------------


def province_values(indicator_id: int, periods: Sequence[Period]) -> dict[str, dict[int, Decimal | None]]:
    """{period: {province id: value}} of current provinces for one indicator."""
    out: dict[str, dict[int, Decimal | None]] = {str(period): {} for period in periods}
    rows = (
        IndicatorValue.objects.filter(
            indicator_id=indicator_id, level=Level.PROVINCE, period__in=[str(period) for period in periods]
        )
        .order_by()
        .values_list("period", "province_id", "value")
    )
    for period, province_id, value in rows:
        out[period][province_id] = value
    return out


def national_value(indicator_id: int, period: Period) -> Decimal | None:
    return (
        IndicatorValue.objects.filter(
            indicator_id=indicator_id, level=Level.NATIONAL, province__isnull=True, period=str(period)
        )
        .order_by()
        .values_list("value", flat=True)
        .first()
    )


def series(indicator_id: int, *, level: str, province_id: int | None, periodicity: str) -> list[Point]:
    """The unit's values in time order, each provisional one marked (two queries)."""
    rows = (
        IndicatorValue.objects.filter(
            indicator_id=indicator_id,
            level=level,
            province__isnull=province_id is None,
            periodicity=periodicity,
        )
        .filter(**({"province_id": province_id} if province_id is not None else {}))
        .order_by("period_start")
        .values_list("period", "value", "period_start", "period_end", "units_count")
    )
    expected = ExpectedUnits()
    return [
        Point(
            period=period,
            value=value,
            day=end,
            provisional=expected.coverage(level, province_id, start, end, units).label,
        )
        for period, value, start, end, units in rows
    ]


def values_of_province(province_id: int, period: Period) -> dict[int, Decimal | None]:
    """{indicator id: value} of one province at the period, any indicator with a row then."""
    rows = IndicatorValue.objects.filter(level=Level.PROVINCE, province_id=province_id, period=str(period))
    return dict(rows.order_by().values_list("indicator_id", "value"))


def national_values(periods: Iterable[Period]) -> dict[tuple[int, str], Decimal | None]:
    rows = (
        IndicatorValue.objects.filter(
            level=Level.NATIONAL, province__isnull=True, period__in=[str(period) for period in periods]
        )
        .order_by()
        .values_list("indicator_id", "period", "value")
    )
    return {(indicator_id, period): value for indicator_id, period, value in rows}


def rank(values: dict[int, Decimal | None], *, lower_is_better: bool) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) of provinces by value, best first."""
    present = sorted(
        ((value, province_id) for province_id, value in values.items() if value is not None),
        key=lambda pair: pair[0] if lower_is_better else -pair[0],
    )
    ranks: dict[int, int] = {}
    previous: Decimal | None = None
    current_rank = 0
    for position, (value, province_id) in enumerate(present, start=1):
        if value != previous:
            current_rank = position
            previous = value
        ranks[province_id] = current_rank
    return ranks


# Target progress -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressRow:
    """One TargetProgress row as the pages read it."""

    indicator_id: int
    province_id: int | None
    target_id: int | None
    target_province_id: int | None
    deadline: datetime.date | None
    status: str
    current_value: Decimal | None = None
    current_period: str = ""
    baseline_value: Decimal | None = None
    baseline_period: str = ""
    target_value: Decimal | None = None
    share_of_way: Decimal | None = None
    projected_value: Decimal | None = None


_STATUS_FIELDS = ("indicator_id", "province_id", "target_id", "target__province_id", "deadline", "status")
# Decoding the NUMERIC columns costs far more than the query (0.12 s against 0.02 s for the
# 4 500 standings of the national data set), so grids that only colour by status skip them.
_FIGURE_FIELDS = (
    "current_value",
    "current_period",
    "baseline_value",
    "baseline_period",
    "target_value",
    "share_of_way",
    "projected_value",
)


def _progress_rows(query: Q) -> list[ProgressRow]:
    rows = TargetProgress.objects.filter(query).order_by().values_list(*_STATUS_FIELDS, *_FIGURE_FIELDS)
    return [ProgressRow(*row) for row in rows]


def _preference(
    province_id: int | None,
    target_id: int | None,
    target_province_id: int | None,
    deadline: datetime.date | None,
    reference: int,
) -> tuple[int, int, int] | None:
    """Sort key of a standing, lowest first; None for another province's target.

    The unit's own target before a national one (provinces may set stricter targets), a target
    before the plain trend, and among targets the nearest deadline still ahead, else the latest.
    """
    if target_id is None:
        scope = 2
    elif target_province_id is None:
        scope = 1
    elif target_province_id == province_id:
        scope = 0
    else:
        return None
    if deadline is None:
        return (scope, 1, 0)
    day = deadline.toordinal()
    return (scope, 0, day) if day >= reference else (scope, 1, -day)


def headline(rows: Iterable[ProgressRow], today: datetime.date) -> ProgressRow | None:
    """The one standing a dashboard shows for a unit and indicator (see _preference)."""
    reference = today.toordinal()
    best: ProgressRow | None = None
    best_key: tuple[int, int, int] | None = None
    for row in rows:
        key = _preference(row.province_id, row.target_id, row.target_province_id, row.deadline, reference)
        if key is not None and (best_key is None or key < best_key):
            best, best_key = row, key
    return best


def _from_view(view: StandingView) -> ProgressRow:
    """A standing as of a period (tracker.progress.standing_selectors) as the pages read it: the
    value shown is the one the status is about, with its period (another one when the selected
    period has no value: status "no_data_this_period")."""
    return ProgressRow(
        indicator_id=view.indicator_id,
        province_id=view.province_id,
        target_id=view.target_id,
        target_province_id=view.target_province_id,
        deadline=view.deadline,
        status=view.status,
        current_value=view.value,
        current_period=view.value_period,
        baseline_value=view.baseline_value,
        baseline_period=view.baseline_period,
        target_value=view.target_value,
        share_of_way=view.share_of_way,
        projected_value=view.projected_value,
    )


def headline_progress(
    *, indicator_ids: Sequence[int] | None = None, province_id: int | None = None, period: Period | None = None
) -> dict[tuple[int, int], ProgressRow]:
    """{(indicator id, province id): headline standing, with its figures} of current provinces;
    as of `period` when given (the standing of that period, never another's), else the latest."""
    if period is not None:
        views = headline_as_of(
            period,
            indicator_ids=indicator_ids,
            level=Level.PROVINCE,
            province_ids=[province_id] if province_id is not None else None,
        )
        return {
            (indicator_id, unit): _from_view(view) for (indicator_id, unit), view in views.items() if unit is not None
        }
    query = Q(level=Level.PROVINCE)
    if indicator_ids is not None:
        query &= Q(indicator_id__in=list(indicator_ids))
    if province_id is not None:
        query &= Q(province_id=province_id)
    grouped: dict[tuple[int, int], list[ProgressRow]] = defaultdict(list)
    for row in _progress_rows(query):
        if row.province_id is not None:
            grouped[(row.indicator_id, row.province_id)].append(row)
    return headlines(grouped)


def headline_progress_with_nation(
    indicator_id: int, period: Period
) -> tuple[dict[tuple[int, int], ProgressRow], ProgressRow | None]:
    """The provinces' headline standings on one indicator as of the period (as `headline_progress`)
    and the nation's, from one read: the nation is measured against its own targets, also where a
    province is not (a total such as stations: "Không áp dụng")."""
    views = headline_as_of(period, indicator_ids=[indicator_id], level=None)
    provinces = {(i, unit): _from_view(view) for (i, unit), view in views.items() if unit is not None}
    nation = views.get((indicator_id, None))
    return provinces, _from_view(nation) if nation is not None else None


def headline_statuses(*, indicator_ids: Sequence[int], period: Period | None = None) -> dict[tuple[int, int], str]:
    """{(indicator id, province id): status of the headline standing}, for grids of many cells;
    as of `period` when given.

    The same choice as `headline`, on raw tuples: the national grid reads some 4 500 standings
    and a dataclass per row would cost more than the query.
    """
    if period is not None:
        views = headline_as_of(period, indicator_ids=indicator_ids, level=Level.PROVINCE)
        return {(i, unit): view.status for (i, unit), view in views.items() if unit is not None}
    reference = today().toordinal()
    rows = (
        TargetProgress.objects.filter(level=Level.PROVINCE, indicator_id__in=list(indicator_ids))
        .order_by()
        .values_list(*_STATUS_FIELDS)
    )
    best: dict[tuple[int, int], tuple[tuple[int, int, int], str]] = {}
    for indicator_id, province_id, target_id, target_province_id, deadline, status in rows:
        rank = _preference(province_id, target_id, target_province_id, deadline, reference)
        if province_id is None or rank is None:
            continue
        cell = (indicator_id, province_id)
        current = best.get(cell)
        if current is None or rank < current[0]:
            best[cell] = (rank, status)
    return {cell: status for cell, (_rank, status) in best.items()}


def today() -> datetime.date:
    """The day deadlines are compared with (a seam for tests)."""
    return timezone.localdate()


def headlines(
    grouped: dict[tuple[int, int], list[ProgressRow]], reference: datetime.date | None = None
) -> dict[tuple[int, int], ProgressRow]:
    """{cell: the headline of its rows} as of the reference day (today by default)."""
    reference = reference or today()
    out: dict[tuple[int, int], ProgressRow] = {}
    for key, rows in grouped.items():
        chosen = headline(rows, reference)
        if chosen is not None:
            out[key] = chosen
    return out


def province_progress(province_id: int, period: Period | None = None) -> dict[int, list[ProgressRow]]:
    """{indicator id: every standing of the province on it}, as of `period` when given."""
    grouped: dict[int, list[ProgressRow]] = defaultdict(list)
    if period is not None:
        for view in standings_as_of(period, level=Level.PROVINCE, province_ids=[province_id]):
            grouped[view.indicator_id].append(_from_view(view))
        return dict(grouped)
    for row in _progress_rows(Q(level=Level.PROVINCE, province_id=province_id)):
        grouped[row.indicator_id].append(row)
    return dict(grouped)


def target_rows(progress: dict[int, list[ProgressRow]], indicator_id: int, province_id: int) -> list[ProgressRow]:
    """The province's standings against each target of an indicator (2025 and 2030, ...)."""
    rows = [
        row
        for row in progress.get(indicator_id, [])
        if row.target_id is not None and row.target_province_id in (None, province_id)
    ]
    return sorted(rows, key=lambda row: (row.deadline or datetime.date.max, row.target_province_id is None))


def card_from_progress(indicator: Indicator, row: ProgressRow) -> KpiCard:
    return KpiCard(
        indicator_code=indicator.code,
        indicator_name=localized(indicator.name, indicator.name_en),
        unit_label=unit_words(indicator.unit),
        value=row.current_value,
        period=row.current_period,
        target_value=row.target_value,
        deadline=row.deadline,
        baseline_value=row.baseline_value,
        baseline_period=row.baseline_period,
        status=row.status,
        share_of_way=row.share_of_way,
        projected_value=row.projected_value,
    )


# Composite indices ---------------------------------------------------------------------------


def index_periods(index_id: int, until: datetime.date) -> list[str]:
    """The index's latest period starting on or before `until`, and the one before it."""
    return list(
        IndexScore.objects.filter(index_id=index_id, level=Level.PROVINCE, period_start__lte=until)
        .order_by("-period_start")
        .values_list("period", flat=True)
        .distinct()[:2]
    )


def index_scores(index_id: int, periods: Sequence[str]) -> dict[str, dict[int, tuple[Decimal, int | None]]]:
    out: dict[str, dict[int, tuple[Decimal, int | None]]] = {period: {} for period in periods}
    rows = (
        IndexScore.objects.filter(index_id=index_id, level=Level.PROVINCE, period__in=list(periods))
        .order_by()
        .values_list("period", "province_id", "score", "rank")
    )
    for period, province_id, score, position in rows:
        out[period][province_id] = (score, position)
    return out


# Reporting rates -----------------------------------------------------------------------------


def reporting_rows(units: Sequence[Unit], period: Period) -> list[ReportingRow]:
    """Reports owed and received by each current province for forms due in the period."""
    by_province = {unit.pk: ReportingRow(unit=unit) for unit in units}
    rows = (
        ReportingRate.objects.filter(level=Level.PROVINCE, period_start__gte=period.start, period_end__lte=period.end)
        .order_by()
        .values_list("province_id", "expected", "received", "on_time", "approved", "not_due")
    )
    for province_id, expected, received, on_time, approved, not_due in rows:
        row = by_province.get(province_id)
        if row is None:
            continue
        row.expected += expected
        row.received += received
        row.on_time += on_time
        row.approved += approved
        row.not_due += not_due
    return list(by_province.values())


# Preview (submitted, not yet approved figures) -----------------------------------------------

PREVIEW_MONTHS = 12


def preview_values(*, user: Any, province: Province, period: Period) -> dict[tuple[int, str], Decimal | None]:
    """{(indicator id, period): value} as if the province's submitted figures were approved.

    Computed on the fly by tracker.progress (never stored) for the year of the period and the
    twelve months up to it; that service refuses anyone but the ministry and the province's own.
    """
    last = Period.month(period.year, period.last_month)
    first = last
    for _step in range(PREVIEW_MONTHS - 1):
        first = first.previous()
    first = min(first, Period.month(period.year, 1))
    rows = indicator_values_preview(user=user, province=province, first=first, last=last)
    return {
        (row.indicator_id, row.period): row.value
        for row in rows
        if row.level == Level.PROVINCE and row.province_id == province.pk
    }


def preview_points(values: dict[tuple[int, str], Decimal | None], indicator: Indicator) -> list[Point]:
    """The preview's periods of one indicator, in its own periodicity, as a series."""
    points = []
    for (indicator_id, text), value in values.items():
        if indicator_id != indicator.pk:
            continue
        period = _parse(text)
        if period is None or period.periodicity != indicator.periodicity:
            continue
        points.append(Point(period=text, value=value, day=period.end))
    return sorted(points, key=lambda point: point.day)
