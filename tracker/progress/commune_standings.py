"""Commune standings (issue 17): where each commune stands on each commune indicator, against each
target that applies to it (or along its trend), as of each period that has a value.

The rules and the arithmetic are the provinces' (`standings.series_standings`, DESIGN §5.7-5.9):
the standing as of P from the commune's points up to P only, final after the deadline, a
data-quality flag instead of a status for a value that cannot be true.

Which targets apply to a commune (`commune_targets`): its province's own targets and the nation's,
each only where a target may apply below the unit it was set for (`target_applies_below`: the
indicator is intensive, a rate or a share, and the target is not "own unit only"). A total
(dossiers received, people trained) set for a province is the province's sum, never each
commune's: such a commune gets no target row ("Không áp dụng") and is measured along its trend.
A commune is never a target's own unit, so the base is always a point of its own series (the
first on or after the target's baseline period, or the indicator's base period).

Rows are merged through a temporary table by two set-based statements (unchanged rows are never
written), for a scope of provinces and, optionally, the periods ending on or after a day.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import connection

from kpis.models import Target, target_applies_below
from tracker.progress.models import CommuneIndicatorValue, CommuneStanding
from tracker.progress.scope import UnitKey
from tracker.progress.standing_copy import copy_line
from tracker.progress.standing_store import VALUE_COLUMNS_SQL, insert_rows, merge_new_rows, new_temporary_table
from tracker.progress.standings import (
    COLUMNS,
    IndicatorRule,
    Series,
    StandingRow,
    TargetRule,
    as_date,
    load_rules,
    series_standings,
)

COMMUNE_LEVEL = "commune"  # the level of the rows while computed (not stored: the table is communes')
NEW_TABLE = "progress_commune_standing_new"
PAIRS_TABLE = "progress_commune_standing_pairs"
Pair = tuple[int, int]  # (indicator, commune)
TABLE = CommuneStanding._meta.db_table
# The stored columns after the key, in StandingRow's order (from the period on).
VALUES = COLUMNS[4:]


def commune_targets(rule: IndicatorRule, targets: Sequence[TargetRule], province_id: int) -> list[TargetRule | None]:
    """The targets that apply to a commune of the province, or [None] (its trend) when none does."""
    found: list[TargetRule | None] = [
        t
        for t in targets
        if (t.province_id is None or t.province_id == province_id)
        and target_applies_below(applies_to=t.applies_to, extensive=rule.extensive)
    ]
    return found or [None]


def commune_target_applies(target: Target, province_id: int) -> bool:
    """Whether a target applies to the communes of a province (else "Không áp dụng")."""
    if target.province_id is not None and target.province_id != province_id:
        return False
    return target_applies_below(applies_to=target.applies_to, extensive=target.indicator.is_extensive())


def _read_commune_series(
    province_ids: Sequence[int] | None, today: datetime.date
) -> tuple[dict[tuple[int, int], list[Series]], dict[int, int]]:
    """{(indicator, commune): its series, one per periodicity}, ended by today; {commune: province}."""
    real = "double precision" if connection.vendor == "postgresql" else "REAL"
    params: list[Any] = [connection.ops.adapt_datefield_value(today)]
    only = ""
    if province_ids is not None:
        only = f" AND province_id IN ({', '.join(['%s'] * len(province_ids))})"
        params += list(province_ids)
    sql = (
        "SELECT indicator_id, commune_id, province_id, periodicity, period, period_start, period_end, "  # noqa: S608
        f"CAST(value AS {real}) FROM {CommuneIndicatorValue._meta.db_table} "
        f"WHERE value IS NOT NULL AND period_end <= %s{only} "
        "ORDER BY indicator_id, commune_id, periodicity, period_end"
    )
    out: dict[tuple[int, int], list[Series]] = defaultdict(list)
    provinces: dict[int, int] = {}
    current: tuple[int, int, str] | None = None
    series: Series | None = None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for indicator_id, commune_id, province_id, periodicity, period, start, end, value in cursor.fetchall():
            provinces[commune_id] = province_id
            key = (indicator_id, commune_id, periodicity)
            if key != current or series is None:
                current = key
                series = Series([], periodicity, [], [], [], [])
                out[(indicator_id, commune_id)].append(series)
            series.add(period, start, end, value)
    return out, provinces


def compute_commune_standings(
    *,
    province_ids: Sequence[int] | None,
    today: datetime.date,
    since: datetime.date | None = None,
    pairs: dict[Pair, datetime.date] | None = None,
) -> tuple[list[StandingRow], dict[int, int]]:
    """Standings of the provinces' communes (rows as of periods ending on or after `since`; all
    without), or only of the (indicator, commune) `pairs` as of their periods ending on or after
    each one's day; as StandingRows whose `province_id` is the commune; and {commune: province}."""
    rules, targets = load_rules()
    by_id = {rule.id: rule for rule in rules}
    all_series, provinces = _read_commune_series(province_ids, today)
    rows: list[StandingRow] = []
    for (indicator_id, commune_id), unit_series in sorted(all_series.items()):
        rule = by_id.get(indicator_id)
        if rule is None or (pairs is not None and (indicator_id, commune_id) not in pairs):
            continue
        cutoff = since if pairs is None else pairs[(indicator_id, commune_id)]
        key = UnitKey(COMMUNE_LEVEL, commune_id)
        for target in commune_targets(rule, targets[rule.id], provinces[commune_id]):
            for series in unit_series:
                first = bisect.bisect_left(series.ends, cutoff) if cutoff is not None else 0
                if first < len(series.months):
                    rows += series_standings(series, rule, target, key, start=first, own_target=False)
    return rows, provinces


