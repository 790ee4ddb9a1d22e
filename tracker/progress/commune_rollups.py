"""Keeping the commune tables current: what the roll-up services call, and what a chunk of a split
full recompute calls.

- `write_commune_scope`: commune values and reporting rates of some provinces' communes for some
  periods, inside the caller's transaction (a year of the full run, a dirty scope).
- `write_commune_standings` (commune_standings): their standings, once the values of every year
  are in (a standing as of P reads the points before P, of earlier years too).
- `recompute_commune_tables(province_ids, years)`: both, in one transaction, for a chunk of
  provinces. A run split into (year x group of provinces) tasks calls it with `standings=False`
  per chunk, then once per group of provinces `recompute_commune_standings(province_ids)` after
  every year is done; two chunks of one group must not write standings side by side.

Every function merges (unchanged rows untouched), so each is idempotent: a rerun changes 0 rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from kpis.periods import Period
from tracker.progress.commune_rates import write_commune_rates
from tracker.progress.commune_standings import write_commune_standings
from tracker.progress.commune_values import CommuneIndicator, load_commune_indicators, write_commune_values
from tracker.progress.models import Level
from tracker.progress.scope import Scope, UnitKey, periods_of_year
from tracker.progress.sql import Dialect


def provinces_of(keys: Iterable[UnitKey] | None) -> list[int] | None:
    """The current provinces among row owners (None: every province): whose communes a scope moves."""
    if keys is None:
        return None
    return sorted({key.province_id for key in keys if key.level == Level.PROVINCE and key.province_id})


def write_commune_scope(
    *,
    cursor: Any,
    dialect: Dialect,
    periods: Sequence[Period],
    province_ids: Sequence[int] | None,
    today: datetime.date,
    now: datetime.datetime,
    rates_only: bool = False,
    commune_indicators: Sequence[CommuneIndicator] | None = None,
) -> int:
    """Commune values (unless `rates_only`) and reporting rates of the provinces' communes for the
    periods, merged; rows changed. Runs in the caller's transaction."""
    if province_ids is not None and not province_ids:
        return 0
    changed = 0
    if not rates_only:
        changed += write_commune_values(
            dialect=dialect,
            cursor=cursor,
            periods=periods,
            province_ids=province_ids,
            now=now,
            commune_indicators=commune_indicators,
        )
    changed += write_commune_rates(
        dialect=dialect, cursor=cursor, periods=periods, province_ids=province_ids, today=today, now=now
    )
    return changed


def write_commune_scopes(
    *,
    scopes: Sequence[Scope],
    today: datetime.date,
    now: datetime.datetime,
    rates_only: bool = False,
) -> int:
    """`write_commune_scope` for each scope of the province engine (its owners' current provinces)."""
    dialect = Dialect(connection)
    commune_indicators = None if rates_only else load_commune_indicators()
    with connection.cursor() as cursor:
        return sum(
            write_commune_scope(
                cursor=cursor,
                dialect=dialect,
                periods=scope.periods,
                province_ids=provinces_of(scope.keys),
                today=today,
                now=now,
                rates_only=rates_only,
                commune_indicators=commune_indicators,
            )
            for scope in scopes
        )


def recompute_commune_standings(
    province_ids: Sequence[int] | None, *, since: datetime.date | None = None, now: datetime.datetime | None = None
) -> int:
    """The standings of the provinces' communes (None: all), in the caller's transaction or one of
    its own; rows written."""
    with transaction.atomic():
        return write_commune_standings(
            province_ids=province_ids, today=timezone.localdate(), now=now or timezone.now(), since=since
        )


def recompute_commune_tables(
    province_ids: Sequence[int] | None, years: Iterable[int], *, standings: bool = True
) -> int:
    """Commune values and reporting rates of the provinces (None: all) for whole years, then (unless
    told not to) their standings: one chunk of a full recompute, in one transaction. Rows changed."""
    today, now = timezone.localdate(), timezone.now()
    ids = None if province_ids is None else sorted(set(province_ids))
    with transaction.atomic():
        commune_indicators = load_commune_indicators()
        dialect = Dialect(connection)
        changed = 0
        with connection.cursor() as cursor:
            for year in sorted(set(years)):
                changed += write_commune_scope(
                    cursor=cursor,
                    dialect=dialect,
                    periods=periods_of_year(year),
                    province_ids=ids,
                    today=today,
                    now=now,
                    commune_indicators=commune_indicators,
                )
        if standings:
            changed += write_commune_standings(province_ids=ids, today=today, now=now)
    return changed
