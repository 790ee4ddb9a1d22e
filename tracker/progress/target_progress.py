"""Target progress rows: each unit's standing against each target that applies, as of its latest value.

The standings of every period are computed once (tracker.progress.standings); this table keeps, per
(indicator, unit, target or trend), the standing as of the series' latest point at the indicator's
own periodicity, so "where does this unit stand now" and "as of period P" never disagree. A unit
without figures gets a row "not available" for each target that applies to it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from tracker.progress.models import Level, TargetProgress
from tracker.progress.scope import UnitKey, keys_q
from tracker.progress.standings import Computed, compute_standings, progress_rows, save_standings
from tracker.progress.writers import sync_rows

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


def compute_target_progress(*, keys: Iterable[UnitKey], today: datetime.date) -> Computed:
    """Every standing of the units (all periods), from which the target progress rows follow."""
    return compute_standings(keys=keys, today=today)


def write_target_progress(*, keys: Iterable[UnitKey], today: datetime.date, now: datetime.datetime) -> int:
    keys = list(keys)
    return save_target_progress(compute_target_progress(keys=keys, today=today), keys=keys, now=now)


def save_target_progress(
    computed: Computed, *, keys: Iterable[UnitKey], now: datetime.datetime, all_units: bool = False
) -> int:
    """Merge the standings and the target progress rows of the units into their tables; rows changed."""
    keys = [key for key in keys if key.level in (Level.PROVINCE, Level.NATIONAL)]
    if not keys:
        return 0
    changed = save_standings(computed, now=now, all_units=all_units)
    rows: dict[tuple, dict[str, Any]] = progress_rows(computed)
    return changed + sync_rows(
        model=TargetProgress,
        existing=TargetProgress.objects.filter(keys_q(keys)),
        new_rows=rows,
        key=lambda row: (row.indicator_id, row.target_id, row.level, row.province_id),
        compared=COMPARED,
        now=now,
    )
