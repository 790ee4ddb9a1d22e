"""Provisional values: a national (or merged-province) figure of a period whose units have not all
reported yet (issue 12).

The nation's value for a period is computed from the units that reported (`IndicatorValue.
units_count`); while the period is open it is the sum or ratio of a few provinces, and a series
of such values "drops" at its end. As DHIS2 does with its reporting-rate threshold and Open SDG with
its "provisional" footnotes, such a value is kept but marked, and is not judged:

- expected units of a row = the reporting units of its owner in force at some time in the period
  (`Lineage.contributors`): 34 provinces for the nation in 11/2026, 63 in 2024, 63 + 34 = 97 for
  the year 2025, which the engine computes per segment of units in force; for a current province,
  itself and its predecessors in force in the period (An Giang 2024: former An Giang and Kiên
  Giang), for a merged province only (two predecessors or more): one with a single predecessor is
  the same territory throughout, and its rows are never provisional;
- a value is *complete* when units_count >= threshold × expected, the threshold being the
  setting `TRACKER_COMPLETE_COVERAGE_PERCENT` (default 90 %, DHIS2's customary reporting-rate
  threshold); otherwise it is *provisional*: shown as "Tạm tính: 6/34 tỉnh", drawn hollow and
  dashed in charts, and left out of standings (the standing as of that period is "Chưa có số liệu
  kỳ này" with the latest complete value and its period), so the headline reads the latest
  complete period and says so.

One definition in Python (`Coverage`) for presenters and one in SQL (`complete_sql`) for the engine.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext

from kpis.periods import Period
from provinces.models import Province
from tracker.progress import vocabulary
from tracker.progress.models import IndicatorValue, Level

DEFAULT_THRESHOLD = 90  # percent of the expected units
LOOK_BACK_YEARS = 3  # how far back the headline looks for the latest complete value


def threshold_percent() -> Decimal:
    return Decimal(str(getattr(settings, "TRACKER_COMPLETE_COVERAGE_PERCENT", DEFAULT_THRESHOLD)))


@dataclass(frozen=True)
class Coverage:
    units: int  # units that reported (IndicatorValue.units_count)
    expected: int  # units in force in the period

    @property
    def complete(self) -> bool:
        # units 0: a row that does not say how many units reported (written by hand or before the
        # engine counted them) is taken as it is
        if self.units == 0 or self.expected <= 1:
            return True
        return Decimal(self.units) * 100 >= threshold_percent() * self.expected

    @property
    def provisional(self) -> bool:
        return not self.complete

    @property
    def label(self) -> str:
        """ "Tạm tính: 6/34 tỉnh" for a provisional value, else ""."""
        if self.complete:
            return ""
        return gettext("Tạm tính: %(units)s/%(expected)s tỉnh") % {"units": self.units, "expected": self.expected}


@dataclass(frozen=True)
class _Unit:
    id: int
    successor_id: int | None
    valid_from: datetime.date
    valid_to: datetime.date | None


class ExpectedUnits:
    """Counts the units expected for rows; reads the provinces once."""

    def __init__(self, units: Iterable[_Unit] | None = None) -> None:
        if units is None:
            rows = Province.objects.order_by().values_list("id", "successor_id", "valid_from", "valid_to")
            units = [_Unit(*row) for row in rows]
        self.units = list(units)
        predecessors: dict[int, int] = {}
        for unit in self.units:
            if unit.successor_id is not None:
                predecessors[unit.successor_id] = predecessors.get(unit.successor_id, 0) + 1
        # Merged provinces: a province with one predecessor is the same territory before and after.
        self.merged = {pk for pk, count in predecessors.items() if count >= 2}

    def count(self, province_id: int | None, start: datetime.date, end: datetime.date) -> int:
        return sum(
            1
            for unit in self.units
            if unit.valid_from <= end
            and (unit.valid_to is None or unit.valid_to >= start)
            and (province_id is None or unit.id == province_id or unit.successor_id == province_id)
        )

    def coverage(
        self, level: str, province_id: int | None, start: datetime.date, end: datetime.date, units_count: int
    ) -> Coverage:
        if level == Level.FORMER or (level == Level.PROVINCE and province_id not in self.merged):
            return Coverage(units_count, 1)
        return Coverage(units_count, self.count(None if level == Level.NATIONAL else province_id, start, end))


def _in_force_sql(table: str, units: Iterable[_Unit]) -> str:
    """The number of `units` in force at some time in the row's period, as arithmetic: one term per
    distinct validity (63 former provinces share one, the 34 current ones another), no subquery."""
    validity: dict[tuple[datetime.date, datetime.date | None], int] = {}
    for unit in units:
        validity[(unit.valid_from, unit.valid_to)] = validity.get((unit.valid_from, unit.valid_to), 0) + 1
    terms = []
    for (start, end), count in sorted(validity.items(), key=str):
        overlap = f"{table}.period_end >= '{start.isoformat()}'"
        if end is not None:
            overlap += f" AND {table}.period_start <= '{end.isoformat()}'"
        terms.append(f"(CASE WHEN {overlap} THEN {int(count)} ELSE 0 END)")
    return "(" + " + ".join(terms or ["0"]) + ")"


def complete_sql(table: str) -> tuple[str, list[object]]:
    """A condition on `table` (IndicatorValue's columns) true for complete rows: the engine's copy of
    `ExpectedUnits.coverage(...).complete`. The expected units are written out as arithmetic on the
    row's dates (a correlated count per row doubled the cost of reading the series). A province's
    row from the latest change of units in force on, or of a province that merged no two units, is
    complete without counting."""
    expected_units = ExpectedUnits()
    latest_change = max((unit.valid_from for unit in expected_units.units), default=datetime.date.min)
    merged = sorted(expected_units.merged)
    single = f"{table}.province_id NOT IN ({', '.join(str(int(pk)) for pk in merged)})" if merged else "1 = 1"
    per_province = " ".join(
        f"WHEN {int(pk)} THEN "
        + _in_force_sql(table, [u for u in expected_units.units if pk in (u.id, u.successor_id)])
        for pk in merged
    )
    expected = f"(CASE WHEN {table}.province_id IS NULL THEN {_in_force_sql(table, expected_units.units)} " + (
        f"ELSE (CASE {table}.province_id {per_province} ELSE 1 END) END)" if merged else "ELSE 1 END)"
    )
    sql = (
        f"(CASE WHEN {table}.level = 'former' OR {table}.units_count = 0 THEN 1 "
        f"WHEN {table}.province_id IS NOT NULL AND ({table}.period_start >= %s OR {single}) THEN 1 "
        f"WHEN {expected} <= 1 THEN 1 "
        f"WHEN {table}.units_count * 100 >= %s * {expected} THEN 1 ELSE 0 END) = 1"
    )
    return sql, [connection.ops.adapt_datefield_value(latest_change), float(threshold_percent())]


# The headline: the latest complete value ---------------------------------------------------------


@dataclass(frozen=True)
class NationalHeadline:
    """The nation's value for a period and, when it is provisional (or missing), the latest complete
    value before it with its period: the headline shows the latest complete period and says so."""

    period: str
    value: Decimal | None = None
    coverage: Coverage | None = None  # of `value`
    complete_value: Decimal | None = None
    complete_period: str = ""

    @property
    def provisional(self) -> str:
        """ "Tạm tính: 6/34 tỉnh" (in the active language) when `value` is provisional, else ""."""
        return self.coverage.label if self.coverage is not None else ""

    @property
    def as_of(self) -> str:
        """ "số liệu kỳ 10/2026" when the complete value is another period's, else ""."""
        if not self.complete_period or self.complete_period == self.period:
            return ""
        return vocabulary.as_of(self.complete_period)

    def text(self, show: Callable[[Decimal], str]) -> str:
        """The headline in words, values written by `show` (which adds the unit): "78,1 %";
        "78,1 % (số liệu kỳ 10/2026) · 11/2026: 40 % – Tạm tính: 12/34 tỉnh"; "–" with nothing."""
        if self.value is not None and not self.provisional:
            return show(self.value)
        provisional = ""
        if self.value is not None:
            provisional = gettext("%(period)s: %(value)s – %(coverage)s") % {
                "period": vocabulary.period_label(self.period),
                "value": show(self.value),
                "coverage": self.provisional,
            }
        if self.complete_value is None:
            return provisional or "–"
        complete = f"{show(self.complete_value)} ({self.as_of})"
        return f"{complete} · {provisional}" if provisional else complete


def national_headlines(periods: Mapping[int, Period]) -> dict[int, NationalHeadline]:
    """{indicator id: its national headline as of its own period}. Two queries."""
    if not periods:
        return {}
    latest_end = max(period.end for period in periods.values())
    # a complete value older than this is not a headline any more
    earliest = min(period.start for period in periods.values()).replace(day=1)
    earliest = earliest.replace(year=earliest.year - LOOK_BACK_YEARS)
    rows = (
        IndicatorValue.objects.filter(
            indicator_id__in=list(periods),
            level=Level.NATIONAL,
            province__isnull=True,
            period_end__lte=latest_end,
            period_end__gte=earliest,
            value__isnull=False,
        )
        .order_by("indicator_id", "-period_end")
        .values_list("indicator_id", "periodicity", "period", "value", "period_start", "period_end", "units_count")
    )
    expected = ExpectedUnits()
    out = {pk: NationalHeadline(period=str(period)) for pk, period in periods.items()}
    done: set[int] = set()
    for pk, periodicity, text, value, start, end, units in rows:
        own = periods[pk]
        if pk in done or periodicity != own.periodicity or end > own.end:
            continue
        coverage = expected.coverage(Level.NATIONAL, None, start, end, units)
        if text == str(own):
            out[pk] = NationalHeadline(str(own), value, coverage)
        if coverage.complete:
            head = out[pk]
            out[pk] = NationalHeadline(head.period, head.value, head.coverage, value, text)
            done.add(pk)
    return out
