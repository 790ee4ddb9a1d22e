"""Storing the standings that `standings` measures, and telling which must be measured again.

- `save_standings`: merge computed rows into `Standing` through a temporary table by two set-based
  statements (DELETE of the rows that differ, INSERT of those missing), so that unchanged rows are
  never written; `fill_standings`: a first fill of the empty table by one COPY while computing.
- `fingerprint`: a digest of everything standings depend on besides the values (rules, targets,
  units, coverage threshold): a changed one recomputes every standing.
- `changed_series` / `changed_pairs`: the (indicator, unit) series whose values differ from those
  their stored standings were computed from, and from which period on.

The commune engine (`commune_standings`) merges its own table the same way, with the helpers below
(`VALUE_COLUMNS_SQL`, `new_temporary_table`, `insert_rows`, `merge_new_rows`).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from tracker.progress.completeness import complete_sql, threshold_percent
from tracker.progress.models import IndicatorValue, Level, Standing
from tracker.progress.scope import UnitKey
from tracker.progress.standing_copy import copy_into_empty_table, copy_lines, empty_table_copy, write_lines
from tracker.progress.standings import (
    COLUMNS,
    Computed,
    IndicatorRule,
    Pair,
    StandingRow,
    TargetRule,
    as_date,
    compute_standings,
    read_series,
)

NEW_TABLE = "progress_standing_new"
PAIRS_TABLE = "progress_standing_pairs"
# The columns of a temporary table of new standings after the unit's keys, shared by both levels.
VALUE_COLUMNS_SQL = (
    "period varchar(7) NOT NULL, periodicity varchar(10) NOT NULL, period_end date NOT NULL, "
    "status varchar(25) NOT NULL, final boolean NOT NULL, flag varchar(200) NOT NULL, "
    "value numeric(30, 10), value_period varchar(7) NOT NULL, period_value numeric(30, 10), "
    "baseline_value numeric(30, 10), "
    "baseline_period varchar(7) NOT NULL, target_value numeric(30, 10), deadline date, "
    "share_of_way numeric(30, 10), projected_value numeric(30, 10), "
    "required_monthly_change numeric(30, 10), progress_value numeric(30, 10)"
)


def null_safe_equal(left: str, right: str) -> str:
    if connection.vendor == "postgresql":
        return f"{left} IS NOT DISTINCT FROM {right}"
    return f"{left} IS {right}"


def new_temporary_table(cursor: Any, name: str, columns: str) -> None:
    """An empty temporary table of the columns (SQL), dropping one left by an earlier statement."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")


def insert_rows(cursor: Any, table: str, names: Sequence[str], rows: Iterable[Iterable[Any]]) -> None:
    """Insert the rows of values (in the order of `names`) by one executemany (dates adapted): the
    way into a temporary table where there is no COPY."""
    placeholders = ", ".join(["%s"] * len(names))
    cursor.executemany(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})",  # noqa: S608
        [[connection.ops.adapt_datefield_value(v) if isinstance(v, datetime.date) else v for v in row] for row in rows],
    )


def merge_new_rows(
    cursor: Any,
    *,
    table: str,
    new_table: str,
    names: Sequence[str],
    compared: Sequence[str],
    same_key: Callable[[str], str],
    scope: str,
    params: Sequence[Any] | None,
    now: datetime.datetime,
) -> int:
    """Make the stored rows within `scope` (a condition on `table`, with its `params`) equal to the
    new table's rows `n`: delete each that no new row matches on `same_key` (given the stored row's
    alias) and the `compared` columns, insert the new rows whose key no stored row has. Returns rows
    written (deleted or inserted, whichever is more: a changed row is one of each)."""
    same_values = " AND ".join(null_safe_equal(f"n.{name}", f"{table}.{name}") for name in compared)
    cursor.execute(
        f"DELETE FROM {table} WHERE {scope} AND NOT EXISTS ("  # noqa: S608
        f"SELECT 1 FROM {new_table} n WHERE {same_key(table)} AND {same_values})",
        params,
    )
    deleted = max(cursor.rowcount, 0)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(names)}, computed_at) SELECT {', '.join('n.' + c for c in names)}, %s "  # noqa: S608
        f"FROM {new_table} n WHERE NOT EXISTS (SELECT 1 FROM {table} s WHERE {same_key('s')})",
        [connection.ops.adapt_datetimefield_value(now)],
    )
    return max(deleted, max(cursor.rowcount, 0))


