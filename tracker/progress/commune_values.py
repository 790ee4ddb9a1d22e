"""Indicator values per commune (issue 17): the province engine's rules, one level down.

Which indicators: those whose data elements are all reported at commune level in some form
(`ReportFormElement.commune_level` of a form with `commune_reporting_from`). An indicator is
computed for the periods that start on or after the latest of its elements' first commune
periods: a quarter or a year that communes report only in part would add up part of it and be
read as the whole (the province's figure for that quarter includes the months before).

What: for a commune C, an indicator I and a period P (month, quarter, year), C's APPROVED figures
(`DataValue.approved_value` of C's reports) are aggregated over time per element exactly as the
province engine does (`IndicatorValueBuild`'s steps 1-3, same SQL: sum, last, average; only
communes with every element of I), then numerator and denominator evaluated by the same
formula SQL (a zero denominator gives no value). There is no space step: a commune is one unit.

How: one statement into the engine's per-unit temporary table, grouped by commune; a second one
evaluates the formulas into a temporary table; the result is merged into `CommuneIndicatorValue`
for the scope (provinces x periods): rows that vanished deleted, changed ones updated, new ones
inserted, so a rerun writes nothing. Both SQLite and PostgreSQL run the same merge (UPDATE ...
FROM and NOT EXISTS through the unique index).

Presenters read these values through `commune_selectors`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kpis.models import ReportFormElement
from kpis.periods import InvalidPeriod, Period
from provinces.models import Commune
from tracker.progress.formulas import CompiledIndicator, load_indicators, slot_column
from tracker.progress.indicator_values import DATA_VALUE, DECIMALS, SUBMISSION, UNIT, IndicatorValueBuild, shape_case
from tracker.progress.models import CommuneIndicatorValue
from tracker.progress.scope import Lineage, Scope
from tracker.progress.sql import Dialect, in_list, periods_values, values_list

COMMUNE = Commune._meta.db_table
CNEW = "progress_tmp_commune_new"
CDIFF = "progress_tmp_commune_diff"
TABLE = CommuneIndicatorValue._meta.db_table
COMPARED = ("numerator", "denominator", "value")


@dataclass(frozen=True)
class CommuneIndicator:
    """An indicator computed per commune, from the first day of its first commune period."""

    indicator: CompiledIndicator
    first_day: datetime.date
    first_period: str


def commune_level_elements() -> dict[int, Period]:
    """{element id: the first period any form reports it at commune level}."""
    found: dict[int, Period] = {}
    rows = ReportFormElement.objects.filter(commune_level=True).exclude(form__commune_reporting_from="")
    for element_id, text in rows.values_list("element_id", "form__commune_reporting_from"):
        try:
            period = Period.parse(text)
        except InvalidPeriod:
            continue
        if element_id not in found or period.start < found[element_id].start:
            found[element_id] = period
    return found


def load_commune_indicators(indicators: Sequence[CompiledIndicator] | None = None) -> list[CommuneIndicator]:
    """The indicators whose elements are all commune-level, each with its first commune period."""
    elements = commune_level_elements()
    out = []
    for indicator in load_indicators() if indicators is None else indicators:
        firsts = [elements.get(slot.element_id) for slot in indicator.slots]
        if not firsts or any(first is None for first in firsts):
            continue
        latest = max((first for first in firsts if first is not None), key=lambda p: p.start)
        out.append(CommuneIndicator(indicator, latest.start, str(latest)))
    return out


@dataclass
class CommuneValueBuild(IndicatorValueBuild):
    """Steps 1-3 of the province engine grouped by commune, then the formulas; merged per scope.

    `scope.periods` are the periods computed; `province_ids` limits the communes (None: all)."""

    commune_indicators: Sequence[CommuneIndicator] = ()
    province_ids: Sequence[int] | None = None
    _first_days: dict[int, datetime.date] = field(init=False, default_factory=dict)

    unit_column = "s.commune_id"

    def __post_init__(self) -> None:
        self.indicators = [ci.indicator for ci in self.commune_indicators]
        self._first_days = {ci.indicator.id: ci.first_day for ci in self.commune_indicators}
        super().__post_init__()

    @classmethod
    def create(
        cls,
        *,
        dialect: Dialect,
        commune_indicators: Sequence[CommuneIndicator],
        periods: Sequence[Period],
        province_ids: Sequence[int] | None,
    ) -> CommuneValueBuild:
        return cls(
            dialect=dialect,
            indicators=(),
            lineage=Lineage([]),
            scope=Scope(tuple(periods)),
            commune_indicators=commune_indicators,
            province_ids=None if province_ids is None else sorted(set(province_ids)),
        )

    def _source(self, v: str) -> tuple[str, list[Any], int]:
        """Commune reports only, of the scope's provinces."""
        d = self.dialect
        narrowed = ""
        params: list[Any] = [d.date(self.scope.first_day), d.date(self.scope.last_day)]
        if self.province_ids is not None:
            narrowed = f"AND s.province_id IN ({in_list(len(self.province_ids))})"
            params += list(self.province_ids)
        source = f"""
            FROM {DATA_VALUE} dv
            JOIN {SUBMISSION} s ON s.id = dv.submission_id
            JOIN ie ON ie.e = dv.element_id
            JOIN p ON p.ps = s.period_start AND p.pe = s.period_end
            WHERE {v} IS NOT NULL AND s.commune_id IS NOT NULL
              AND s.period_start >= {d.date_placeholder} AND s.period_end <= {d.date_placeholder}
              {narrowed}
        """
        return source, params, len(self.province_ids or ()) if narrowed else 0

    def drop(self, cursor: Any) -> None:
        for table in (UNIT, CNEW, CDIFF):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def compute(self, cursor: Any) -> None:
        """The scope's rows into the temporary table CNEW."""
        self.drop(cursor)
        self.dialect.prepare(cursor)
        self._create_commune_table(cursor)
        if not self.indicators or not self.scope.periods:
            return
        pg = self.dialect.is_postgres
        if pg and self.province_ids is None:
            # Every commune of a year: the planner loops over the reports and looks their figures up
            # one report at a time (6.1 s on 3 321 communes x 11 months x 6 elements); hashing
            # every figure once takes half that. A few provinces keep the index lookups.
            cursor.execute("SET LOCAL enable_nestloop = off")
        self._aggregate_per_unit(cursor)  # ends with enable_nestloop on
        if pg:
            # The temporary table has no statistics; its rows join small lists and the communes.
            cursor.execute("SET LOCAL enable_nestloop = off")
        self._evaluate(cursor)
        if pg:
            cursor.execute("SET LOCAL enable_nestloop = on")

    def _create_commune_table(self, cursor: Any) -> None:
        pg = self.dialect.is_postgres
        day = "date" if pg else "text"
        number = f"numeric(30, {DECIMALS})" if pg else "numeric"
        cursor.execute(
            f"""CREATE TEMP TABLE {CNEW} (
                indicator_id bigint, commune_id bigint, province_id bigint, period varchar(7),
                periodicity varchar(10), period_start {day}, period_end {day},
                numerator {number}, denominator {number}, value {number})"""
        )

    def _evaluate(self, cursor: Any) -> None:
        """Step 6 on each commune's own aggregates: value = factor · numerator / denominator."""
        d = self.dialect
        w = self._width
        shape_pairs, shape_texts, shape_literals = self._shapes()
        i_rows = [
            (ind.id, nshape, dshape, d.number(ind.factor), 1 if ind.has_denominator else 0, d.date(first))
            for ind, (nshape, dshape), first in zip(
                self.indicators, shape_pairs, [self._first_days[i.id] for i in self.indicators], strict=True
            )
        ]
        i_sql, i_params = values_list(i_rows, ["%s", "%s", "%s", d.number_placeholder, "%s", d.date_placeholder])
        p_sql, p_params = periods_values(d, self.scope.periods)

        numerator_sql, numerator_params = shape_case("nshape", shape_texts, shape_literals)
        denominator_sql, denominator_params = shape_case("dshape", shape_texts, shape_literals)
        slots = ", ".join(f"x.s{j} AS {slot_column(j)}" for j in range(1, w + 1))
        value_sql = d.divide("ev.factor * ev.num", "ev.den")
        sql = f"""
            INSERT INTO {CNEW}
            WITH i (ind, nshape, dshape, factor, hasden, first_day) AS (VALUES {i_sql}),
                 p (pkey, periodicity, ps, pe) AS (VALUES {p_sql}),
                 ev AS (
                   SELECT c.ind, c.u, c.pkey, i.factor, i.hasden, i.first_day,
                          {numerator_sql} AS num, {denominator_sql} AS den
                   FROM (SELECT x.ind AS ind, x.u AS u, x.pkey AS pkey, {slots} FROM {UNIT} x) c
                   JOIN i ON i.ind = c.ind
                 )
            SELECT ev.ind, ev.u, cm.province_id, ev.pkey, p.periodicity, p.ps, p.pe,
                   ROUND(ev.num, {DECIMALS}), ROUND(ev.den, {DECIMALS}),
                   ROUND(CASE WHEN ev.hasden = 1 THEN {value_sql} ELSE ev.factor * ev.num END, {DECIMALS})
            FROM ev
            JOIN p ON p.pkey = ev.pkey
            JOIN {COMMUNE} cm ON cm.id = ev.u
            WHERE ev.num IS NOT NULL AND (ev.hasden = 0 OR ev.den IS NOT NULL) AND p.ps >= ev.first_day
        """  # noqa: S608 - constants, generated column names and placeholders only
        cursor.execute(sql, [*i_params, *p_params, *numerator_params, *denominator_params])

    def _scope_sql(self, alias: str) -> tuple[str, list[Any]]:
        periods = self.scope.period_texts
        sql = f"{alias}.period IN ({in_list(len(periods))})"
        params: list[Any] = list(periods)
        if self.province_ids is not None:
            sql += f" AND {alias}.province_id IN ({in_list(len(self.province_ids))})"
            params += list(self.province_ids)
        return sql, params

    def merge(self, cursor: Any, now: datetime.datetime) -> int:
        """Make the scope's stored rows equal to the computed ones; returns rows changed."""
        if not self.scope.periods:
            return 0
        d = self.dialect
        if d.is_postgres:
            return self._merge_through_diff(cursor, now)
        cursor.execute(f"CREATE INDEX {CNEW}_key ON {CNEW} (indicator_id, commune_id, period)")
        same_key = "n.indicator_id = iv.indicator_id AND n.commune_id = iv.commune_id AND n.period = iv.period"
        distinct = " OR ".join(f"iv.{c} IS DISTINCT FROM n.{c}" for c in COMPARED)
        scope_sql, scope_params = self._scope_sql("iv")
        cursor.execute(
            f"""DELETE FROM {TABLE} WHERE id IN (
                  SELECT iv.id FROM {TABLE} iv WHERE {scope_sql}
                  AND NOT EXISTS (SELECT 1 FROM {CNEW} n WHERE {same_key}))""",  # noqa: S608
            scope_params,
        )
        changed = max(cursor.rowcount, 0)
        return changed + self._update_and_insert(
            cursor,
            now,
            updated=f"{CNEW} AS n WHERE {same_key} AND ({distinct})",
            inserted=f"{CNEW} n WHERE NOT EXISTS (SELECT 1 FROM {TABLE} iv WHERE {same_key})",  # noqa: S608
        )

    def _update_and_insert(self, cursor: Any, now: datetime.datetime, *, updated: str, inserted: str) -> int:
        """Update the stored rows from the computed `n` rows of `updated` (FROM ... WHERE ..., `iv`
        the stored row), insert those of `inserted`; returns rows changed."""
        d = self.dialect
        stamp = d.timestamp(now)
        cursor.execute(
            f"""UPDATE {TABLE} AS iv
                SET numerator = n.numerator, denominator = n.denominator, value = n.value,
                    computed_at = {d.timestamp_placeholder}
                FROM {updated}""",  # noqa: S608
            [stamp],
        )
        changed = max(cursor.rowcount, 0)
        cursor.execute(
            f"""INSERT INTO {TABLE} (indicator_id, commune_id, province_id, period, periodicity, period_start,
                    period_end, numerator, denominator, value, computed_at)
                SELECT n.indicator_id, n.commune_id, n.province_id, n.period, n.periodicity, n.period_start,
                       n.period_end, n.numerator, n.denominator, n.value, {d.timestamp_placeholder}
                FROM {inserted}""",  # noqa: S608
            [stamp],
        )
        return changed + max(cursor.rowcount, 0)

    def _merge_through_diff(self, cursor: Any, now: datetime.datetime) -> int:
        """PostgreSQL: one hashed FULL JOIN of the scope's stored rows with the computed ones finds the
        rows to delete, update and insert (as the province engine merges); an unchanged scope stops
        there. Three anti- and semi-joins over the whole scope cost about twice as much."""
        scope_sql, scope_params = self._scope_sql("iv")
        distinct = " OR ".join(f"iv.{c} IS DISTINCT FROM n.{c}" for c in COMPARED)
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(
            f"""CREATE TEMP TABLE {CDIFF} AS
                SELECT iv.id AS id, n.indicator_id IS NULL AS gone, n.*
                FROM (SELECT id, indicator_id, commune_id, period, numerator, denominator, value
                      FROM {TABLE} iv WHERE {scope_sql}) iv
                FULL JOIN {CNEW} n
                  ON n.indicator_id = iv.indicator_id AND n.commune_id = iv.commune_id AND n.period = iv.period
                WHERE iv.id IS NULL OR n.indicator_id IS NULL OR {distinct}""",  # noqa: S608
            scope_params,
        )
        cursor.execute("SET LOCAL enable_nestloop = on")
        if cursor.rowcount == 0:
            return 0
        cursor.execute(f"DELETE FROM {TABLE} WHERE id IN (SELECT id FROM {CDIFF} WHERE gone)")  # noqa: S608
        changed = max(cursor.rowcount, 0)
        return changed + self._update_and_insert(
            cursor,
            now,
            updated=f"{CDIFF} AS n WHERE iv.id = n.id AND NOT n.gone",
            inserted=f"{CDIFF} n WHERE n.id IS NULL",
        )

    def fetch(self, cursor: Any) -> list[dict[str, Any]]:
        cursor.execute(
            f"""SELECT indicator_id, commune_id, province_id, period, numerator, denominator, value
                FROM {CNEW} ORDER BY indicator_id, commune_id, period_start, period_end"""  # noqa: S608
        )
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def write_commune_values(
    *,
    dialect: Dialect,
    cursor: Any,
    periods: Sequence[Period],
    province_ids: Sequence[int] | None,
    now: datetime.datetime,
    commune_indicators: Sequence[CommuneIndicator] | None = None,
) -> int:
    """Recompute and merge the commune values of the provinces (None: all) for the periods."""
    build = CommuneValueBuild.create(
        dialect=dialect,
        commune_indicators=load_commune_indicators() if commune_indicators is None else commune_indicators,
        periods=periods,
        province_ids=province_ids,
    )
    build.compute(cursor)
    changed = build.merge(cursor, now)
    build.drop(cursor)
    return changed


def commune_indicators() -> dict[int, str]:
    """{indicator id: its first commune period}: the indicators that have commune values."""
    return {ci.indicator.id: ci.first_period for ci in load_commune_indicators()}
