"""Reads of standings as of a period: the one answer to "where does this unit stand on this
indicator, as of period P" for every presenter (pages, exports, API, notifications).

- `standings_as_of(period, ...)`: every (indicator, unit, applicable target or trend) as of P.
- `headline_as_of(period, ...)`: the one standing a unit shows per indicator as of P.
- `ranking_as_of(indicator, period)`: every current province ranked by its value for P.
- `target_applies(...)`: whether a target applies to a unit ("Không áp dụng" where not).

The indicator's own period for a selected period P is P itself, or the quarter or year P falls in
when the indicator is quarterly or yearly, or when P is a quarter or year (a month's indicator
shown for a quarter takes the quarter's value). A unit without a value for that period gets the
status "no_data_this_period" with its latest earlier value and that value's period, never the
standing of another period as if it were this one. Each function issues a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Max, Q

from kpis.models import Indicator, Target, target_applies_below
from kpis.periods import Period, Periodicity
from provinces.models import Province
from tracker.progress import vocabulary
from tracker.progress.models import IndicatorValue, Level, Standing, TargetProgress

StandingKey = tuple[int, int | None, int | None]  # (indicator, province or None, target or None)
Cell = TypeVar("Cell")


@dataclass(frozen=True)
class StandingView:
    """A standing as presenters show it. `period` is the indicator's period for the selected one;
    `value_period` the period of `value` (another one when this period has no value, or after the
    target's deadline, when the value at the deadline decided)."""

    indicator_id: int
    level: str
    province_id: int | None
    target_id: int | None
    target_province_id: int | None
    period: str
    status: str
    value: Decimal | None = None
    value_period: str = ""
    baseline_value: Decimal | None = None
    baseline_period: str = ""
    target_value: Decimal | None = None
    deadline: datetime.date | None = None
    share_of_way: Decimal | None = None
    projected_value: Decimal | None = None
    required_monthly_change: Decimal | None = None
    progress_value: Decimal | None = None
    final: bool = False
    flag: str = ""

    @property
    def label(self) -> str:
        return vocabulary.status_label(self.status)

    @property
    def has_value_this_period(self) -> bool:
        return self.status != vocabulary.NO_DATA_THIS_PERIOD and self.value is not None

    @property
    def as_of(self) -> str:
        """ "số liệu kỳ 08/2026" when the value shown is not the selected period's own, else ""."""
        if not self.value_period or self.value_period == self.period:
            return ""
        return vocabulary.as_of(self.value_period)


View = TypeVar("View", bound=StandingView)


def indicator_period(periodicity: str, selected: Period) -> Period:
    """The period of an indicator's own periodicity that a selected period falls in (see module)."""
    if periodicity == Periodicity.YEARLY or selected.periodicity == Periodicity.YEARLY:
        return selected.year_of()
    if periodicity == Periodicity.QUARTERLY or selected.periodicity == Periodicity.QUARTERLY:
        return selected.quarter_of()
    return selected


# What a standing row is read with at every level (each adds its unit's own columns).
VIEW_FIELDS = (
    "indicator_id",
    "province_id",
    "target_id",
    "period",
    "periodicity",
    "period_end",
    "status",
    "value",
    "value_period",
    "baseline_value",
    "baseline_period",
    "target_value",
    "deadline",
    "share_of_way",
    "projected_value",
    "required_monthly_change",
    "progress_value",
    "final",
    "flag",
)
_FIELDS = (*VIEW_FIELDS, "level")


def view_fields(
    row: dict[str, Any], *, level: str, target_province_id: int | None, shown: str, no_data: bool
) -> dict[str, Any]:
    """StandingView's fields of a stored row (of VIEW_FIELDS) shown for the period `shown`. `no_data`:
    the period has no value, so only the latest earlier value and its period and the target's
    facts, none of the earlier period's judgements."""
    fields: dict[str, Any] = {
        "indicator_id": row["indicator_id"],
        "level": level,
        "province_id": row["province_id"],
        "target_id": row["target_id"],
        "target_province_id": target_province_id,
        "period": shown,
        "value": row["value"],
        "value_period": row["value_period"],
        "baseline_value": row["baseline_value"],
        "baseline_period": row["baseline_period"],
        "target_value": row["target_value"],
        "deadline": row["deadline"],
    }
    if no_data:
        fields["status"] = vocabulary.NO_DATA_THIS_PERIOD
        return fields
    fields.update(
        status=row["status"],
        share_of_way=row["share_of_way"],
        projected_value=row["projected_value"],
        required_monthly_change=row["required_monthly_change"],
        progress_value=row["progress_value"],
        final=row["final"],
        flag=row["flag"],
    )
    return fields


def before_own_periods(own: Mapping[int, Period], indicator_ids: Iterable[int]) -> Q:
    """The rows of the indicators at their own periodicity ending before their own period starts;
    with no indicator, a Q that matches nothing but still asks the database (fixed query counts)."""
    by_period: dict[Period, list[int]] = defaultdict(list)
    for indicator_id in sorted(set(indicator_ids)):
        by_period[own[indicator_id]].append(indicator_id)
    before = Q(indicator_id=-1)
    for shown, ids in by_period.items():
        before |= Q(indicator_id__in=ids, periodicity=shown.periodicity, period_end__lt=shown.start)
    return before


def _unit_filter(level: str | None, province_ids: Sequence[int] | None) -> Q:
    query = Q()
    if level is not None:
        query &= Q(level=level)
    else:
        query &= Q(level__in=[Level.PROVINCE, Level.NATIONAL])
    if province_ids is not None:
        query &= Q(province_id__in=list(province_ids))
    return query


def standings_as_of(
    period: Period,
    *,
    indicator_ids: Sequence[int] | None = None,
    level: str | None = None,
    province_ids: Sequence[int] | None = None,
) -> list[StandingView]:
    """Every standing of the units (current provinces and the nation, or those asked) as of the
    period: one per applicable target, or the trend where none applies. Four queries."""
    indicators = Indicator.objects.order_by()
    if indicator_ids is not None:
        indicators = indicators.filter(pk__in=list(indicator_ids))
    own: dict[int, Period] = {pk: indicator_period(p, period) for pk, p in indicators.values_list("pk", "periodicity")}
    if not own:
        return []
    units = _unit_filter(level, province_ids)
    # the nation's targets come along whatever the units asked, to tell a province which of them
    # do not apply to it (same query)
    national_targets = Q(level=Level.NATIONAL, target__isnull=False, target__province__isnull=True)
    plan = (
        TargetProgress.objects.filter(units | national_targets, indicator_id__in=list(own))
        .order_by("indicator_id", "level", "province_id", "target_id")
        .values_list("indicator_id", "level", "province_id", "target_id", "target__province_id")
    )
    found: dict[StandingKey, dict[str, Any]] = {}
    periods = sorted({str(p) for p in own.values()})
    for row in Standing.objects.filter(units, indicator_id__in=list(own), period__in=periods).values(*_FIELDS):
        if row["period"] == str(own[row["indicator_id"]]):
            found[(row["indicator_id"], row["province_id"], row["target_id"])] = row
    plan_rows = []
    nation_set: dict[int, list[int]] = defaultdict(list)
    for indicator_id, unit_level, province_id, target_id, target_province_id in plan:
        if unit_level == Level.NATIONAL and target_id is not None and target_province_id is None:
            nation_set[indicator_id].append(target_id)
        if (level is None or unit_level == level) and (province_ids is None or province_id in province_ids):
            plan_rows.append((indicator_id, unit_level, province_id, target_id, target_province_id))
    missing: list[StandingKey] = [
        (indicator_id, province_id, target_id)
        for indicator_id, _level, province_id, target_id, _tp in plan_rows
        if (indicator_id, province_id, target_id) not in found
    ]
    earlier = _latest_earlier(missing, own, units)
    views = []
    for indicator_id, unit_level, province_id, target_id, target_province_id in plan_rows:
        key = (indicator_id, province_id, target_id)
        shown = str(own[indicator_id])
        if key in found:
            views.append(_view(found[key], target_province_id, shown))
        elif key in earlier:
            views.append(_no_data_view(earlier[key], target_province_id, shown))
        else:
            views.append(
                StandingView(
                    indicator_id=indicator_id,
                    level=unit_level,
                    province_id=province_id,
                    target_id=target_id,
                    target_province_id=target_province_id,
                    period=shown,
                    status=vocabulary.NO_DATA_THIS_PERIOD,
                )
            )
    return views + _not_applicable(views, nation_set)


# Statuses that speak of the value itself, not of progress: they stay, whichever target applies.
_ABOUT_THE_VALUE = (vocabulary.NO_DATA_THIS_PERIOD, "data_quality")


def _not_applicable(views: list[StandingView], nation_set: dict[int, list[int]]) -> list[StandingView]:
    """A standing "not_applicable" for each target the nation set that a province is not measured
    against (a total such as stations, or a target for the nation only, DESIGN §5.8): the engine
    gives such a province no row for the target, only its trend (or its own target). The
    province's value and its period stay (and "no data this period" or "data to be checked", which
    speak of the value); not the nation's target value nor its deadline (they are not the
    province's), no share of the way, projection or judgement."""
    measured: dict[tuple[int, int], list[StandingView]] = defaultdict(list)
    for view in views:
        if view.province_id is not None:
            measured[(view.indicator_id, view.province_id)].append(view)
    out = []
    for (indicator_id, province_id), own_views in measured.items():
        against = {view.target_id for view in own_views}
        source = min(own_views, key=lambda view: view.target_id is not None)  # the trend first
        for target_id in nation_set.get(indicator_id, []):
            if target_id in against:
                continue
            out.append(
                StandingView(
                    indicator_id=indicator_id,
                    level=source.level,
                    province_id=province_id,
                    target_id=target_id,
                    target_province_id=None,
                    period=source.period,
                    status=source.status if source.status in _ABOUT_THE_VALUE else vocabulary.NOT_APPLICABLE,
                    value=source.value,
                    value_period=source.value_period,
                    flag=source.flag,
                )
            )
    return out


def _latest_earlier(missing: list[StandingKey], own: dict[int, Period], units: Q) -> dict[StandingKey, dict[str, Any]]:
    """The latest standing before the indicator's period, at its periodicity, of each key missing.
    Always two queries (even with nothing missing), so that a page's query count is fixed."""
    before = before_own_periods(own, {key[0] for key in missing})
    wanted = set(missing)
    provinces = sorted({key[1] for key in missing if key[1] is not None}) or [-1]
    scope = units & before & (Q(province_id__in=provinces) | Q(province__isnull=True))
    latest = (
        Standing.objects.filter(scope)
        .order_by()
        .values("indicator_id", "province_id", "target_id", "periodicity")
        .annotate(last=Max("period_end"))
    )
    days = {}
    for row in latest:
        key = (row["indicator_id"], row["province_id"], row["target_id"])
        if key in wanted:
            days[key] = row["last"]
    out: dict[StandingKey, dict[str, Any]] = {}
    on_days = sorted(set(days.values())) or [datetime.date.min]
    for row in Standing.objects.filter(scope, period_end__in=on_days).values(*_FIELDS):
        key = (row["indicator_id"], row["province_id"], row["target_id"])
        if days.get(key) == row["period_end"]:
            out[key] = row
    return out


def _view(row: dict[str, Any], target_province_id: int | None, shown: str) -> StandingView:
    return StandingView(
        **view_fields(row, level=row["level"], target_province_id=target_province_id, shown=shown, no_data=False)
    )


def _no_data_view(row: dict[str, Any], target_province_id: int | None, shown: str) -> StandingView:
    return StandingView(
        **view_fields(row, level=row["level"], target_province_id=target_province_id, shown=shown, no_data=True)
    )


def _preference(view: StandingView, reference_month: int) -> tuple[int, int, int] | None:
    """Sort key of a standing, lowest first; None for another province's target.

    The unit's own target before a national one, a target before the plain trend, and among
    targets the nearest deadline not yet passed as of the period (so 2030 after 2025 has passed),
    else the latest."""
    if view.target_id is None:
        scope = 2
    elif view.target_province_id is None:
        scope = 1 if view.province_id is not None else 0
    elif view.target_province_id == view.province_id:
        scope = 0
    else:
        return None
    if view.deadline is None:
        return (scope, 1, 0)
    month = view.deadline.year * 12 + view.deadline.month
    return (scope, 0, month) if month >= reference_month else (scope, 1, -month)


def headline_as_of(
    period: Period,
    *,
    indicator_ids: Sequence[int] | None = None,
    level: str | None = Level.PROVINCE,
    province_ids: Sequence[int] | None = None,
) -> dict[tuple[int, int | None], StandingView]:
    """{(indicator id, province id or None): the standing a unit shows for the indicator as of P}."""
    views = standings_as_of(period, indicator_ids=indicator_ids, level=level, province_ids=province_ids)
    return headlines_of(views, lambda view: (view.indicator_id, view.province_id))


def headlines_of(views: Iterable[View], cell: Callable[[View], Cell]) -> dict[Cell, View]:
    """{cell: the one standing of the cell's views that `_preference` puts first as of its period}."""
    best: dict[Cell, tuple[tuple[int, int, int], View]] = {}
    for view in views:
        shown = Period.parse(view.period)
        key = _preference(view, shown.year * 12 + shown.last_month)
        if key is None:
            continue
        place = cell(view)
        current = best.get(place)
        if current is None or key < current[0]:
            best[place] = (key, view)
    return {place: view for place, (_key, view) in best.items()}


def target_applies(target: Target, province_id: int | None) -> bool:
    """Whether the target applies to the unit (None: the nation); reads the indicator's elements."""
    if target.province_id == province_id:
        return True
    if target.province_id is not None:
        return False
    return province_id is not None and target_applies_below(
        applies_to=target.applies_to, extensive=target.indicator.is_extensive()
    )


# Rankings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    province_id: int
    code: str
    name: str
    value: Decimal | None
    rank: int | None  # None: no value for the period (listed last, marked)
    previous_rank: int | None
    change: int | None  # places gained since the previous period; only if ranked in both

    @property
    def has_value(self) -> bool:
        return self.rank is not None


def competition_ranks(values: Mapping[int, Decimal | None], *, lower_is_better: bool) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) of units by value, best first; units without value unranked."""
    present = sorted(
        ((value, unit) for unit, value in values.items() if value is not None),
        key=lambda pair: pair[0] if lower_is_better else -pair[0],
    )
    ranks: dict[int, int] = {}
    previous: Decimal | None = None
    current_rank = 0
    for position, (value, unit) in enumerate(present, start=1):
        if value != previous:
            current_rank = position
            previous = value
        ranks[unit] = current_rank
    return ranks


def rank_rows(
    units: Iterable[tuple[int, str, str]],
    now: Mapping[int, Decimal | None],
    before: Mapping[int, Decimal | None],
    *,
    lower_is_better: bool,
) -> list[RankRow]:
    """Every unit: the ranked ones by rank, then those without a value for the period (by code).
    The previous period is ranked among the units that have a value in both periods, so a change
    compares like with like."""
    units = list(units)
    ranks = competition_ranks(now, lower_is_better=lower_is_better)
    both = {unit for unit in ranks if before.get(unit) is not None}
    ranks_both_now = competition_ranks({u: now[u] for u in both}, lower_is_better=lower_is_better)
    ranks_both_before = competition_ranks({u: before[u] for u in both}, lower_is_better=lower_is_better)
    rows = [
        RankRow(
            province_id=pk,
            code=code,
            name=name,
            value=now.get(pk),
            rank=ranks.get(pk),
            previous_rank=ranks_both_before.get(pk),
            change=(ranks_both_before[pk] - ranks_both_now[pk]) if pk in both else None,
        )
        for pk, code, name in units
    ]
    return sorted(rows, key=lambda row: (row.rank is None, row.rank or 0, row.code))


def ranking_as_of(indicator: Indicator, period: Period) -> list[RankRow]:
    """Every current province ranked by the indicator's value for the period (its own periodicity),
    with the change since the period before among provinces ranked in both. Two queries."""
    shown = indicator_period(indicator.periodicity, period)
    previous = shown.previous()
    units = list(Province.objects.current().order_by("code").values_list("pk", "code", "name"))
    now: dict[int, Decimal | None] = {}
    before: dict[int, Decimal | None] = {}
    rows = IndicatorValue.objects.filter(
        indicator=indicator, level=Level.PROVINCE, period__in=[str(shown), str(previous)]
    ).values_list("province_id", "period", "value")
    for province_id, row_period, value in rows:
        (now if row_period == str(shown) else before)[province_id] = value
    return rank_rows(units, now, before, lower_is_better=indicator.direction == Indicator.Direction.LOWER)


# The API's rows ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandingRecord:
    """A StandingView with the codes and names the API shows."""

    view: StandingView
    indicator_code: str
    province_code: str | None
    province_name: str | None
    target_scope: str  # "own_unit" (the target's own unit), "every_unit" (a national target applied below), ""

    @property
    def flag_label(self) -> str:
        return vocabulary.flag_label(self.view.flag) if self.view.flag else ""


def standing_records(
    period: Period,
    *,
    indicator: str | None = None,
    level: str | None = None,
    province: str | None = None,
    headline_only: bool = False,
) -> list[StandingRecord]:
    """Standings as of the period for the API, filtered by codes, in indicator and unit order."""
    indicators = dict(Indicator.objects.order_by().values_list("pk", "code"))
    indicator_ids = [pk for pk, code in indicators.items() if code == indicator] if indicator else None
    provinces = {pk: (code, name) for pk, code, name in Province.objects.current().values_list("pk", "code", "name")}
    province_ids = [pk for pk, (code, _name) in provinces.items() if code == province] if province else None
    if province_ids is not None and level is None:
        level = Level.PROVINCE
    if headline_only:
        views = list(
            headline_as_of(period, indicator_ids=indicator_ids, level=level, province_ids=province_ids).values()
        )
    else:
        views = standings_as_of(period, indicator_ids=indicator_ids, level=level, province_ids=province_ids)
    records = []
    for view in views:
        code, name = provinces.get(view.province_id, (None, None)) if view.province_id else (None, None)
        if view.target_id is None:
            scope = ""
        elif (
            view.target_province_id is None
            and view.province_id is not None
            and view.status != vocabulary.NOT_APPLICABLE
        ):
            scope = "every_unit"
        else:
            scope = "own_unit"
        records.append(StandingRecord(view, indicators[view.indicator_id], code, name, scope))
    return sorted(
        records,
        key=lambda r: (
            r.indicator_code,
            r.view.level != Level.NATIONAL,
            r.province_code or "",
            r.view.deadline or datetime.date.max,
        ),
    )
