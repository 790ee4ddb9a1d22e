"""Reads of the commune level's computed tables (issue 17): the one answer to "how do a province's
communes stand" for every presenter (the province and commune pages, the scorecard, exports).

- `commune_standings_as_of(period, province_id=...)`: every (indicator, commune, target or trend)
  as of P, with the rules of `standing_selectors.standings_as_of` one level down: a commune
  without a standing for the indicator's period gets "no_data_this_period" with its latest
  earlier value and that value's period, never another period's judgement.
- `commune_headlines(...)`: the one standing a commune shows per indicator (the same preference
  as `headline_as_of`: the province's own target, then the national one, then the trend).
- `commune_ranking(province, indicator, period)`: a province's communes ranked by value, ties
  sharing a rank (1, 2, 2, 4), those without a value last and unranked, those behind marked.
- `commune_reporting(province, period)`: the province's commune reports, per commune and in total.

Each function issues a fixed number of queries, whatever the number of communes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q

from kpis.models import Indicator
from kpis.periods import Period
from provinces.models import Commune, Province
from tracker.progress import vocabulary
from tracker.progress.models import CommuneIndicatorValue, CommuneReportingRate, CommuneStanding
from tracker.progress.standing_selectors import (
    VIEW_FIELDS,
    StandingView,
    before_own_periods,
    headlines_of,
    indicator_period,
    rank_rows,
    view_fields,
)

COMMUNE_LEVEL = "commune"  # StandingView.level of a commune's standing (not a stored Level)


@dataclass(frozen=True)
class CommuneStandingView(StandingView):
    """A commune's standing: a StandingView whose `province_id` is the commune's province."""

    commune_id: int = 0


_FIELDS = (*VIEW_FIELDS, "commune_id", "target__province_id")
_Key = tuple[int, int, int | None]  # (indicator, commune, target or None)


def _key(row: dict[str, Any]) -> _Key:
    return (row["indicator_id"], row["commune_id"], row["target_id"])


def _view(row: dict[str, Any], shown: str, *, no_data: bool) -> CommuneStandingView:
    """The period's standing, or (no_data) the latest earlier one's value and target facts only."""
    fields = view_fields(
        row, level=COMMUNE_LEVEL, target_province_id=row["target__province_id"], shown=shown, no_data=no_data
    )
    return CommuneStandingView(commune_id=row["commune_id"], **fields)


def _own_periods(period: Period, indicator_ids: Sequence[int] | None) -> dict[int, Period]:
    indicators = Indicator.objects.order_by()
    if indicator_ids is not None:
        indicators = indicators.filter(pk__in=list(indicator_ids))
    return {pk: indicator_period(p, period) for pk, p in indicators.values_list("pk", "periodicity")}


def commune_standings_as_of(
    period: Period,
    *,
    province_id: int,
    indicator_ids: Sequence[int] | None = None,
    commune_ids: Sequence[int] | None = None,
) -> list[CommuneStandingView]:
    """Every standing of a province's communes (or those asked) as of the period: the period's
    own, else the latest earlier one marked "no_data_this_period". Four queries."""
    own = _own_periods(period, indicator_ids)
    if not own:
        return []
    scope = Q(province_id=province_id, indicator_id__in=list(own))
    if commune_ids is not None:
        scope &= Q(commune_id__in=list(commune_ids))
    found: dict[_Key, dict[str, Any]] = {}
    periods = sorted({str(p) for p in own.values()})
    for row in CommuneStanding.objects.filter(scope, period__in=periods).order_by().values(*_FIELDS):
        if row["period"] == str(own[row["indicator_id"]]):
            found[_key(row)] = row
    earlier = _latest_earlier(own, scope)
    views = [_view(row, str(own[key[0]]), no_data=False) for key, row in found.items()]
    views += [_view(row, str(own[key[0]]), no_data=True) for key, row in earlier.items() if key not in found]
    return sorted(views, key=lambda v: (v.indicator_id, v.commune_id, v.target_id or 0))


def _latest_earlier(own: dict[int, Period], scope: Q) -> dict[_Key, dict[str, Any]]:
    """The latest standing before each indicator's period, at its periodicity. Always two queries."""
    before = before_own_periods(own, own)
    latest = (
        CommuneStanding.objects.filter(scope & before)
        .order_by()
        .values("indicator_id", "commune_id", "target_id")
        .annotate(last=Max("period_end"))
    )
    days: dict[_Key, datetime.date] = {
        (row["indicator_id"], row["commune_id"], row["target_id"]): row["last"] for row in latest
    }
    on_days = sorted(set(days.values())) or [datetime.date.min]
    out: dict[_Key, dict[str, Any]] = {}
    for row in CommuneStanding.objects.filter(scope & before, period_end__in=on_days).order_by().values(*_FIELDS):
        if days.get(_key(row)) == row["period_end"]:
            out[_key(row)] = row
    return out