def changed_commune_series(province_ids: Sequence[int] | None, today: datetime.date) -> dict[Pair, datetime.date]:
    """{(indicator, commune): the end of its earliest period whose value differs from the one its
    stored standings were computed from} (a value changed, appeared or went). The standings as of
    earlier periods depend on earlier points only, so they stand.

    Two anti-joins along the tables' unique indexes rather than a FULL JOIN of the two sets, which
    SQLite runs as a nested loop over some 10^5 × 10^5 rows (minutes on the demo data)."""
    only, unit_params = "", list(province_ids or [])
    if province_ids is not None:
        only = f" AND x.province_id IN ({', '.join(['%s'] * len(province_ids))})"
    day = connection.ops.adapt_datefield_value(today)
    values, standings = CommuneIndicatorValue._meta.db_table, TABLE
    new_or_changed = f"""
        SELECT x.indicator_id, x.commune_id, MIN(x.period_end) FROM {values} x
        WHERE x.value IS NOT NULL AND x.period_end <= %s{only}
          AND NOT EXISTS (SELECT 1 FROM {standings} s WHERE s.indicator_id = x.indicator_id
                          AND s.commune_id = x.commune_id AND s.period = x.period AND s.period_value = x.value)
        GROUP BY x.indicator_id, x.commune_id
    """  # noqa: S608 - table names and placeholders only
    gone = f"""
        SELECT x.indicator_id, x.commune_id, MIN(x.period_end) FROM {standings} x
        WHERE 1 = 1{only}
          AND NOT EXISTS (SELECT 1 FROM {values} v WHERE v.indicator_id = x.indicator_id
                          AND v.commune_id = x.commune_id AND v.period = x.period
                          AND v.value IS NOT NULL AND v.period_end <= %s)
        GROUP BY x.indicator_id, x.commune_id
    """  # noqa: S608 - table names and placeholders only
    changed: dict[Pair, datetime.date] = {}
    with connection.cursor() as cursor:
        for sql, params in ((new_or_changed, [day, *unit_params]), (gone, [*unit_params, day])):
            cursor.execute(sql, params)
            for indicator_id, commune_id, end in cursor.fetchall():
                pair, first = (indicator_id, commune_id), as_date(end)
                changed[pair] = min(first, changed.get(pair, first))
    return changed


def _create_new_table(cursor: Any) -> None:
    new_temporary_table(
        cursor,
        NEW_TABLE,
        "target_key integer NOT NULL, indicator_id integer NOT NULL, target_id integer, "
        "commune_id integer NOT NULL, province_id integer NOT NULL, "
        f"{VALUE_COLUMNS_SQL}",
    )


def _tuple(row: StandingRow, provinces: dict[int, int]) -> tuple[Any, ...]:
    commune_id = row.province_id or 0
    return (
        row.target_id or 0,
        row.indicator_id,
        row.target_id,
        commune_id,
        provinces[commune_id],
        *(getattr(row, name) for name in VALUES),
    )


NAMES = ["target_key", "indicator_id", "target_id", "commune_id", "province_id", *VALUES]