def fill_standings(
    *, keys: Iterable[UnitKey], today: datetime.date, loaded: tuple[list[IndicatorRule], dict[int, list[TargetRule]]]
) -> Computed:
    """Every standing of the units, written into the empty table (PostgreSQL, a first fill) by one COPY
    while they are computed, the table's indexes built after them; `save_standings` then has
    nothing left to write. In the caller's transaction, like the merge."""
    keys = sorted({key for key in keys if key.level in (Level.PROVINCE, Level.NATIONAL)})
    # read before the COPY starts: the connection serves one statement at a time
    all_series = read_series(keys, today, [rule.id for rule in loaded[0]])
    stamp = timezone.now().isoformat()
    with empty_table_copy(Standing._meta.db_table, COLUMNS, stamp, many=True) as write:
        computed = compute_standings(keys=keys, today=today, loaded=loaded, stream=write, all_series=all_series)
    computed.written = True
    return computed


# -- writing -----------------------------------------------------------------------------------


def _create_new_table(cursor: Any) -> None:
    new_temporary_table(
        cursor,
        NEW_TABLE,
        "province_key integer NOT NULL, target_key integer NOT NULL, "
        "indicator_id integer NOT NULL, target_id integer, level varchar(10) NOT NULL, province_id integer, "
        f"{VALUE_COLUMNS_SQL}",
    )


def _tuple(row: StandingRow) -> tuple[Any, ...]:
    return (row.province_id or 0, row.target_id or 0, *(getattr(row, name) for name in COLUMNS))


def _fill_new_table(cursor: Any, rows: Sequence[StandingRow]) -> None:
    names = ["province_key", "target_key", *COLUMNS]
    if connection.vendor == "postgresql":
        # Text lines written in batches: adapting each value through write_row costs several times more.
        with cursor.cursor.copy(f"COPY {NEW_TABLE} ({', '.join(names)}) FROM STDIN") as copy:
            write_lines(copy, copy_lines(rows, keys=True))
        return
    insert_rows(cursor, NEW_TABLE, names, (_tuple(r) for r in rows))


def _fill_pairs_table(cursor: Any, pairs: Iterable[Pair], since: dict[Pair, datetime.date]) -> None:
    new_temporary_table(
        cursor, PAIRS_TABLE, "indicator_id integer NOT NULL, province_key integer NOT NULL, since date NOT NULL"
    )
    rows = [
        (pair[0], pair[1] or 0, connection.ops.adapt_datefield_value(since.get(pair, datetime.date.min)))
        for pair in sorted(pairs, key=str)
    ]
    if rows:
        cursor.executemany(
            f"INSERT INTO {PAIRS_TABLE} (indicator_id, province_key, since) VALUES (%s, %s, %s)",  # noqa: S608
            rows,
        )


def save_standings(computed: Computed, *, now: datetime.datetime) -> int:
    """Merge the computed standings of the pairs into the table; rows written (deleted or inserted,
    whichever is more: a changed row is one of each)."""
    if not computed.pairs:
        return 0
    if computed.written:
        return len(computed.rows)
    table = Standing._meta.db_table

    def same_key(stored: str) -> str:
        return (
            f"n.indicator_id = {stored}.indicator_id AND n.province_key = COALESCE({stored}.province_id, 0) "
            f"AND n.target_key = COALESCE({stored}.target_id, 0) AND n.period = {stored}.period"
        )

    if connection.vendor == "postgresql" and not Standing.objects.exists():
        # a first fill: nothing to merge with
        return copy_into_empty_table(table, COLUMNS, computed.rows, now.isoformat())
    with connection.cursor() as cursor:
        _create_new_table(cursor)
        _fill_new_table(cursor, computed.rows)
        _fill_pairs_table(cursor, computed.pairs, computed.since)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {NEW_TABLE}")  # temporary tables get no statistics otherwise
            cursor.execute(f"ANALYZE {PAIRS_TABLE}")
        written = merge_new_rows(
            cursor,
            table=table,
            new_table=NEW_TABLE,
            names=COLUMNS,
            compared=COLUMNS[5:],
            same_key=same_key,
            scope=(
                f"EXISTS (SELECT 1 FROM {PAIRS_TABLE} p WHERE p.indicator_id = {table}.indicator_id "  # noqa: S608
                f"AND p.province_key = COALESCE({table}.province_id, 0) AND {table}.period_end >= p.since)"
            ),
            params=None,
            now=now,
        )
        cursor.execute(f"DROP TABLE {NEW_TABLE}")
        cursor.execute(f"DROP TABLE {PAIRS_TABLE}")
    return written