def commune_headlines(
    period: Period,
    *,
    province_id: int,
    indicator_ids: Sequence[int] | None = None,
    commune_ids: Sequence[int] | None = None,
) -> dict[tuple[int, int], CommuneStandingView]:
    """{(indicator id, commune id): the standing the commune shows for the indicator as of P}, by the
    provinces' preference (its province's own target, then the nation's, then the trend)."""
    views = commune_standings_as_of(
        period, province_id=province_id, indicator_ids=indicator_ids, commune_ids=commune_ids
    )
    return headlines_of(views, lambda view: (view.indicator_id, view.commune_id))


def is_behind(status: str | None) -> bool:
    return status in vocabulary.BEHIND_CODES


# Values ----------------------------------------------------------------------------------------


def communes_in(province: Province, period: Period) -> list[Commune]:
    """The province's communes valid at some time in the period, by code (one query)."""
    return list(
        Commune.objects.filter(province=province, valid_from__lte=period.end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
        .order_by("code", "valid_from")
        .only("pk", "code", "name", "kind", "province_id", "valid_from", "valid_to")
    )


def commune_indicator_ids(province_id: int) -> list[int]:
    """The indicators with figures at commune level in the province (one query)."""
    return sorted(
        CommuneIndicatorValue.objects.filter(province_id=province_id)
        .order_by()
        .values_list("indicator_id", flat=True)
        .distinct()
    )


def commune_values(
    province_id: int, periods: Sequence[Period], *, indicator_ids: Sequence[int] | None = None
) -> dict[tuple[int, int, str], Decimal | None]:
    """{(indicator id, commune id, period): value} of a province's communes (one query)."""
    rows = CommuneIndicatorValue.objects.filter(province_id=province_id, period__in=[str(p) for p in periods])
    if indicator_ids is not None:
        rows = rows.filter(indicator_id__in=list(indicator_ids))
    return {
        (indicator_id, commune_id, text): value
        for indicator_id, commune_id, text, value in rows.order_by().values_list(
            "indicator_id", "commune_id", "period", "value"
        )
    }


def commune_series(
    commune_id: int, indicator_id: int, periodicity: str
) -> list[tuple[str, Decimal | None, datetime.date]]:
    """[(period, value, period end)] of one commune and indicator, oldest first (one query)."""
    rows = CommuneIndicatorValue.objects.filter(
        commune_id=commune_id, indicator_id=indicator_id, periodicity=periodicity
    )
    return list(rows.order_by("period_start").values_list("period", "value", "period_end"))


# Ranking ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneRankRow:
    commune_id: int
    code: str
    name: str
    kind: str
    value: Decimal | None
    previous_value: Decimal | None
    rank: int | None  # None: no value for the period (listed last, marked)
    previous_rank: int | None
    change: int | None  # places gained among the communes ranked in both periods
    standing: CommuneStandingView | None

    @property
    def has_value(self) -> bool:
        return self.rank is not None

    @property
    def status(self) -> str:
        if self.standing is not None:
            return self.standing.status
        return "not_available" if self.has_value else vocabulary.NO_DATA_THIS_PERIOD

    @property
    def behind(self) -> bool:
        return is_behind(self.status)


@dataclass(frozen=True)
class CommuneRanking:
    indicator: Indicator
    period: Period  # the indicator's own period for the selected one
    previous: Period
    rows: list[CommuneRankRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def with_value(self) -> int:
        return sum(1 for row in self.rows if row.has_value)

    @property
    def behind(self) -> int:
        return sum(1 for row in self.rows if row.behind)


def commune_ranking(province: Province, indicator: Indicator, period: Period) -> CommuneRanking:
    """The province's communes valid in the period ranked on one indicator, with their headline
    standing as of the period. Six queries (communes, values, the standings' four)."""
    shown = indicator_period(indicator.periodicity, period)
    previous = shown.previous()
    communes = communes_in(province, shown)
    values = commune_values(province.pk, [shown, previous], indicator_ids=[indicator.pk])
    now = {c.pk: values.get((indicator.pk, c.pk, str(shown))) for c in communes}
    before = {c.pk: values.get((indicator.pk, c.pk, str(previous))) for c in communes}
    headlines = commune_headlines(period, province_id=province.pk, indicator_ids=[indicator.pk])
    by_pk = {c.pk: c for c in communes}
    ranked = rank_rows(
        [(c.pk, c.code, c.name) for c in communes],
        now,
        before,
        lower_is_better=indicator.direction == Indicator.Direction.LOWER,
    )
    rows = [
        CommuneRankRow(
            commune_id=row.province_id,
            code=row.code,
            name=row.name,
            kind=by_pk[row.province_id].kind,
            value=row.value,
            previous_value=before.get(row.province_id),
            rank=row.rank,
            previous_rank=row.previous_rank,
            change=row.change,
            standing=headlines.get((indicator.pk, row.province_id)),
        )
        for row in ranked
    ]
    return CommuneRanking(indicator=indicator, period=shown, previous=previous, rows=rows)


# Reporting -------------------------------------------------------------------------------------


@dataclass
class CommuneRates:
    """Commune reports owed and received for the forms of a period (summed over forms)."""

    expected: int = 0
    received: int = 0
    on_time: int = 0
    approved: int = 0
    not_due: int = 0

    @property
    def late(self) -> int:
        return max(self.received - self.on_time, 0)

    @property
    def missing(self) -> int:
        return max(self.expected - self.received - self.not_due, 0)

    def add(self, expected: int, received: int, on_time: int, approved: int, not_due: int) -> None:
        self.expected += expected
        self.received += received
        self.on_time += on_time
        self.approved += approved
        self.not_due += not_due


@dataclass
class ProvinceCommuneRates:
    total: CommuneRates
    by_commune: dict[int, CommuneRates]


def commune_reporting(province_id: int, period: Period, *, commune_id: int | None = None) -> ProvinceCommuneRates:
    """The province's commune reports for forms due within the period (one query): the province's
    total (rows without commune) and each commune's (only `commune_id`'s when given)."""
    rows = CommuneReportingRate.objects.filter(
        province_id=province_id, period_start__gte=period.start, period_end__lte=period.end
    )
    if commune_id is not None:
        rows = rows.filter(Q(commune_id=commune_id) | Q(commune__isnull=True))
    total = CommuneRates()
    by_commune: dict[int, CommuneRates] = defaultdict(CommuneRates)
    for unit, *counts in rows.order_by().values_list(
        "commune_id", "expected", "received", "on_time", "approved", "not_due"
    ):
        (total if unit is None else by_commune[unit]).add(*counts)
    return ProvinceCommuneRates(total=total, by_commune=dict(by_commune))
