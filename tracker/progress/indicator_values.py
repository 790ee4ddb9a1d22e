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

Steps 1-3 are one SQL statement into a temporary table (one GROUP BY with SUM/AVG per slot;
the "last" figure through an array MAX on PostgreSQL, a ROW_NUMBER window elsewhere) and steps
4-6 a second one (GROUP BY per row owner, except that an owner with a single unit in force takes
that unit's row as it is; then the formulas). The result is merged into `IndicatorValue`: rows
that vanished are deleted, rows whose figures changed updated, new rows inserted (on PostgreSQL
one FULL JOIN finds all three). A recomputation that finds the same figures writes nothing, so
running it twice leaves the table identical, ids and `computed_at` included. A first fill, into
an empty table, inserts the rows directly.
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
from tracker.progress.sql import Dialect, in_list, periods_values, values_list
from tracker.reporting.models import DataValue, Submission

UNIT = "progress_tmp_unit"
NEW = "progress_tmp_new"
DIFF = "progress_tmp_diff"
TEMP_TABLES = (UNIT, NEW, DIFF)
NO_SEGMENT = ""
OPEN_END = "9999-12-31"
DECIMALS = 10
# More units than an approval touches (a province and its predecessors): a chunk of a split run.
MANY_UNITS = 4

DATA_VALUE = DataValue._meta.db_table
SUBMISSION = Submission._meta.db_table
PROVINCE = Province._meta.db_table
# IndicatorValue with the columns the computed rows are inserted into, in their order.
STORED = f"""{IndicatorValue._meta.db_table} (
    indicator_id, level, province_id, period, periodicity, period_start, period_end,
    numerator, denominator, value, units_count, computed_at)"""


def _value_sql(preview: bool, submission: int | None = None) -> str:
    if submission is not None:  # as if that one report were approved (the approver's warning)
        return f"(CASE WHEN s.id = {int(submission)} THEN dv.value ELSE dv.approved_value END)"
    if preview:
        return "(CASE WHEN s.status = 'submitted' THEN dv.value ELSE dv.approved_value END)"
    return "dv.approved_value"


def shape_case(column: str, texts: dict[int, str], literals: dict[int, list[Decimal]]) -> tuple[str, list[Decimal]]:
    """A CASE over the shape number in `i.<column>` giving each shape's formula (see `_shapes`), and
    the formulas' literals as its parameters, in order."""
    branches, params = [], []
    for number, text in texts.items():
        branches.append(f"WHEN {number} THEN {text}")
        params += literals[number]
    return f"CASE i.{column} {' '.join(branches)} END", params


@dataclass
class IndicatorValueBuild:
    """Computes the rows of one scope into a temporary table, then merges or returns them."""

    dialect: Dialect
    indicators: Sequence[CompiledIndicator]
    lineage: Lineage
    scope: Scope
    preview: bool = False
    # Only this submission's working figures beside the official ones (tracker.progress.quality).
    preview_submission: int | None = None
    _width: int = field(init=False, default=1)

    def __post_init__(self) -> None:
        self._width = max((len(indicator.slots) for indicator in self.indicators), default=1)

    # -- building ---------------------------------------------------------------------------

    def build(self, cursor: Any) -> None:
        """Compute the scope's rows into the temporary table (for write() or fetch())."""
        self._compute(cursor, now=None)

    def fill(self, cursor: Any, now: datetime.datetime) -> int:
        """Insert the rows of a scope that has none yet straight into IndicatorValue, when nothing
        else writes them meanwhile (a first fill, whose table has no indexes to look rows up by);
        returns the rows inserted."""
        inserted = self._compute(cursor, now=now)
        self.drop(cursor)
        return inserted

    def _compute(self, cursor: Any, now: datetime.datetime | None) -> int:
        self.drop(cursor)
        self.dialect.prepare(cursor)
        if now is None:
            self._create_new_table(cursor)
        if not self.indicators or not self.scope.periods:
            return 0
        self._aggregate_per_unit(cursor)
        return self._combine_and_evaluate(cursor, now=now)

    def drop(self, cursor: Any) -> None:
        for table in TEMP_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def _keys(self) -> list:
        return sorted(self.scope.keys) if self.scope.keys is not None else self.lineage.all_keys()

    def _periods_values(self, with_meta: bool) -> tuple[str, list[Any]]:
        d = self.dialect
        if with_meta:
            return periods_values(d, self.scope.periods)
        rows2 = [(str(p), d.date(p.start), d.date(p.end)) for p in self.scope.periods]
        return values_list(rows2, ["%s", d.date_placeholder, d.date_placeholder])

    def _rules(self, pick: str) -> list[list[str]]:
        """Per indicator, each slot's time or space rule ('' beyond its own slots)."""
        return [
            [getattr(ind.slots[j], pick) if j < len(ind.slots) else "" for j in range(self._width)]
            for ind in self.indicators
        ]

    def _report_periods(self) -> tuple[str, list[Any]]:
        """Which scope periods each possible report period (a month, quarter or year) falls in: an
        equality join on the report's dates instead of a range join against every scope period."""
        d = self.dialect
        rows = set()
        for period in self.scope.periods:
            for month in period.months():
                for candidate in (month, month.quarter_of(), month.year_of()):
                    if period.contains(candidate):
                        rows.add((d.date(candidate.start), d.date(candidate.end), str(period)))
        return values_list(sorted(rows), [d.date_placeholder, d.date_placeholder, "%s"])

    # The reporting unit each figure is aggregated for (a commune build groups by the commune).
    unit_column = "s.province_id"

    def _source(self, v: str) -> tuple[str, list[Any], int]:
        """The figures' FROM and WHERE (after the `p` and `ie` lists), their parameters, and how many
        reporting units they are limited to (0: all)."""
        d = self.dialect
        unit_filter, unit_params = "", []
        keys = self._keys()
        if NATIONAL not in keys:
            unit_ids = sorted({member.unit.id for member in self.lineage.members(keys)})
            unit_filter = f"AND s.province_id IN ({in_list(len(unit_ids))})"
            unit_params = unit_ids
        range_params = [d.date(self.scope.first_day), d.date(self.scope.last_day)]
        scope_reports = (
            f"s.commune_id IS NULL AND s.period_start >= {d.date_placeholder} AND s.period_end <= {d.date_placeholder}"
        )
        by_reports, reports_params = "", []
        if d.is_postgres:
            # The figures of the scope's province reports, found by their reports: hashed against
            # every figure of the table instead, an approval's national scope read all 12.5 million
            # figures of the commune stress set (1 s) for the 60 000 it needed (issue 17).
            by_reports = (
                f"AND dv.submission_id = ANY(ARRAY(SELECT s.id FROM {SUBMISSION} s "  # noqa: S608
                f"WHERE {scope_reports} {unit_filter}))"
            )
            reports_params = [*range_params, *unit_params]
        # Province reports only: commune reports reach a province's figures through the province
        # report's cells rolled up from them (tracker.reporting), never directly.
        source = f"""
            FROM {DATA_VALUE} dv
            JOIN {SUBMISSION} s ON s.id = dv.submission_id
            JOIN {PROVINCE} pr ON pr.id = s.province_id
            JOIN ie ON ie.e = dv.element_id
            JOIN p ON p.ps = s.period_start AND p.pe = s.period_end
            WHERE {v} IS NOT NULL AND {scope_reports}
              AND s.period_end >= pr.valid_from AND (pr.valid_to IS NULL OR s.period_end <= pr.valid_to)
              {unit_filter} {by_reports}
        """
        return source, [*range_params, *unit_params, *reports_params], len(unit_params)

    def _aggregate_per_unit(self, cursor: Any) -> None:
        """Steps 1-3: per indicator, reporting unit and period, each slot's element aggregated over
        time by its rule; only units with every element of the indicator are kept.

        Each figure feeds only the aggregate of its slot's rule (the others see NULL, which
        aggregates skip), so a slot's value is the one non-null aggregate of the three."""
        d = self.dialect
        w = self._width
        v = _value_sql(self.preview, self.preview_submission)
        unit = self.unit_column
        periods_sql, periods_params = self._report_periods()
        ie_rows = [
            (ind.id, slot.element_id, position, slot.time_rule, len(ind.slots))
            for ind in self.indicators
            for position, slot in enumerate(ind.slots, start=1)
        ]
        ie_sql, ie_params = values_list(ie_rows, ["%s"] * 5)
        source, source_params, narrowed = self._source(v)
        head = f"""CREATE TEMP TABLE {UNIT} AS
            WITH p (ps, pe, pkey) AS (VALUES {periods_sql}),
                 ie (ind, e, slot, rule, k) AS (VALUES {ie_sql})"""

        def by_rule(j: int, row: str, figure: str, latest: str) -> str:
            mine = f"{row}.slot = {j} AND {row}.rule"
            return f"""COALESCE(SUM(CASE WHEN {mine} = 'sum' THEN {figure} END),
                                AVG(CASE WHEN {mine} = 'average' THEN {figure} END), {latest}) AS s{j}"""

        if d.is_postgres:
            # MAX over [day number, value] arrays finds the latest figure in the same hash pass.
            slots = ", ".join(
                by_rule(
                    j,
                    "ie",
                    v,
                    f"""(MAX(CASE WHEN ie.slot = {j} AND ie.rule = 'last'
                                  THEN ARRAY[CAST(s.period_start - DATE '2000-01-01' AS numeric), {v}] END))[2]""",
                )
                for j in range(1, w + 1)
            )
            inner = f"""
                SELECT ie.ind AS ind, {unit} AS u, p.pkey AS pkey, MAX(ie.k) AS k, COUNT(*) AS n, {slots}
                {source}
                GROUP BY ie.ind, {unit}, p.pkey"""
            sql = head
        else:
            slots = ", ".join(
                by_rule(j, "r", "r.v", f"MAX(CASE WHEN r.slot = {j} AND r.rule = 'last' AND r.rn = 1 THEN r.v END)")
                for j in range(1, w + 1)
            )
            sql = f"""{head},
                r AS (
                  SELECT ie.ind AS ind, {unit} AS u, p.pkey AS pkey, ie.slot AS slot, ie.rule AS rule,
                         ie.k AS k, {v} AS v,
                         ROW_NUMBER() OVER (PARTITION BY ie.ind, {unit}, p.pkey, ie.slot
                                            ORDER BY s.period_start DESC, s.period_end DESC) AS rn
                  {source}
                )"""
            inner = f"""
                SELECT r.ind AS ind, r.u AS u, r.pkey AS pkey, MAX(r.k) AS k, COUNT(*) AS n, {slots}
                FROM r
                GROUP BY r.ind, r.u, r.pkey"""  # noqa: S608 - constants and generated column names only
        complete = " AND ".join(f"(a.k < {j} OR a.s{j} IS NOT NULL)" for j in range(1, w + 1))
        columns = ", ".join(f"a.s{j}" for j in range(1, w + 1))
        sql += f"""
            SELECT a.ind, a.u, a.pkey, a.n, {columns} FROM ({inner}) a WHERE {complete}
        """  # noqa: S608 - constants and generated placeholders only
        if d.is_postgres:
            # The planner cannot estimate the VALUES joins and sorts the rows for a GroupAggregate;
            # hashing the groups takes a third less time.
            cursor.execute("SET LOCAL enable_sort = off")
            if not narrowed or narrowed > MANY_UNITS:
                # Every unit of one year (an approval's national scope) was estimated at one row and
                # joined to the indicators' VALUES by a nested loop: 9 million comparisons, 5 s on the
                # national-scale benchmark, against 0.3 s with hash joins (issue 12, EXPLAIN ANALYZE).
                # So were a split full run's chunks (a year of a quarter of the provinces: 25.8 s
                # against 1.6 s) and, once the real catalogue's 60 indicators sit beside the
                # benchmark's 54, a full run's year (81 s against 3.6 s for 2024). An approval's few
                # units keep the plans they were measured with.
                cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(sql, [*periods_params, *ie_params, *source_params])
        if d.is_postgres:
            cursor.execute("SET LOCAL enable_sort = on")
            cursor.execute("SET LOCAL enable_nestloop = on")

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

    def _shapes(self) -> tuple[list[tuple[int, int]], dict[int, str], dict[int, list[Decimal]]]:
        """Each indicator's numerator and denominator shape numbers (0: none), and the shapes."""
        numbers: dict[tuple[str, tuple[Decimal, ...]], int] = {}
        texts: dict[int, str] = {}
        literals_of: dict[int, list[Decimal]] = {}
        per_indicator = []
        for ind in self.indicators:
            pair = []
            for tree in (ind.numerator, ind.denominator):
                if tree is None:
                    pair.append(0)
                    continue
                text, literals = expression_sql(tree, ind.slot_of, self.dialect)
                key = (text, tuple(literals))
                if key not in numbers:
                    numbers[key] = len(numbers) + 1
                    texts[numbers[key]], literals_of[numbers[key]] = text, literals
                pair.append(numbers[key])
            per_indicator.append((pair[0], pair[1]))
        return per_indicator, texts, literals_of

    def _combine_and_evaluate(self, cursor: Any, now: datetime.datetime | None = None) -> int:
        """Steps 4-6: combine the units of each row owner over space (per segment of a period in
        which the units in force change, then those segments over time), evaluate the formulas.

        The rows go to the temporary table, or with `now` straight into IndicatorValue (fill())."""
        d = self.dialect
        w = self._width
        cols = [slot_column(j) for j in range(1, w + 1)]
        members = self.lineage.members(self._keys())
        m_rows = [
            (
                m.key.level,
                m.key.sql_id,
                m.unit.id,
                m.peers,
                m.unit.valid_to.isoformat() if m.unit.valid_to else OPEN_END,
                1 if m.solo else 0,
            )
            for m in members
        ]
        m_sql, m_params = values_list(m_rows, ["%s"] * 6)
        shape_pairs, shape_texts, shape_literals = self._shapes()
        i_rows = [
            (ind.id, nshape, dshape, d.number(ind.factor), 1 if ind.has_denominator else 0, *space, *time)
            for ind, (nshape, dshape), space, time in zip(
                self.indicators, shape_pairs, self._rules("space_rule"), self._rules("time_rule"), strict=True
            )
        ]
        i_sql, i_params = values_list(i_rows, ["%s", "%s", "%s", d.number_placeholder, "%s", *(["%s"] * (2 * w))])
        i_cols = ", ".join([*(f"sr{j}" for j in range(1, w + 1)), *(f"tr{j}" for j in range(1, w + 1))])
        periods_sql, periods_params = self._periods_values(with_meta=True)
        spanning = [str(p) for p in self.lineage.spanning(self.scope.periods)]
        segment = (
            f"CASE WHEN x.pkey IN ({in_list(len(spanning))}) THEN m.seg ELSE '{NO_SEGMENT}' END"
            if spanning
            else f"'{NO_SEGMENT}'"
        )
        # As over time: each figure feeds only its rule's aggregate, and the slot takes the one
        # that is not null ('none': the single unit's figure, when the owner has a single unit).
        space = ", ".join(
            f"""COALESCE(SUM(CASE WHEN i.sr{j} = 'sum' THEN x.s{j} END),
                         AVG(CASE WHEN i.sr{j} = 'mean' THEN x.s{j} END),
                         CASE WHEN COUNT(*) = 1 AND MAX(m.peers) = 1
                              THEN MAX(CASE WHEN i.sr{j} NOT IN ('sum', 'mean') THEN x.s{j} END) END) AS {c}"""
            for j, c in enumerate(cols, start=1)
        )
        group_segment = f", {segment}" if spanning else ""
        # A solo member's row is its owner's whole group outside the spanning periods: it is passed
        # through as the GROUP BY would give it (a mean of one value divided by one, as AVG does),
        # so that only the owners that really combine units are hashed.
        alone = f"m.solo = 1 AND x.pkey NOT IN ({in_list(len(spanning))})" if spanning else "m.solo = 1"
        single = ", ".join(
            f"CASE WHEN i.sr{j} = 'mean' THEN {d.mean_of_one(f'x.s{j}')} ELSE x.s{j} END AS {c}"
            for j, c in enumerate(cols, start=1)
        )
        within = f"""
            SELECT x.ind AS ind, m.level AS level, m.tgt AS tgt, x.pkey AS pkey, {segment} AS seg,
                   {space}, COUNT(*) AS nu, MAX(x.n) AS w
            FROM {UNIT} x JOIN m ON m.u = x.u JOIN i ON i.ind = x.ind
            WHERE NOT ({alone})
            GROUP BY x.ind, m.level, m.tgt, x.pkey{group_segment}
            UNION ALL
            SELECT x.ind, m.level, m.tgt, x.pkey, '{NO_SEGMENT}', {single}, 1, x.n
            FROM {UNIT} x JOIN m ON m.u = x.u JOIN i ON i.ind = x.ind
            WHERE {alone}"""  # noqa: S608 - generated column names only
        within_params = [*spanning, *spanning, *spanning, *spanning] if spanning else []
        if spanning:
            weighted = {
                c: d.divide(f"SUM(x.{c} * x.w)", f"SUM(CASE WHEN x.{c} IS NOT NULL THEN x.w END)") for c in cols
            }
            across = ", ".join(
                f"""CASE MAX(i.tr{j})
                      WHEN 'sum' THEN SUM(x.{c})
                      WHEN 'average' THEN {weighted[c]}
                      ELSE MAX(CASE WHEN x.seg = l.seg THEN x.{c} END) END"""
                for j, c in enumerate(cols, start=1)
            )
            combined = f"""
                 sp AS ({within}),
                 l AS (SELECT ind, level, tgt, pkey, MAX(seg) AS seg FROM sp
                       WHERE seg <> '{NO_SEGMENT}' GROUP BY ind, level, tgt, pkey),
                 combined (ind, level, tgt, pkey, {", ".join(cols)}, nu) AS (
                   SELECT ind, level, tgt, pkey, {", ".join(cols)}, nu FROM sp WHERE seg = '{NO_SEGMENT}'
                   UNION ALL
                   SELECT x.ind, x.level, x.tgt, x.pkey, {across}, SUM(x.nu)
                   FROM sp x
                   JOIN i ON i.ind = x.ind
                   JOIN l ON l.ind = x.ind AND l.level = x.level AND l.tgt = x.tgt AND l.pkey = x.pkey
                   WHERE x.seg <> '{NO_SEGMENT}'
                   GROUP BY x.ind, x.level, x.tgt, x.pkey
                 )"""  # noqa: S608 - generated column names only
        else:
            combined = f"combined AS ({within})"

        numerator_sql, numerator_params = shape_case("nshape", shape_texts, shape_literals)
        denominator_sql, denominator_params = shape_case("dshape", shape_texts, shape_literals)
        value_sql = d.divide("ev.factor * ev.num", "ev.den")
        if now is None:
            target, owner, stamp, stamp_params = NEW, "ev.tgt", "", []
        else:
            target = STORED
            owner, stamp, stamp_params = "NULLIF(ev.tgt, 0)", f", {d.timestamp_placeholder}", [d.timestamp(now)]
        sql = f"""
            INSERT INTO {target}
            WITH m (level, tgt, u, peers, seg, solo) AS (VALUES {m_sql}),
                 i (ind, nshape, dshape, factor, hasden, {i_cols}) AS (VALUES {i_sql}),
                 p (pkey, periodicity, ps, pe) AS (VALUES {periods_sql}),
                 {combined},
                 ev AS (
                   SELECT c.ind, c.level, c.tgt, c.pkey, c.nu, i.factor, i.hasden,
                          {numerator_sql} AS num, {denominator_sql} AS den
                   FROM combined c JOIN i ON i.ind = c.ind
                 )
            SELECT ev.ind, ev.level, {owner}, ev.pkey, p.periodicity, p.ps, p.pe,
                   ROUND(ev.num, {DECIMALS}), ROUND(ev.den, {DECIMALS}),
                   ROUND(CASE WHEN ev.hasden = 1 THEN {value_sql} ELSE ev.factor * ev.num END, {DECIMALS}),
                   ev.nu{stamp}
            FROM ev JOIN p ON p.pkey = ev.pkey
            WHERE ev.num IS NOT NULL AND (ev.hasden = 0 OR ev.den IS NOT NULL)
        """  # noqa: S608 - constants, generated column names and placeholders only
        params = [
            *m_params,
            *i_params,
            *periods_params,
            *within_params,
            *numerator_params,
            *denominator_params,
            *stamp_params,
        ]
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)

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

    def _insert_from(self, source: str) -> str:
        """INSERT of the computed rows of a temporary table (the timestamp is the one parameter)."""
        return f"""INSERT INTO {STORED}
                   SELECT n.indicator_id, n.level, NULLIF(n.unit, 0), n.period, n.periodicity, n.period_start,
                          n.period_end, n.numerator, n.denominator, n.value, n.units_count,
                          {self.dialect.timestamp_placeholder}
                   FROM {source} n"""  # noqa: S608 - table names only

    def write(self, cursor: Any, now: datetime.datetime) -> int:
        """Merge the computed rows of the scope into IndicatorValue; returns rows changed."""
        if self.dialect.is_postgres:
            return self._merge_through_diff(cursor, now)
        return self._merge(cursor, now)

    def _merge_through_diff(self, cursor: Any, now: datetime.datetime) -> int:
        """PostgreSQL: one hashed FULL JOIN of the scope's rows with the computed ones finds the rows
        to delete, update and insert; a recomputation that changes nothing stops there."""
        table = IndicatorValue._meta.db_table
        scope_sql, scope_params = self._scope_filter("iv")
        # The key matches on COALESCE(province_id, 0), which no index serves, and the temporary
        # table has no statistics: hash the scope's rows (prepare() already rules out a merge join).
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(
            f"""CREATE TEMP TABLE {DIFF} AS
                SELECT iv.id AS id, n.indicator_id IS NULL AS gone, n.*
                FROM (SELECT id, indicator_id, level, province_id, period, numerator, denominator, value, units_count
                      FROM {table} iv WHERE {scope_sql}) iv
                FULL JOIN {NEW} n
                  ON n.indicator_id = iv.indicator_id AND n.level = iv.level
                     AND n.unit = COALESCE(iv.province_id, 0) AND n.period = iv.period
                WHERE iv.id IS NULL OR n.indicator_id IS NULL
                   OR iv.numerator IS DISTINCT FROM n.numerator OR iv.denominator IS DISTINCT FROM n.denominator
                   OR iv.value IS DISTINCT FROM n.value OR iv.units_count <> n.units_count""",  # noqa: S608
            scope_params,
        )
        cursor.execute("SET LOCAL enable_nestloop = on")
        if cursor.rowcount == 0:
            return 0
        cursor.execute(f"DELETE FROM {table} WHERE id IN (SELECT id FROM {DIFF} WHERE gone)")  # noqa: S608
        changed = max(cursor.rowcount, 0)
        cursor.execute(
            f"""UPDATE {table} AS iv
                SET numerator = n.numerator, denominator = n.denominator, value = n.value,
                    units_count = n.units_count, computed_at = {self.dialect.timestamp_placeholder}
                FROM {DIFF} AS n WHERE iv.id = n.id AND NOT n.gone""",  # noqa: S608
            [self.dialect.timestamp(now)],
        )
        changed += max(cursor.rowcount, 0)
        cursor.execute(f"{self._insert_from(DIFF)} WHERE n.id IS NULL", [self.dialect.timestamp(now)])
        return changed + max(cursor.rowcount, 0)

    def _merge(self, cursor: Any, now: datetime.datetime) -> int:
        """SQLite (no FULL JOIN before 3.39): delete the rows that vanished, update those that
        changed, insert the new ones, each looked up through the unique index."""
        table = IndicatorValue._meta.db_table
        # The same condition written both ways, so that SQLite finds an index from either side.
        same_unit = "n.unit = COALESCE(iv.province_id, 0) AND iv.province_id IS NULLIF(n.unit, 0)"
        cursor.execute(f"CREATE INDEX {NEW}_key ON {NEW} (indicator_id, level, unit, period)")
        same_key = f"n.indicator_id = iv.indicator_id AND n.level = iv.level AND {same_unit} AND n.period = iv.period"
        scope_sql, scope_params = self._scope_filter("iv")
        cursor.execute(
            f"""DELETE FROM {table} WHERE id IN (
                  SELECT iv.id FROM {table} iv WHERE {scope_sql}
                  AND NOT EXISTS (SELECT 1 FROM {NEW} n WHERE {same_key}))""",  # noqa: S608
            scope_params,
        )
        changed = max(cursor.rowcount, 0)
        cursor.execute(
            f"""UPDATE {table} AS iv
                SET numerator = n.numerator, denominator = n.denominator, value = n.value,
                    units_count = n.units_count, computed_at = {self.dialect.timestamp_placeholder}
                FROM {NEW} AS n
                WHERE {same_key} AND {scope_sql}
                  AND (iv.numerator IS DISTINCT FROM n.numerator OR iv.denominator IS DISTINCT FROM n.denominator
                       OR iv.value IS DISTINCT FROM n.value OR iv.units_count <> n.units_count)""",  # noqa: S608
            [self.dialect.timestamp(now), *scope_params],
        )
        changed += max(cursor.rowcount, 0)
        cursor.execute(
            f"{self._insert_from(NEW)} WHERE NOT EXISTS (SELECT 1 FROM {table} iv WHERE {same_key} AND {scope_sql})",  # noqa: S608
            [self.dialect.timestamp(now), *scope_params],
        )
        return changed + max(cursor.rowcount, 0)

    def fetch(self, cursor: Any) -> list[dict[str, Any]]:
        cursor.execute(
            f"""SELECT indicator_id, level, unit, period, periodicity, period_start, period_end,
                       numerator, denominator, value, units_count
                FROM {NEW} ORDER BY indicator_id, level, unit, period_start, period_end"""  # noqa: S608
        )
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
