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

from django.db import connection
from django.db.models import Q

from tracker.progress.models import Level, RollupState, Standing, TargetProgress
from tracker.progress.scope import UnitKey
from tracker.progress.standing_store import changed_series, fill_standings, fingerprint, save_standings
from tracker.progress.standings import Computed, compute_standings, load_rules, progress_rows
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


def compute_changed_standings(*, keys: Iterable[UnitKey], today: datetime.date) -> tuple[Computed, str]:
    """What a full run recomputes: every standing when the rules, targets or units changed since the
    stored ones were computed (their fingerprint differs), else only the (indicator, unit) pairs
    whose values changed. Returns the standings and the fingerprint to keep."""
    computed, current = _changed_standings(keys=list(keys), units=None, all_keys=list(keys), today=today)
    return computed, current


def _changed_standings(
    *, keys: list[UnitKey], units: list[int | None] | None, all_keys: list[UnitKey], today: datetime.date
) -> tuple[Computed, str]:
    """The standings of the keys that changed: all of them after a change of rules, targets or units
    (the fingerprint over `all_keys` differs from the stored one); else, of each (indicator, unit)
    whose values changed, those as of its first changed period and later, and every standing of a
    pair without target progress rows (an emptied table)."""
    loaded = load_rules()
    current = fingerprint(*loaded, sorted({k for k in all_keys if k.level in (Level.PROVINCE, Level.NATIONAL)}))
    stored = RollupState.objects.filter(pk=1).values_list("standings_fingerprint", flat=True).first()
    pairs, since = None, None
    # Into an empty table (a first fill) every standing is computed anyway: no need to compare values.
    empty = units is None and not Standing.objects.exists()
    if stored == current and not empty:
        since = changed_series(today, units)
        pairs = set(since)
        rules, _targets = loaded
        measured = [k.province_id for k in keys if k.level in (Level.PROVINCE, Level.NATIONAL)]
        have_rows = TargetProgress.objects.filter(level__in=[Level.PROVINCE, Level.NATIONAL])
        if units is not None:
            units_filter = Q(province_id__in=[u for u in units if u is not None])
            if None in units:
                units_filter |= Q(province__isnull=True)
            have_rows = have_rows.filter(units_filter)
        have = set(have_rows.values_list("indicator_id", "province_id").distinct())
        pairs |= {(rule.id, unit) for rule in rules for unit in measured} - have
    if empty and connection.vendor == "postgresql":
        return fill_standings(keys=keys, today=today, loaded=loaded), current
    computed = compute_standings(keys=keys, today=today, pairs=pairs, loaded=loaded, since=since)
    return computed, current


def write_target_progress(
    *,
    keys: Iterable[UnitKey],
    today: datetime.date,
    now: datetime.datetime,
    all_keys: Iterable[UnitKey] | None = None,
) -> int:
    """Recompute the standings and target progress of the units (an approval's scope). Given every
    unit (`all_keys`), only what changed since the stored standings, when they are current."""
    keys = list(keys)
    if all_keys is None:
        computed = compute_target_progress(keys=keys, today=today)
    else:
        units = sorted({k.province_id for k in keys if k.level in (Level.PROVINCE, Level.NATIONAL)}, key=str)
        computed, _current = _changed_standings(keys=keys, units=units, all_keys=list(all_keys), today=today)
    return save_target_progress(computed, keys=keys, now=now)


def save_target_progress(computed: Computed, *, keys: Iterable[UnitKey], now: datetime.datetime) -> int:
    """Merge the standings and the target progress rows of the computed pairs into their tables."""
    if not computed.pairs:
        return 0
    changed = save_standings(computed, now=now)
    rows: dict[tuple, dict[str, Any]] = progress_rows(computed)
    indicators = sorted({pair[0] for pair in computed.pairs})
    provinces = {pair[1] for pair in computed.pairs}
    units = Q(province_id__in=[p for p in provinces if p is not None])
    if None in provinces:
        units |= Q(province__isnull=True)
    candidates = TargetProgress.objects.filter(units, indicator_id__in=indicators)
    in_pairs = [
        pk
        for pk, indicator_id, level, province_id in candidates.values_list("pk", "indicator_id", "level", "province_id")
        if (indicator_id, province_id) in computed.pairs and level in (Level.PROVINCE, Level.NATIONAL)
    ]
    return changed + sync_rows(
        model=TargetProgress,
        existing=TargetProgress.objects.filter(pk__in=in_pairs),
        new_rows=rows,
        key=lambda row: (row.indicator_id, row.target_id, row.level, row.province_id),
        compared=COMPARED,
        now=now,
    )
