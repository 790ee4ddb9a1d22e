"""Target progress rows: every current province and the nation, against every target that applies.

A national target applies to the nation and to every current province (a province is measured
against the national goal); a provincial target applies to its province only. An indicator
without any target for a unit gets one row measured along its trend (no target).

The series is the unit's indicator values at the indicator's own periodicity, for periods that
have ended. The current value is its latest point. The base is the target's baseline value and
period when the target belongs to this very unit; otherwise the unit's first value at or after
the end of the target's baseline period (sdg-build takes the next available year the same way),
or the first value of the series when the target names no baseline period.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django.db.models import Max, Min, Q, QuerySet

from kpis.models import Indicator, Target
from kpis.periods import InvalidPeriod, Period, Periodicity
from tracker.progress.models import IndicatorValue, Level, TargetProgress
from tracker.progress.progress_measure import Observation, measure
from tracker.progress.scope import NATIONAL, UnitKey, keys_q
from tracker.progress.writers import stored, sync_rows

SeriesKey = tuple[int, str, int | None]  # (indicator, level, province)
EARLIEST = datetime.date(1, 1, 1)


def _series(today: datetime.date, keys: list[UnitKey], indicators: list[Indicator]) -> QuerySet[IndicatorValue]:
    """Values of current provinces and the nation at each indicator's own periodicity, ended by today.

    Within these two levels the province alone tells the unit apart (null for the nation), so the
    series below are keyed on integers only.
    """
    provinces = [key.province_id for key in keys if key.level == Level.PROVINCE]
    units = Q(level=Level.PROVINCE, province_id__in=provinces)
    if NATIONAL in keys:
        units |= Q(province__isnull=True)  # the nation's rows, through the province index
    own_periodicity = Q(pk__in=[])
    by_periodicity: dict[str, list[int]] = defaultdict(list)
    for indicator in indicators:
        by_periodicity[indicator.periodicity].append(indicator.pk)
    for periodicity, ids in by_periodicity.items():
        own_periodicity |= Q(periodicity=periodicity, indicator_id__in=ids)
    return IndicatorValue.objects.filter(units, own_periodicity, value__isnull=False, period_end__lte=today).order_by()


class Series:
    """The points progress needs of each unit's series of each indicator: the latest, the first, and
    the first ending on or after each target's baseline cutoff.

    One GROUP BY finds the start of each such point (a series has one point per period start, at
    its indicator's own periodicity); a second query reads the values of the periods found. No
    sort of every point of every series, and a few thousand rows travel instead of all of them."""

    def __init__(self, queryset: QuerySet[IndicatorValue], cutoffs: dict[datetime.date, set[int]]) -> None:
        later = sorted(cutoff for cutoff in cutoffs if cutoff > EARLIEST)
        starts: dict[str, Any] = {"first": Min("period_start"), "latest": Max("period_start")}
        for number, cutoff in enumerate(later):
            since = Q(period_end__gte=cutoff, indicator_id__in=sorted(cutoffs[cutoff]))
            starts[f"since_{number}"] = Min("period_start", filter=since)
        picked: dict[str, dict[SeriesKey, str]] = defaultdict(dict)  # which point -> series -> period
        grouped = queryset.values("indicator_id", "level", "province_id", "periodicity")
        # Annotations named at run time: the stubs' typed rows know only the grouped fields.
        for row in cast(Iterable[dict[str, Any]], grouped.annotate(**starts)):
            key = (row["indicator_id"], row["level"], row["province_id"])
            for name in starts:
                if row[name] is not None:
                    picked[name][key] = str(Period.containing(row[name], Periodicity(row["periodicity"])))
        periods = {period for points in picked.values() for period in points.values()}
        values: dict[tuple[int, str, int | None, str], Decimal] = {
            (indicator_id, level, province_id, period): value
            for indicator_id, level, province_id, period, value in queryset.filter(
                period__in=sorted(periods)
            ).values_list("indicator_id", "level", "province_id", "period", "value")
        }

        def observations(name: str) -> dict[SeriesKey, Observation]:
            return {
                key: Observation(Period.parse(period), values[(*key, period)]) for key, period in picked[name].items()
            }

        self._latest = observations("latest")
        self._first = {EARLIEST: observations("first")}
        self._first.update({cutoff: observations(f"since_{number}") for number, cutoff in enumerate(later)})

    def latest(self, key: SeriesKey) -> Observation | None:
        return self._latest.get(key)

    def first_ending_on_or_after(self, key: SeriesKey, day: datetime.date) -> Observation | None:
        return self._first[day].get(key)


def _cutoff(target: Target | None) -> datetime.date:
    if target is None or not target.baseline_period:
        return EARLIEST
    try:
        return Period.parse(target.baseline_period).end
    except InvalidPeriod:
        return EARLIEST


def _applicable(indicator: Indicator, key: UnitKey) -> list[Target | None]:
    """The targets that apply to the unit, or [None] (measure the trend) when none does."""
    targets = indicator.targets.all()  # prefetched
    if key == NATIONAL:
        found: list[Target | None] = [t for t in targets if t.province_id is None]
    else:
        found = [t for t in targets if t.province_id is None or t.province_id == key.province_id]
    return found or [None]


def compute_target_progress(*, keys: Iterable[UnitKey], today: datetime.date) -> dict[tuple, dict[str, Any]]:
    keys = sorted({key for key in keys if key.level in (Level.PROVINCE, Level.NATIONAL)})
    if not keys:
        return {}
    indicators = list(Indicator.objects.prefetch_related("targets").order_by("pk"))
    cutoffs: dict[datetime.date, set[int]] = defaultdict(set)
    for indicator in indicators:
        for target in [None, *indicator.targets.all()]:
            cutoffs[_cutoff(target)].add(indicator.pk)
    series = Series(_series(today, keys, indicators), cutoffs)
    rows: dict[tuple, dict[str, Any]] = {}
    for indicator in indicators:
        for key in keys:
            series_key = (indicator.pk, key.level, key.province_id)
            current = series.latest(series_key)
            for target in _applicable(indicator, key):
                first = series.first_ending_on_or_after(series_key, _cutoff(target))
                base = _base(target, key, first)
                rows[(indicator.pk, target.pk if target else None, key.level, key.province_id)] = _row(
                    indicator, target, key, base, current
                )
    return rows


def _base(target: Target | None, key: UnitKey, first: Observation | None) -> Observation | None:
    owns = target is not None and target.province_id == key.province_id
    if owns and target is not None and target.baseline_value is not None and target.baseline_period:
        try:
            return Observation(Period.parse(target.baseline_period), target.baseline_value)
        except InvalidPeriod:
            return first
    return first


def _row(
    indicator: Indicator, target: Target | None, key: UnitKey, base: Observation | None, current: Observation | None
) -> dict[str, Any]:
    result = measure(
        base=base,
        current=current,
        target=target.value if target else None,
        deadline=target.deadline if target else None,
        higher_is_better=indicator.direction == Indicator.Direction.HIGHER,
        natural_limit=indicator.natural_limit,
    )
    return {
        "indicator_id": indicator.pk,
        "target_id": target.pk if target else None,
        "level": key.level,
        "province_id": key.province_id,
        "method": TargetProgress.Method.TARGET if target else TargetProgress.Method.TREND,
        "status": str(result.status),
        "current_value": stored(current.value) if current else None,
        "current_period": str(current.period) if current else "",
        "baseline_value": stored(base.value) if base else None,
        "baseline_period": str(base.period) if base else "",
        "target_value": stored(target.value) if target else None,
        "deadline": target.deadline if target else None,
        "share_of_way": stored(result.share_of_way),
        "projected_value": stored(result.projected_value),
        "required_monthly_change": stored(result.required_monthly_change),
        "progress_value": stored(result.progress_value),
        "coefficient": stored(result.coefficient),
    }


COMPARED = [
    "method",
    "status",
    "current_value",
    "current_period",
    "baseline_value",
    "baseline_period",
    "target_value",
    "deadline",
    "share_of_way",
    "projected_value",
    "required_monthly_change",
    "progress_value",
    "coefficient",
]


def write_target_progress(*, keys: Iterable[UnitKey], today: datetime.date, now: datetime.datetime) -> int:
    keys = list(keys)
    return save_target_progress(compute_target_progress(keys=keys, today=today), keys=keys, now=now)


def save_target_progress(rows: dict[tuple, dict[str, Any]], *, keys: Iterable[UnitKey], now: datetime.datetime) -> int:
    """Merge rows computed for the units into the table; rows changed."""
    keys = [key for key in keys if key.level in (Level.PROVINCE, Level.NATIONAL)]
    if not keys:
        return 0
    return sync_rows(
        model=TargetProgress,
        existing=TargetProgress.objects.filter(keys_q(keys)),
        new_rows=rows,
        key=lambda row: (row.indicator_id, row.target_id, row.level, row.province_id),
        compared=COMPARED,
        now=now,
    )
