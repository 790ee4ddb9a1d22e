"""Plain rows the selectors return and the figures draw: no ORM objects past this line.

Keeping figures free of querysets lets them be tested with hand-made rows and keeps every
database read in selectors.py, where query counts are pinned.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from tracker.progress.completeness import NationalHeadline
from tracker.progress.vocabulary import as_of


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    pk: int = 0


@dataclass
class UnitFigure:
    """One province's figure for one indicator (or index) and period."""

    unit: Unit
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    status: str = "not_available"
    previous_value: Decimal | None = None
    rank: int | None = None
    previous_rank: int | None = None
    target_value: Decimal | None = None
    share_of_way: Decimal | None = None
    preview: bool = False
    # Places gained among the units ranked in both periods (tracker.progress.standing_selectors.
    # rank_rows); None unless it was ranked in both. Set by unit_figures; else from the ranks.
    places_gained: int | None = None
    # After the deadline: the value at the deadline that decided the final standing, and its period.
    decided_value: Decimal | None = None
    decided_period: str = ""

    @property
    def decided_as_of(self) -> str:
        return as_of(self.decided_period) if self.decided_period else ""

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous_value is None:
            return None
        return self.value - self.previous_value

    @property
    def rank_change(self) -> int | None:
        """Places gained since the previous period (positive = moved up)."""
        if self.places_gained is not None:
            return self.places_gained
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


@dataclass(frozen=True)
class Point:
    period: str  # YYYY-MM, YYYY-Qn or YYYY
    value: Decimal | None
    day: datetime.date  # where the point sits on a time axis (the period's last day)
    # "Tạm tính: 6/34 tỉnh" when too few units reported (tracker.progress.completeness), else "".
    provisional: str = ""


@dataclass
class ReportingRow:
    unit: Unit
    expected: int = 0
    received: int = 0
    on_time: int = 0
    approved: int = 0
    not_due: int = 0  # not received, due day not passed yet: neither late nor missing

    @property
    def late(self) -> int:
        return max(self.received - self.on_time, 0)

    @property
    def missing(self) -> int:
        return max(self.expected - self.received - self.not_due, 0)


@dataclass
class KpiCard:
    """A province's standing on one indicator, for the province page."""

    indicator_code: str
    indicator_name: str
    unit_label: str
    value: Decimal | None
    period: str
    target_value: Decimal | None = None
    deadline: datetime.date | None = None
    baseline_value: Decimal | None = None
    baseline_period: str = ""
    status: str = "not_available"
    # No value for the period ("no_data_this_period"): the latest earlier value and its period.
    earlier_value: Decimal | None = None
    earlier_period: str = ""
    share_of_way: Decimal | None = None
    projected_value: Decimal | None = None
    national_value: Decimal | None = None
    preview: bool = False
    # After the deadline the standing is final: the value at the deadline decided it (and its period).
    decided_value: Decimal | None = None
    decided_period: str = ""
    # The nation's headline: the latest complete value, the period's own marked if provisional.
    national: NationalHeadline | None = None


@dataclass
class IndicatorStanding:
    """Which provinces stand in which status on one indicator."""

    code: str
    name: str
    groups: dict[str, list[Unit]] = field(default_factory=dict)  # status -> provinces

    @property
    def counts(self) -> dict[str, int]:
        return {status: len(units) for status, units in self.groups.items()}


@dataclass
class ObjectiveStanding:
    """An objective of a directive and the standings on each of its indicators."""

    code: str
    title: str
    group: str
    indicators: list[IndicatorStanding] = field(default_factory=list)
    not_measurable_reason: str = ""

    @property
    def label(self) -> str:
        return f"{self.group}: {self.title}" if self.group else self.title

    @property
    def counts(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for indicator in self.indicators:
            for status, count in indicator.counts.items():
                total[status] = total.get(status, 0) + count
        return total