def _fill(cursor: Any, rows: Sequence[StandingRow], provinces: dict[int, int]) -> None:
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {NEW_TABLE} ({', '.join(NAMES)}) FROM STDIN") as copy:
            for start in range(0, len(rows), 5000):
                chunk = rows[start : start + 5000]
                copy.write("".join(copy_line(_tuple(row, provinces)) + "\n" for row in chunk))
        return
    insert_rows(cursor, NEW_TABLE, NAMES, (_tuple(r, provinces) for r in rows))


PROVINCES_AT_ONCE = 6  # of 34: each group's standings in memory; fewer groups, less per-call overhead


def write_commune_standings(
    *,
    province_ids: Sequence[int] | None,
    today: datetime.date,
    now: datetime.datetime,
    since: datetime.date | None = None,
    changed_only: bool = False,
) -> int:
    """Recompute and merge the standings of the provinces' communes (None: all), of the periods
    ending on or after `since` (all without); returns rows written (deleted or inserted, whichever
    is more: a changed row is one of each).

    `changed_only`: only the series whose values differ from those the stored standings were
    computed from, from their first differing period: what a full run recomputes when neither the
    indicators' rules nor the targets changed (the province standings' fingerprint tells)."""
    if province_ids is None:
        # Every province's communes, a few provinces at a time: at 3 321 communes × 60 indicators ×
        # 60 months the standings of all took 2 GiB of a worker's memory at once. The provinces
        # of the stored rows are included, so that rows of communes no longer reported still go.
        every = sorted(
            set(CommuneIndicatorValue.objects.order_by().values_list("province_id", flat=True).distinct())
            | set(CommuneStanding.objects.order_by().values_list("province_id", flat=True).distinct())
        )
        groups = [every[start : start + PROVINCES_AT_ONCE] for start in range(0, len(every), PROVINCES_AT_ONCE)]
        return sum(
            write_commune_standings(province_ids=group, today=today, now=now, since=since, changed_only=changed_only)
            for group in groups
        )
    if not province_ids:
        return 0
    pairs = changed_commune_series(province_ids, today) if changed_only else None
    if pairs is not None and not pairs:
        return 0
    rows, provinces = compute_commune_standings(province_ids=province_ids, today=today, since=since, pairs=pairs)
    same_key = (
        "n.indicator_id = {t}.indicator_id AND n.commune_id = {t}.commune_id "
        "AND n.target_key = COALESCE({t}.target_id, 0) AND n.period = {t}.period"
    )
    scope = "1 = 1"
    params: list[Any] = []
    if province_ids is not None:
        scope = f"{TABLE}.province_id IN ({', '.join(['%s'] * len(province_ids))})"
        params += list(province_ids)
    if since is not None:
        scope += f" AND {TABLE}.period_end >= %s"
        params.append(connection.ops.adapt_datefield_value(since))
    if pairs is not None:
        # only the changed pairs' rows, as of their first changed period on
        pair_rows = f"SELECT 1 FROM {PAIRS_TABLE} p WHERE p.indicator_id = {TABLE}.indicator_id"  # noqa: S608
        scope += f" AND EXISTS ({pair_rows} AND p.commune_id = {TABLE}.commune_id AND {TABLE}.period_end >= p.since)"
    with connection.cursor() as cursor:
        _create_new_table(cursor)
        _fill(cursor, rows, provinces)
        if pairs is not None:
            _fill_pairs(cursor, pairs)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {NEW_TABLE}")  # temporary tables get no statistics otherwise
        written = merge_new_rows(
            cursor,
            table=TABLE,
            new_table=NEW_TABLE,
            names=NAMES[1:],
            compared=VALUES[1:],
            same_key=lambda t: same_key.format(t=t),
            scope=scope,
            params=params,
            now=now,
        )
        cursor.execute(f"DROP TABLE {NEW_TABLE}")
        cursor.execute(f"DROP TABLE IF EXISTS {PAIRS_TABLE}")
    return written


def _fill_pairs(cursor: Any, pairs: dict[Pair, datetime.date]) -> None:
    new_temporary_table(
        cursor, PAIRS_TABLE, "indicator_id integer NOT NULL, commune_id integer NOT NULL, since date NOT NULL"
    )
    cursor.executemany(
        f"INSERT INTO {PAIRS_TABLE} (indicator_id, commune_id, since) VALUES (%s, %s, %s)",  # noqa: S608
        [(i, c, connection.ops.adapt_datefield_value(day)) for (i, c), day in sorted(pairs.items())],
    )
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {PAIRS_TABLE}")
