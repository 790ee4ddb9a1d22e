"""Standings as of every period (DESIGN §5.7-5.9): where each unit stands on each indicator, against
each target that applies to it (or along its trend), as of each period that has a value.

For every series of the nation and the current provinces (an indicator's values of one unit at one
periodicity: months, quarters and years alike), the standing as of period P is computed from the
points up to P only (`progress_measure.standing`), and stored in `Standing`. Pages, exports and the
API read these rows for the period they show and never recompute; `TargetProgress` holds the
standing as of each series' latest point at the indicator's own periodicity, from the same rows.

Which targets apply (`applicable_targets`): a unit's own targets always; a target of the nation to
the provinces only when the indicator is intensive (not a total that adds up over units), unless
the target says otherwise (`Target.applies_to`). No applicable target: the trend (method "trend").

The base of a target measured for its own unit with a catalogue baseline is that baseline. Any
other base is a point of the series: for a target naming a baseline period, the first point ending
on or after that period's end; otherwise (a trend, or a target without baseline period) the first
point starting at or after the indicator's base period (sdg-build's `base_year`, default 2015).

The arithmetic runs on floats over plain lists (some 200 000 standings nationally); the database
rounds them to the 10 decimals it keeps. Storing the rows, and finding the series that changed
since they were stored, is `standing_store`'s.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.db import connection

from kpis.models import DataElement, Indicator, Target, target_applies_below
from kpis.periods import InvalidPeriod, Period
from tracker.progress.completeness import complete_sql
from tracker.progress.models import IndicatorValue, Level, ProgressStatus, TargetProgress
from tracker.progress.progress_measure import Outcome, deadline_month_number, month_number, standing
from tracker.progress.scope import NATIONAL, UnitKey
from tracker.progress.series_measure import series_outcomes

LARGEST = 1e20
STREAM_BATCH = 5000
Pair = tuple[int, int | None]  # (indicator, province or None for the nation)
# the plain codes, looked up once per row
STATUS_TEXT: dict[str, str] = {str(status.value): str(status) for status in ProgressStatus}


@dataclass(frozen=True)
class IndicatorRule:
    """What the measure needs of an indicator, read once."""

    id: int
    higher_is_better: bool
    limit: float | None
    extensive: bool
    periodicity: str
    base_start: datetime.date  # first day of the indicator's base period


@dataclass(frozen=True)
class TargetRule:
    id: int
    province_id: int | None
    value: float
    deadline: datetime.date
    deadline_month: int
    applies_to: str
    baseline: tuple[int, float, str] | None  # (month, value, period) the catalogue gives
    baseline_cutoff: datetime.date | None  # end of the target's baseline period


@dataclass
class Series:
    periods: list[str]
    periodicity: str
    starts: list[datetime.date]
    ends: list[datetime.date]
    months: list[int]
    values: list[float]

    def add(self, period: str, start: Any, end: Any, value: float) -> None:
        """Append one point, as the database returns it (dates as dates or ISO text)."""
        end_day = as_date(end)
        self.periods.append(period)
        self.starts.append(as_date(start))
        self.ends.append(end_day)
        self.months.append(end_day.year * 12 + end_day.month)
        self.values.append(value)


def as_date(raw: Any) -> datetime.date:
    return raw if isinstance(raw, datetime.date) else datetime.date.fromisoformat(str(raw)[:10])


def _parse(text: str) -> Period | None:
    try:
        return Period.parse(text) if text else None
    except InvalidPeriod:
        return None


def load_rules() -> tuple[list[IndicatorRule], dict[int, list[TargetRule]]]:
    indicators = list(Indicator.objects.prefetch_related("targets").order_by("pk"))
    aggregations = dict(DataElement.objects.values_list("code", "space_aggregation"))
    rules: list[IndicatorRule] = []
    targets: dict[int, list[TargetRule]] = {}
    for indicator in indicators:
        base = _parse(indicator.effective_base_period) or Period.parse("2015")
        rules.append(
            IndicatorRule(
                id=indicator.pk,
                higher_is_better=indicator.direction == Indicator.Direction.HIGHER,
                limit=float(indicator.natural_limit) if indicator.natural_limit is not None else None,
                extensive=indicator.is_extensive(aggregations),
                periodicity=indicator.periodicity,
                base_start=base.start,
            )
        )
        targets[indicator.pk] = [_target_rule(target) for target in indicator.targets.all()]
    return rules, targets


def _target_rule(target: Target) -> TargetRule:
    period = _parse(target.baseline_period)
    baseline = None
    if period is not None and target.baseline_value is not None:
        baseline = (month_number(period), float(target.baseline_value), str(period))
    return TargetRule(
        id=target.pk,
        province_id=target.province_id,
        value=float(target.value),
        deadline=target.deadline,
        deadline_month=deadline_month_number(target.deadline),
        applies_to=target.applies_to,
        baseline=baseline,
        baseline_cutoff=period.end if period is not None else None,
    )


def applicable_targets(rule: IndicatorRule, targets: Sequence[TargetRule], key: UnitKey) -> list[TargetRule | None]:
    """The targets that apply to the unit, or [None] (measure the trend) when none does."""
    if key == NATIONAL:
        found: list[TargetRule | None] = [t for t in targets if t.province_id is None]
    else:
        found = [
            t
            for t in targets
            if t.province_id == key.province_id
            or (t.province_id is None and target_applies_below(applies_to=t.applies_to, extensive=rule.extensive))
        ]
    return found or [None]


def read_series(
    keys: Sequence[UnitKey], today: datetime.date, indicator_ids: Sequence[int] | None = None
) -> dict[tuple[int, int | None], list[Series]]:
    """{(indicator, province or None): its series, one per periodicity} of the units, ended by today."""
    table = IndicatorValue._meta.db_table
    provinces = [key.province_id for key in keys if key.level == Level.PROVINCE]
    units = []
    params: list[Any] = []
    if provinces:
        units.append(f"(level = 'province' AND province_id IN ({', '.join(['%s'] * len(provinces))}))")
        params += provinces
    if NATIONAL in keys:
        units.append("(level = 'national' AND province_id IS NULL)")
    if not units:
        return {}
    only = ""
    if indicator_ids is not None:
        only = f" AND indicator_id IN ({', '.join(['%s'] * len(indicator_ids))})" if indicator_ids else " AND 1 = 0"
        params += list(indicator_ids)
    real = "double precision" if connection.vendor == "postgresql" else "REAL"
    complete, complete_params = complete_sql(table)  # provisional values are not judged
    sql = (
        f"SELECT indicator_id, province_id, periodicity, period, period_start, period_end, CAST(value AS {real}) "  # noqa: S608
        f"FROM {table} WHERE ({' OR '.join(units)}){only} AND value IS NOT NULL AND period_end <= %s "
        f"AND {complete} ORDER BY indicator_id, province_id, periodicity, period_end"
    )
    params += [connection.ops.adapt_datefield_value(today), *complete_params]
    out: dict[tuple[int, int | None], list[Series]] = defaultdict(list)
    current_key: tuple[int, int | None, str] | None = None
    series: Series | None = None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for indicator_id, province_id, periodicity, period, start, end, value in cursor.fetchall():
            key = (indicator_id, province_id, periodicity)
            if key != current_key or series is None:
                current_key = key
                series = Series([], periodicity, [], [], [], [])
                out[(indicator_id, province_id)].append(series)
            series.add(period, start, end, value)
    return out


def _base(
    series: Series, rule: IndicatorRule, target: TargetRule | None, own_target: bool
) -> tuple[int, float, str] | None:
    if target is not None and target.baseline is not None and own_target:
        return target.baseline
    if target is not None and target.baseline_cutoff is not None:
        index = bisect.bisect_left(series.ends, target.baseline_cutoff)
    else:
        index = bisect.bisect_left(series.starts, rule.base_start)
    if index >= len(series.months):
        return None
    return series.months[index], series.values[index], series.periods[index]


class StandingRow(NamedTuple):  # a tuple: some 200 000 are built per full run
    indicator_id: int
    target_id: int | None
    level: str
    province_id: int | None
    period: str
    periodicity: str
    period_end: datetime.date
    status: str
    final: bool
    flag: str
    value: float | None
    value_period: str
    period_value: float | None
    baseline_value: float | None
    baseline_period: str
    target_value: float | None
    deadline: datetime.date | None
    share_of_way: float | None
    projected_value: float | None
    required_monthly_change: float | None
    progress_value: float | None
    coefficient: float | None  # kept in TargetProgress only


COLUMNS = [
    "indicator_id",
    "target_id",
    "level",
    "province_id",
    "period",
    "periodicity",
    "period_end",
    "status",
    "final",
    "flag",
    "value",
    "value_period",
    "period_value",
    "baseline_value",
    "baseline_period",
    "target_value",
    "deadline",
    "share_of_way",
    "projected_value",
    "required_monthly_change",
    "progress_value",
]


def _row(
    series: Series,
    index: int,
    outcome: Outcome,
    rule: IndicatorRule,
    target: TargetRule | None,
    key: UnitKey,
    base: tuple[int, float, str] | None,
) -> StandingRow:
    # Built positionally, in StandingRow's order: some 200 000 rows per full run.
    used = outcome.used_index if outcome.used_index >= 0 else index  # after the deadline: at it
    month = series.months[index]
    if base is not None and base[0] > month:
        base = None
    if outcome.flag:  # data quality: no figures beside the flag
        share = projected = required = progress = None
    else:
        share, projected = _kept(outcome.share), _kept(outcome.projected)
        required, progress = _kept(outcome.required_change), _kept(outcome.progress)
    return StandingRow(
        rule.id,
        target.id if target else None,
        key.level,
        key.province_id,
        series.periods[index],
        series.periodicity,
        series.ends[index],
        STATUS_TEXT.get(outcome.status) or str(outcome.status),
        outcome.final,
        outcome.flag,
        series.values[used],
        series.periods[used],
        series.values[index],
        base[1] if base else None,
        base[2] if base else "",
        target.value if target else None,
        target.deadline if target else None,
        share,
        projected,
        required,
        progress,
        _kept(outcome.coefficient),
    )


def _kept(value: float | None) -> float | None:
    """A float numeric(30, 10) can keep (20 integer digits), else none (NaN fails the comparison)."""
    if value is None or not -LARGEST < value < LARGEST:
        return None
    return value


def series_standings(
    series: Series,
    rule: IndicatorRule,
    target: TargetRule | None,
    key: UnitKey,
    *,
    start: int = 0,
    reference: bool = False,
    own_target: bool | None = None,
) -> list[StandingRow]:
    """The standings of one unit's series of an indicator against one target that applies to the unit
    (None: along its trend), as of each point of the series from `start` on. `own_target`: the target
    was set for this very unit, so its catalogue baseline is the base (by default: the target's
    province is the unit's; the commune engine, whose `key` names a commune, says no).

    Measured in one pass over the series (`series_measure.series_outcomes`); with `reference`, point
    by point through `progress_measure.standing`, which the one pass is tested to equal exactly."""
    if own_target is None:
        own_target = target is not None and target.province_id == key.province_id
    base = _base(series, rule, target, own_target)
    base_point = (base[0], base[1]) if base else None
    arguments: dict[str, Any] = {
        "months": series.months,
        "values": series.values,
        "base": base_point,
        "target": target.value if target else None,
        "deadline_month": target.deadline_month if target else None,
        "higher_is_better": rule.higher_is_better,
        "limit": rule.limit,
        "extensive": rule.extensive,
    }
    if reference:
        outcomes = [standing(index=index, **arguments) for index in range(start, len(series.months))]
        return [_row(series, index, outcome, rule, target, key, base) for index, outcome in enumerate(outcomes, start)]
    return _rows(series, start, series_outcomes(start=start, **arguments), rule, target, key, base)


def _rows(
    series: Series,
    start: int,
    outcomes: list[Outcome],
    rule: IndicatorRule,
    target: TargetRule | None,
    key: UnitKey,
    base: tuple[int, float, str] | None,
) -> list[StandingRow]:
    """`_row` of each outcome, from point `start` on, with what the rows of a series share looked up
    once (tested equal to `_row`'s rows)."""
    months, periods, ends, values, periodicity = (
        series.months,
        series.periods,
        series.ends,
        series.values,
        series.periodicity,
    )
    rule_id, target_id, level, province_id = rule.id, target.id if target else None, key.level, key.province_id
    target_value, deadline = (target.value, target.deadline) if target else (None, None)
    base_month, base_value, base_period = base if base is not None else (0, None, "")
    new = tuple.__new__
    rows: list[StandingRow] = []
    append = rows.append
    for index, (status, progress, coefficient, share, projected, required, final, flag, used) in enumerate(
        outcomes, start
    ):
        if used < 0:
            used = index  # after the deadline: at it
        if flag:  # data quality: no figures beside the flag
            share = projected = required = progress = None
        else:
            share = share if share is not None and -LARGEST < share < LARGEST else None
            projected = projected if projected is not None and -LARGEST < projected < LARGEST else None
            required = required if required is not None and -LARGEST < required < LARGEST else None
            progress = progress if progress is not None and -LARGEST < progress < LARGEST else None
        active = base is not None and base_month <= months[index]
        row = (
            rule_id,
            target_id,
            level,
            province_id,
            periods[index],
            periodicity,
            ends[index],
            STATUS_TEXT.get(status) or str(status),
            final,
            flag,
            values[used],
            periods[used],
            values[index],
            base_value if active else None,
            base_period if active else "",
            target_value,
            deadline,
            share,
            projected,
            required,
            progress,
            coefficient if coefficient is not None and -LARGEST < coefficient < LARGEST else None,
        )
        append(new(StandingRow, row))
    return rows


@dataclass
class Computed:
    """Every standing of the units, and which one is each (indicator, unit, target)'s latest at the
    indicator's own periodicity (what TargetProgress keeps)."""

    rows: list[StandingRow]
    latest: dict[tuple[int, int | None, str, int | None], StandingRow | None]
    keys: list[UnitKey]
    targets: dict[int, list[TargetRule]]
    pairs: set[Pair]  # the (indicator, province or None) whose standings these are, all of them
    # per pair, the end of the first period recomputed (rows of earlier periods are left as stored)
    since: dict[Pair, datetime.date] = field(default_factory=dict)
    written: bool = False  # the rows are in the table already (a first fill, see standing_store.fill_standings)


def compute_standings(
    *,
    keys: Iterable[UnitKey],
    today: datetime.date,
    pairs: set[Pair] | None = None,
    loaded: tuple[list[IndicatorRule], dict[int, list[TargetRule]]] | None = None,
    since: dict[Pair, datetime.date] | None = None,
    reference: bool = False,
    stream: Callable[[list[StandingRow]], None] | None = None,
    all_series: dict[Pair, list[Series]] | None = None,
) -> Computed:
    """The standings of the units' series, of every indicator or of the (indicator, unit) pairs given;
    of a pair in `since`, only those as of the periods ending on or after its date. `reference`:
    measured point by point (see `series_standings`). `stream`: given the rows as they come, in
    batches (they are kept in the result too). `all_series`: the units' series, read already."""
    keys = sorted({key for key in keys if key.level in (Level.PROVINCE, Level.NATIONAL)})
    rules, targets = loaded or load_rules()
    if pairs is None:
        pairs = {(rule.id, key.province_id) for rule in rules for key in keys}
    else:
        provinces = {key.province_id for key in keys}
        pairs = {pair for pair in pairs if pair[1] in provinces}
    if not keys or not pairs:
        return Computed([], {}, [], targets, set())
    since = {pair: day for pair, day in (since or {}).items() if pair in pairs}
    if all_series is None:
        all_series = read_series(keys, today, sorted({pair[0] for pair in pairs}))
    rows: list[StandingRow] = []
    streamed = 0
    latest: dict[tuple[int, int | None, str, int | None], StandingRow | None] = {}
    for rule in rules:
        for key in keys:
            if (rule.id, key.province_id) not in pairs:
                continue
            unit_series = all_series.get((rule.id, key.province_id), [])
            cutoff = since.get((rule.id, key.province_id))
            for target in applicable_targets(rule, targets[rule.id], key):
                latest_key = (rule.id, target.id if target else None, key.level, key.province_id)
                latest[latest_key] = None
                for series in unit_series:
                    count = len(series.months)
                    first = bisect.bisect_left(series.ends, cutoff) if cutoff is not None else 0
                    # the latest point is always computed: target progress keeps its standing
                    computed = series_standings(
                        series, rule, target, key, start=max(0, min(first, count - 1)), reference=reference
                    )
                    if first < count:
                        rows.extend(computed)
                        if stream is not None and len(rows) - streamed >= STREAM_BATCH:
                            stream(rows[streamed:])
                            streamed = len(rows)
                    if series.periodicity == rule.periodicity:
                        latest[latest_key] = computed[-1] if computed else None
    if stream is not None and len(rows) > streamed:
        stream(rows[streamed:])
    return Computed(rows, latest, keys, targets, pairs, since)


def progress_rows(computed: Computed) -> dict[tuple, dict[str, Any]]:
    """TargetProgress rows: each (indicator, target, unit)'s standing as of its latest point."""
    out: dict[tuple, dict[str, Any]] = {}
    targets = {t.id: t for rules in computed.targets.values() for t in rules}
    for (indicator_id, target_id, level, province_id), row in computed.latest.items():
        target = targets.get(target_id) if target_id else None
        out[(indicator_id, target_id, level, province_id)] = {
            "indicator_id": indicator_id,
            "target_id": target_id,
            "level": level,
            "province_id": province_id,
            "method": TargetProgress.Method.TARGET if target_id else TargetProgress.Method.TREND,
            **_progress_fields(row, target),
        }
    return out


def _decimal(value: float | None) -> Decimal | None:
    """As numeric(30, 10) keeps a float (PostgreSQL rounds half away from zero)."""
    return None if value is None else Decimal(repr(value)).quantize(Decimal("1e-10"), rounding=ROUND_HALF_UP)


def _progress_fields(row: StandingRow | None, target: TargetRule | None) -> dict[str, Any]:
    if row is None:
        return {
            "status": "not_available",
            "current_value": None,
            "current_period": "",
            "baseline_value": None,
            "baseline_period": "",
            "target_value": _decimal(target.value) if target else None,
            "deadline": target.deadline if target else None,
            "share_of_way": None,
            "projected_value": None,
            "required_monthly_change": None,
            "progress_value": None,
            "coefficient": None,
        }
    return {
        "status": row.status,
        "current_value": _decimal(row.value),
        "current_period": row.value_period,
        "baseline_value": _decimal(row.baseline_value),
        "baseline_period": row.baseline_period,
        "target_value": _decimal(row.target_value),
        "deadline": row.deadline,
        "share_of_way": _decimal(row.share_of_way),
        "projected_value": _decimal(row.projected_value),
        "required_monthly_change": _decimal(row.required_monthly_change),
        "progress_value": _decimal(row.progress_value),
        "coefficient": _decimal(row.coefficient),
    }
