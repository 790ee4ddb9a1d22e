"""What one recomputation covers: which rows (units) and which periods.

A *reporting unit* is a Province row that submits figures: a former unit before 2025-07-01, a
current unit from then on. A *row owner* (`UnitKey`) is what a computed row belongs to: a current
province (whose series before the merger is the roll-up of its predecessors), a former province
(its own figures only) or the nation (every unit reporting in the period).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from kpis.periods import Period, Periodicity, months_between
from provinces.models import Province
from tracker.progress.models import Level


@dataclass(frozen=True, order=True)
class UnitKey:
    level: str
    province_id: int | None

    @property
    def sql_id(self) -> int:
        # The temporary tables use 0 for the nation so that joins never compare NULLs.
        return self.province_id or 0


NATIONAL = UnitKey(Level.NATIONAL, None)


@dataclass(frozen=True)
class Unit:
    id: int
    valid_from: datetime.date
    valid_to: datetime.date | None
    successor_id: int | None

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def own_key(self) -> UnitKey:
        return UnitKey(Level.PROVINCE if self.is_current else Level.FORMER, self.id)


@dataclass(frozen=True)
class Member:
    """A reporting unit contributing to a row owner's series."""

    key: UnitKey
    unit: Unit
    # Units of the same owner that were in force over the same dates (An Giang and Kiên Giang
    # before the merger): with "none" space aggregation a value passes only when this is 1.
    peers: int
    # No other unit of the owner is ever in force at the same time (a former province for itself,
    # a current province for its series after the merger or before it with one predecessor):
    # outside the periods that span a change of units, the owner's row is this unit's own.
    solo: bool


class Lineage:
    """All units and who rolls up into whom, read once per recomputation."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self.units = {unit.id: unit for unit in units}
        self.predecessors: dict[int, list[Unit]] = defaultdict(list)
        for unit in self.units.values():
            if unit.successor_id is not None and unit.successor_id in self.units:
                self.predecessors[unit.successor_id].append(unit)

    @classmethod
    def load(cls) -> Lineage:
        rows = Province.objects.values_list("id", "valid_from", "valid_to", "successor_id")
        return cls(Unit(*row) for row in rows)

    def all_keys(self) -> list[UnitKey]:
        return [*sorted(unit.own_key for unit in self.units.values()), NATIONAL]

    def keys_touched_by(self, unit_id: int) -> set[UnitKey]:
        """The rows whose figures change when this reporting unit's figures change."""
        unit = self.units.get(unit_id)
        if unit is None:
            return {NATIONAL}
        keys = {unit.own_key, NATIONAL}
        seen = {unit.id}
        while unit.successor_id is not None and unit.successor_id in self.units and unit.successor_id not in seen:
            unit = self.units[unit.successor_id]
            seen.add(unit.id)
            if unit.is_current:
                keys.add(unit.own_key)
        return keys

    def contributors(self, key: UnitKey) -> list[Unit]:
        if key.level == Level.NATIONAL:
            return list(self.units.values())
        unit = self.units.get(key.province_id or 0)
        if unit is None:
            return []
        if key.level == Level.FORMER:
            return [unit]
        return [unit, *self._ancestors(unit.id)]

    def _ancestors(self, unit_id: int) -> list[Unit]:
        out: list[Unit] = []
        seen = {unit_id}
        pending = [unit_id]
        while pending:
            for predecessor in self.predecessors.get(pending.pop(), []):
                if predecessor.id not in seen:
                    seen.add(predecessor.id)
                    out.append(predecessor)
                    pending.append(predecessor.id)
        return out

    def members(self, keys: Iterable[UnitKey]) -> list[Member]:
        members: list[Member] = []
        for key in keys:
            units = self.contributors(key)
            windows: dict[tuple[datetime.date, datetime.date | None], int] = defaultdict(int)
            for unit in units:
                windows[(unit.valid_from, unit.valid_to)] += 1
            members.extend(
                Member(
                    key,
                    unit,
                    windows[(unit.valid_from, unit.valid_to)],
                    solo=not any(other is not unit and _overlap(unit, other) for other in units),
                )
                for unit in units
            )
        return members

    def boundaries(self) -> set[datetime.date]:
        """Days on which some unit came into or went out of force (the merger, mainly)."""
        days = {unit.valid_from for unit in self.units.values()}
        days |= {unit.valid_to + datetime.timedelta(days=1) for unit in self.units.values() if unit.valid_to}
        return days

    def spanning(self, periods: Iterable[Period]) -> list[Period]:
        """Periods during which the set of units in force changes (the year 2025)."""
        days = self.boundaries()
        return [period for period in periods if any(period.start < day <= period.end for day in days)]


def _overlap(one: Unit, other: Unit) -> bool:
    return one.valid_from <= (other.valid_to or datetime.date.max) and other.valid_from <= (
        one.valid_to or datetime.date.max
    )


@dataclass(frozen=True)
class Scope:
    """Periods to recompute and the row owners to recompute them for (None: every owner)."""

    periods: tuple[Period, ...]
    keys: frozenset[UnitKey] | None = None

    @property
    def first_day(self) -> datetime.date:
        return min(period.start for period in self.periods)

    @property
    def last_day(self) -> datetime.date:
        return max(period.end for period in self.periods)

    @property
    def period_texts(self) -> list[str]:
        return [str(period) for period in self.periods]


def periods_of_year(year: int) -> tuple[Period, ...]:
    months = [Period.month(year, m) for m in range(1, 13)]
    quarters = [Period.quarter(year, q) for q in range(1, 5)]
    return (*months, *quarters, Period.of_year(year))


def periods_around(months: Iterable[Period]) -> tuple[Period, ...]:
    """The months given, the quarters and years containing them: what a change in those months moves."""
    out: set[Period] = set()
    for month in months:
        out |= {month, month.quarter_of(), month.year_of()}
    return tuple(sorted(out, key=lambda p: (p.start, p.end)))


def months_of_range(start: datetime.date, end: datetime.date) -> list[Period]:
    if end < start:
        return []
    return months_between(Period.containing(start, Periodicity.MONTHLY), Period.containing(end, Periodicity.MONTHLY))


@dataclass(frozen=True)
class Change:
    unit_id: int
    start: datetime.date
    end: datetime.date


def scopes_for_changes(changes: Iterable[Change], lineage: Lineage) -> list[Scope]:
    """One scope per calendar year touched: the changed months with their quarters and year, for the
    owners whose rows the changed units feed (themselves, their successor, the nation)."""
    months_by_year: dict[int, set[Period]] = defaultdict(set)
    keys_by_year: dict[int, set[UnitKey]] = defaultdict(set)
    for change in changes:
        keys = lineage.keys_touched_by(change.unit_id)
        for month in months_of_range(change.start, change.end):
            months_by_year[month.year].add(month)
            keys_by_year[month.year] |= keys
    return [
        Scope(periods_around(months_by_year[year]), frozenset(keys_by_year[year])) for year in sorted(months_by_year)
    ]


def keys_q(keys: Iterable[UnitKey]) -> Q:
    """Rows of these owners (computed tables identify an owner by level and province)."""
    condition = Q(pk__in=[])
    for key in keys:
        condition |= Q(level=key.level, province_id=key.province_id)
    return condition
