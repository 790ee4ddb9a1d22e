"""Indicator values per (indicator, unit, period): the set-based heart of the roll-up engine.

Order of operations, for an indicator I, a row owner O (a current province, a former province
or the nation) and a period P (a month, a quarter or a year):

1. Figures. Official figures are `DataValue.approved_value` (set on approval, kept while a
   correction is under way). The preview also takes the working `value` of submissions that
   are submitted and awaiting approval; it is never stored. A report belongs to the unit in
   force at the end of its period: former units' reports until June 2025, current units' from
   July 2025 (so the yearly 2025 report, DTI 2025 for instance, is the current unit's).
2. Time, per reporting unit and data element. The unit's figures of every submission whose
   period lies inside P are aggregated by the element's `time_aggregation`: `sum` adds them
   (flows: dossiers received), `last` takes the figure of the latest period that has one
   (stocks: base stations), `average` takes their arithmetic mean. A quarter of a monthly
   element therefore combines three months; a yearly element only has yearly values.
3. Completeness. A unit counts for I in P only if it has a value for every element of I, so a
   numerator and its denominator always come from the same units.
4. Space. The contributing units are O's lineage in force in P: O itself for a former
   province; a current province and all its predecessors (before 2025-07-01 only the
   predecessors report: An Giang 91 for 2024 = former An Giang 89 + Kiên Giang 91); every
   unit for the nation. Their values are combined per element by `space_aggregation`: `sum`
   adds them, `mean` takes the unweighted mean of the units (index-type values: a DTI
   component of the new An Giang for 2024 is the mean of the two former provinces'), `none`
   gives a value only when O has a single unit in force (a former province, a current
   province after the merger or with one predecessor) and none for a combination.
5. Across the merger. When the units in force change inside P (only the year 2025: 63 units
   until June, 34 from July) steps 2-4 run per segment of P in which the units stay the same,
   and the segments are then combined over time per element: flows add, stocks take the
   latest segment, averages are weighted by the number of periods each segment covers.
6. Formulas. Numerator and denominator are evaluated on the combined element values;
   value = factor · numerator / denominator, or factor · numerator without a denominator; a
   zero denominator gives no value. Because the elements are summed over units *before*
   the division, a ratio of national or merged figures is the sum of numerators over the sum
   of denominators, never a mean of the units' ratios.

Steps 2-6 are four SQL statements into temporary tables (GROUP BY with SUM/AVG; the "last"
figure through an array MAX on PostgreSQL and a ROW_NUMBER window elsewhere), and the result
is merged into `IndicatorValue` by three statements (delete rows that vanished, update rows
whose figures changed, insert new rows). A recomputation that finds the same figures writes
nothing, so running it twice leaves the table identical, ids and `computed_at` included.
The ORM cannot express CREATE TABLE AS / INSERT ... SELECT, and moving 10^6 aggregates through
Python would cost more than the aggregation itself, hence SQL here (DESIGN §6).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from provinces.models import Province
from tracker.progress.formulas import CompiledIndicator, expression_sql, slot_column
from tracker.progress.models import IndicatorValue
from tracker.progress.scope import NATIONAL, Lineage, Scope
from tracker.progress.sql import Dialect, in_list, values_list
from tracker.reporting.models import DataValue, Submission

TIME = "progress_tmp_time"
UNIT = "progress_tmp_unit"
SPACE = "progress_tmp_space"
NEW = "progress_tmp_new"
TEMP_TABLES = (TIME, UNIT, SPACE, NEW)
NO_SEGMENT = ""
OPEN_END = "9999-12-31"
DECIMALS = 10

DATA_VALUE = DataValue._meta.db_table
SUBMISSION = Submission._meta.db_table
PROVINCE = Province._meta.db_table


def _value_sql(preview: bool) -> str:
    if preview:
        return "(CASE WHEN s.status = 'submitted' THEN dv.value ELSE dv.approved_value END)"
    return "dv.approved_value"


@dataclass
class IndicatorValueBuild:
    """Computes the rows of one scope into a temporary table, then merges or returns them."""

    dialect: Dialect
    indicators: Sequence[CompiledIndicator]
    lineage: Lineage
    scope: Scope
    preview: bool = False
    _width: int = field(init=False, default=1)

    def __post_init__(self) -> None:
        self._width = max((len(indicator.slots) for indicator in self.indicators), default=1)

    # -- building ---------------------------------------------------------------------------

    def build(self, cursor: Any) -> None:
        self.drop(cursor)
        self.dialect.prepare(cursor)
        self._create_new_table(cursor)
        if not self.indicators or not self.scope.periods:
            return
        self._aggregate_over_time(cursor)
        self._pivot_per_unit(cursor)
        self._combine_over_space(cursor)
        self._evaluate(cursor)

    def drop(self, cursor: Any) -> None:
        for table in TEMP_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def _keys(self) -> list:
        return sorted(self.scope.keys) if self.scope.keys is not None else self.lineage.all_keys()

    def _periods_values(self, with_meta: bool) -> tuple[str, list[Any]]:
        d = self.dialect
        if with_meta:
            rows = [
                (str(p), p.periodicity.value, d.date(p.start), d.date(p.end)) for p in self.scope.periods
            ]
            return values_list(rows, ["%s", "%s", d.date_placeholder, d.date_placeholder])
        rows2 = [(str(p), d.date(p.start), d.date(p.end)) for p in self.scope.periods]
        return values_list(rows2, ["%s", d.date_placeholder, d.date_placeholder])

    def _aggregate_over_time(self, cursor: Any) -> None:
        d = self.dialect
        v = _value_sql(self.preview)
        periods_sql, periods_params = self._periods_values(with_meta=False)
        elements = sorted({(slot.element_id, slot.time_rule) for ind in self.indicators for slot in ind.slots})
        elements_sql, elements_params = values_list(elements, ["%s", "%s"])
        unit_filter, unit_params = "", []
        keys = self._keys()
        if NATIONAL not in keys:
            unit_ids = sorted({member.unit.id for member in self.lineage.members(keys)})
            unit_filter = f"AND s.province_id IN ({in_list(len(unit_ids))})"
            unit_params = unit_ids
        joins = f"""
            FROM {DATA_VALUE} dv
            JOIN {SUBMISSION} s ON s.id = dv.submission_id
            JOIN {PROVINCE} pr ON pr.id = s.province_id
            JOIN e ON e.eid = dv.element_id
            JOIN p ON s.period_start >= p.ps AND s.period_end <= p.pe
            WHERE {v} IS NOT NULL
              AND s.period_start >= {d.date_placeholder} AND s.period_end <= {d.date_placeholder}
              AND s.period_end >= pr.valid_from AND (pr.valid_to IS NULL OR s.period_end <= pr.valid_to)
              {unit_filter}
        """
        head = f"CREATE TEMP TABLE {TIME} AS WITH p (pkey, ps, pe) AS (VALUES {periods_sql}), e (eid, rule) AS (VALUES {elements_sql})"  # noqa: E501
        range_params = [d.date(self.scope.first_day), d.date(self.scope.last_day)]
        if d.is_postgres:
            # MAX over [day number, value] arrays finds the latest figure in the same hash pass.
            sql = f"""{head}
                SELECT s.province_id AS u, dv.element_id AS e, p.pkey AS pkey,
                  CASE MAX(e.rule)
                    WHEN 'sum' THEN SUM({v})
                    WHEN 'average' THEN AVG({v})
                    ELSE (MAX(CASE WHEN e.rule = 'last'
                                   THEN ARRAY[CAST(s.period_start - DATE '2000-01-01' AS numeric), {v}] END))[2]
                  END AS tv,
                  COUNT(*) AS n
                {joins}
                GROUP BY s.province_id, dv.element_id, p.pkey
            """  # noqa: S608 - constants and generated placeholders only
        else:
            sql = f"""{head},
                r AS (
                  SELECT s.province_id AS u, dv.element_id AS e, p.pkey AS pkey, e.rule AS rule, {v} AS v,
                         ROW_NUMBER() OVER (PARTITION BY s.province_id, dv.element_id, p.pkey
                                            ORDER BY s.period_start DESC, s.period_end DESC) AS rn
                  {joins}
                )
                SELECT u, e, pkey,
                  CASE MAX(rule) WHEN 'sum' THEN SUM(v) WHEN 'average' THEN AVG(v)
                                 ELSE MAX(CASE WHEN rn = 1 THEN v END) END AS tv,
                  COUNT(*) AS n
                FROM r GROUP BY u, e, pkey
            """  # noqa: S608 - constants and generated placeholders only
        cursor.execute(sql, [*periods_params, *elements_params, *range_params, *unit_params])

    def _pivot_per_unit(self, cursor: Any) -> None:
        rows = [
            (ind.id, slot.element_id, position, len(ind.slots))
            for ind in self.indicators
            for position, slot in enumerate(ind.slots, start=1)
        ]
        ie_sql, ie_params = values_list(rows, ["%s", "%s", "%s", "%s"])
        slots = ", ".join(
            f"MAX(CASE WHEN ie.slot = {j} THEN t.tv END) AS s{j}" for j in range(1, self._width + 1)
        )
        sql = f"""
            CREATE TEMP TABLE {UNIT} AS
            WITH ie (ind, e, slot, k) AS (VALUES {ie_sql})
            SELECT ie.ind AS ind, t.u AS u, t.pkey AS pkey, MAX(t.n) AS n, {slots}
            FROM {TIME} t JOIN ie ON ie.e = t.e
            GROUP BY ie.ind, t.u, t.pkey
            HAVING COUNT(*) = MAX(ie.k)
        """  # noqa: S608 - constants and generated column names only
        cursor.execute(sql, ie_params)

    def _combine_over_space(self, cursor: Any) -> None:
        members = self.lineage.members(self._keys())
        member_rows = [
            (
                m.key.level,
                m.key.sql_id,
                m.unit.id,
                m.peers,
                m.unit.valid_to.isoformat() if m.unit.valid_to else OPEN_END,
            )
            for m in members
        ]
        m_sql, m_params = values_list(member_rows, ["%s", "%s", "%s", "%s", "%s"])
        rule_rows = [
            (ind.id, *[ind.slots[j].space_rule if j < len(ind.slots) else "" for j in range(self._width)])
            for ind in self.indicators
        ]
        i_cols = ", ".join(f"sr{j}" for j in range(1, self._width + 1))
        i_sql, i_params = values_list(rule_rows, ["%s"] * (self._width + 1))
        spanning = [str(p) for p in self.lineage.spanning(self.scope.periods)]
        if spanning:
            segment = f"CASE WHEN x.pkey IN ({in_list(len(spanning))}) THEN m.seg ELSE '{NO_SEGMENT}' END"
        else:
            segment = f"'{NO_SEGMENT}'"
        combined = ", ".join(
            f"""CASE MAX(i.sr{j}) WHEN 'sum' THEN SUM(x.s{j}) WHEN 'mean' THEN AVG(x.s{j})
                ELSE CASE WHEN COUNT(*) = 1 AND MAX(m.peers) = 1 THEN MAX(x.s{j}) END END AS {slot_column(j)}"""
            for j in range(1, self._width + 1)
        )
        group_segment = f", {segment}" if spanning else ""
        sql = f"""
            CREATE TEMP TABLE {SPACE} AS
            WITH m (level, tgt, u, peers, seg) AS (VALUES {m_sql}),
                 i (ind, {i_cols}) AS (VALUES {i_sql})
            SELECT x.ind AS ind, m.level AS level, m.tgt AS tgt, x.pkey AS pkey, {segment} AS seg,
                   {combined}, COUNT(*) AS nu, MAX(x.n) AS w
            FROM {UNIT} x JOIN m ON m.u = x.u JOIN i ON i.ind = x.ind
            GROUP BY x.ind, m.level, m.tgt, x.pkey{group_segment}
        """  # noqa: S608 - constants and generated column names only
        params = [*m_params, *i_params, *spanning, *(spanning if spanning else [])]
        cursor.execute(sql, params)

    def _create_new_table(self, cursor: Any) -> None:
        pg = self.dialect.is_postgres
        day = "date" if pg else "text"
        number = f"numeric(30, {DECIMALS})" if pg else "numeric"
        cursor.execute(
            f"""CREATE TEMP TABLE {NEW} (
                indicator_id bigint, level varchar(10), unit bigint, period varchar(7), periodicity varchar(10),
                period_start {day}, period_end {day}, numerator {number}, denominator {number}, value {number},
                units_count bigint)"""
        )

    def _evaluate(self, cursor: Any) -> None:
        d = self.dialect
        w = self._width
        shapes: dict[tuple[str, tuple[Decimal, ...]], int] = {}
        shape_params: dict[int, list[Decimal]] = {}
        rows = []
        for ind in self.indicators:
            numbers = []
            for tree in (ind.numerator, ind.denominator):
                if tree is None:
                    numbers.append(0)
                    continue
                text, literals = expression_sql(tree, ind.slot_of, d)
                key = (text, tuple(literals))
                if key not in shapes:
                    shapes[key] = len(shapes) + 1
                    shape_params[shapes[key]] = literals
                numbers.append(shapes[key])
            time_rules = [ind.slots[j].time_rule if j < len(ind.slots) else "" for j in range(w)]
            rows.append(
                (ind.id, numbers[0], numbers[1], d.number(ind.factor), 1 if ind.has_denominator else 0, *time_rules)
            )
        i_sql, i_params = values_list(rows, ["%s", "%s", "%s", d.number_placeholder, "%s", *(["%s"] * w)])
        i_cols = ", ".join(f"tr{j}" for j in range(1, w + 1))
        periods_sql, periods_params = self._periods_values(with_meta=True)

        def case(field: str) -> tuple[str, list[Decimal]]:
            branches, params = [], []
            for (text, _literals), number in shapes.items():
                branches.append(f"WHEN {number} THEN {text}")
                params += shape_params[number]
            return f"CASE i.{field} {' '.join(branches)} END", params

        numerator_sql, numerator_params = case("nshape")
        denominator_sql, denominator_params = case("dshape")
        cols = [slot_column(j) for j in range(1, w + 1)]
        across = ", ".join(
            f"""CASE MAX(i.tr{j})
                  WHEN 'sum' THEN SUM(x.{c})
                  WHEN 'average' THEN {d.divide(f"SUM(x.{c} * x.w)", f"SUM(CASE WHEN x.{c} IS NOT NULL THEN x.w END)")}
                  ELSE MAX(CASE WHEN x.seg = l.seg THEN x.{c} END) END"""
            for j, c in enumerate(cols, start=1)
        )
        value_sql = d.divide("ev.factor * ev.num", "ev.den")
        sql = f"""
            INSERT INTO {NEW}
            WITH i (ind, nshape, dshape, factor, hasden, {i_cols}) AS (VALUES {i_sql}),
                 p (pkey, periodicity, ps, pe) AS (VALUES {periods_sql}),
                 l AS (SELECT ind, level, tgt, pkey, MAX(seg) AS seg FROM {SPACE}
                       WHERE seg <> '{NO_SEGMENT}' GROUP BY ind, level, tgt, pkey),
                 combined (ind, level, tgt, pkey, {", ".join(cols)}, nu) AS (
                   SELECT ind, level, tgt, pkey, {", ".join(cols)}, nu FROM {SPACE} WHERE seg = '{NO_SEGMENT}'
                   UNION ALL
                   SELECT x.ind, x.level, x.tgt, x.pkey, {across}, SUM(x.nu)
                   FROM {SPACE} x
                   JOIN i ON i.ind = x.ind
                   JOIN l ON l.ind = x.ind AND l.level = x.level AND l.tgt = x.tgt AND l.pkey = x.pkey
                   WHERE x.seg <> '{NO_SEGMENT}'
                   GROUP BY x.ind, x.level, x.tgt, x.pkey
                 ),
                 ev AS (
                   SELECT c.ind, c.level, c.tgt, c.pkey, c.nu, i.factor, i.hasden,
                          {numerator_sql} AS num, {denominator_sql} AS den
                   FROM combined c JOIN i ON i.ind = c.ind
                 )
            SELECT ev.ind, ev.level, ev.tgt, ev.pkey, p.periodicity, p.ps, p.pe,
                   ROUND(ev.num, {DECIMALS}), ROUND(ev.den, {DECIMALS}),
                   ROUND(CASE WHEN ev.hasden = 1 THEN {value_sql} ELSE ev.factor * ev.num END, {DECIMALS}),
                   ev.nu
            FROM ev JOIN p ON p.pkey = ev.pkey
            WHERE ev.num IS NOT NULL AND (ev.hasden = 0 OR ev.den IS NOT NULL)
        """  # noqa: S608 - constants, generated column names and placeholders only
        cursor.execute(sql, [*i_params, *periods_params, *numerator_params, *denominator_params])

    # -- results ------------------------------------------------------------------------------

    def _scope_filter(self, alias: str) -> tuple[str, list[Any]]:
        periods = self.scope.period_texts
        sql = f"{alias}.period IN ({in_list(len(periods))})"
        params: list[Any] = list(periods)
        if self.scope.keys is not None:
            keys = sorted(self.scope.keys)
            key_sql, key_params = values_list([(k.level, k.sql_id) for k in keys], ["%s", "%s"])
            sql += f" AND ({alias}.level, COALESCE({alias}.province_id, 0)) IN (VALUES {key_sql})"
            params += key_params
        return sql, params

    def write(self, cursor: Any, now: datetime.datetime) -> int:
        """Merge the computed rows of the scope into IndicatorValue; returns rows changed."""
        table = IndicatorValue._meta.db_table
        same_key = (
            "n.indicator_id = iv.indicator_id AND n.level = iv.level"
            " AND n.unit = COALESCE(iv.province_id, 0) AND n.period = iv.period"
        )
        scope_sql, scope_params = self._scope_filter("iv")
        changed = 0
        cursor.execute(
            f"""DELETE FROM {table} WHERE id IN (
                  SELECT iv.id FROM {table} iv WHERE {scope_sql}
                  AND NOT EXISTS (SELECT 1 FROM {NEW} n WHERE {same_key}))""",  # noqa: S608
            scope_params,
        )
        changed += max(cursor.rowcount, 0)
        stamp = self.dialect.timestamp_placeholder
        cursor.execute(
            f"""UPDATE {table} AS iv
                SET numerator = n.numerator, denominator = n.denominator, value = n.value,
                    units_count = n.units_count, computed_at = {stamp}
                FROM {NEW} AS n
                WHERE {same_key}
                  AND (iv.numerator IS DISTINCT FROM n.numerator OR iv.denominator IS DISTINCT FROM n.denominator
                       OR iv.value IS DISTINCT FROM n.value OR iv.units_count <> n.units_count)""",  # noqa: S608
            [self.dialect.timestamp(now)],
        )
        changed += max(cursor.rowcount, 0)
        cursor.execute(
            f"""INSERT INTO {table} (indicator_id, level, province_id, period, periodicity, period_start, period_end,
                                     numerator, denominator, value, units_count, computed_at)
                SELECT n.indicator_id, n.level, NULLIF(n.unit, 0), n.period, n.periodicity, n.period_start,
                       n.period_end, n.numerator, n.denominator, n.value, n.units_count, {stamp}
                FROM {NEW} n
                WHERE NOT EXISTS (SELECT 1 FROM {table} iv WHERE {same_key})""",  # noqa: S608
            [self.dialect.timestamp(now)],
        )
        changed += max(cursor.rowcount, 0)
        return changed

    def fetch(self, cursor: Any) -> list[dict[str, Any]]:
        cursor.execute(
            f"""SELECT indicator_id, level, unit, period, periodicity, period_start, period_end,
                       numerator, denominator, value, units_count
                FROM {NEW} ORDER BY indicator_id, level, unit, period_start, period_end"""  # noqa: S608
        )
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