# -- what a full run must recompute --------------------------------------------------------------


def fingerprint(rules: list[IndicatorRule], targets: dict[int, list[TargetRule]], keys: Sequence[UnitKey]) -> str:
    """A digest of everything standings depend on besides the values: the indicators' rules, the
    targets, the units and the coverage threshold that decides which values are complete enough
    to be judged (a changed `TRACKER_COMPLETE_COVERAGE_PERCENT` recomputes every standing)."""
    text = repr((rules, sorted(targets.items()), sorted(keys), threshold_percent()))
    return hashlib.sha256(text.encode()).hexdigest()


def changed_pairs(today: datetime.date) -> set[Pair]:
    """The (indicator, unit) pairs whose values ended by today differ from the values their stored
    standings were computed from (a value changed, appeared or went): one FULL JOIN."""
    return set(changed_series(today))


def changed_series(today: datetime.date, units: Iterable[int | None] | None = None) -> dict[Pair, datetime.date]:
    """Like `changed_pairs` (of the units given, or of all), with the end of the earliest period whose
    value differs: the standings as of earlier periods depend on earlier points only, so they stand."""
    values = IndicatorValue._meta.db_table
    table = Standing._meta.db_table
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    value_units = standing_units = ""
    unit_params: list[Any] = []
    if units is not None:
        # Written so that the province indexes (and the nation's partial one) find the units' rows.
        chosen = set(units)
        provinces = sorted(unit for unit in chosen if unit)
        branches = [f"province_id IN ({', '.join(['%s'] * len(provinces))})"] if provinces else []
        unit_params = provinces
        if None in chosen or 0 in chosen:
            value_units = " AND (" + " OR ".join([*branches, "(province_id IS NULL AND level = 'national')"]) + ")"
            standing_units = " AND (" + " OR ".join([*branches, "province_id IS NULL"]) + ")"
        elif branches:
            value_units = standing_units = f" AND {branches[0]}"
        else:
            return {}
    complete, complete_params = complete_sql(values)
    sql = f"""
        WITH v AS (
            SELECT indicator_id, COALESCE(province_id, 0) AS unit, period, period_end, value FROM {values}
            WHERE level IN ('province', 'national') AND value IS NOT NULL AND period_end <= %s{value_units}
              AND {complete}
        ), s AS (
            SELECT DISTINCT indicator_id, COALESCE(province_id, 0) AS unit, period, period_end, period_value
            FROM {table} WHERE 1 = 1{standing_units}
        )
        SELECT COALESCE(v.indicator_id, s.indicator_id), COALESCE(v.unit, s.unit),
               MIN(COALESCE(v.period_end, s.period_end))
        FROM v FULL OUTER JOIN s ON v.indicator_id = s.indicator_id AND v.unit = s.unit AND v.period = s.period
        WHERE v.indicator_id IS NULL OR s.indicator_id IS NULL OR v.value {distinct} s.period_value
        GROUP BY 1, 2
    """  # noqa: S608 - table names and placeholders only
    params = [connection.ops.adapt_datefield_value(today), *unit_params, *complete_params, *unit_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(indicator_id, unit or None): as_date(end) for indicator_id, unit, end in cursor.fetchall()}
