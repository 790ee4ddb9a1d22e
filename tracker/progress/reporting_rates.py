"""Reporting rates per form, unit and period: expected, received, on time, approved.

A report is *expected* for every period of the form's periodicity that has ended, from every
reporting unit in force at the end of that period (the 63 former units through June 2025, the 34
current units from July 2025, so the 2025 yearly report is owed by the current units). A unit's
rows count its own reports, a current province's rows also count its predecessors' reports
before the merger, the nation's rows count everyone's. A quarter or year of a monthly form adds
up its months. A report is *received* once it has been submitted and not sent back (submitted
or approved, or it already carries official figures while a correction is under way), *on time*
when it was first submitted by the due date (period end + the form's due days, Vietnamese
calendar day), *approved* once it carries official figures, *not due* while it has not been
received and its due day has not passed yet (it is neither late nor missing until then; the
nightly recompute moves it on once the due day is over). One GROUP BY over reports joined to the
lineage, per scope.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from kpis.models import ReportForm
from kpis.periods import Period, Periodicity
from provinces.models import Province
from tracker.progress.models import ReportingRate
from tracker.progress.scope import Lineage, Scope, keys_q
from tracker.progress.sql import Dialect, periods_values, values_list
from tracker.progress.writers import sync_rows
from tracker.reporting.models import Submission


def _first_submitted_column() -> str:
    try:
        Submission._meta.get_field("first_submitted_at")
    except FieldDoesNotExist:
        return "s.submitted_at"
    return "COALESCE(s.first_submitted_at, s.submitted_at)"


def _native_periods(form: ReportForm, scope: Scope, today: datetime.date) -> list[Period]:
    """The form's own periods inside the scope's periods that have ended."""
    periodicity = Periodicity(form.periodicity)
    found: set[Period] = set()
    for period in scope.periods:
        if periodicity == Periodicity.MONTHLY:
            candidates = period.months()
        elif periodicity == Periodicity.QUARTERLY:
            candidates = sorted({month.quarter_of() for month in period.months()})
        else:
            candidates = [period.year_of()]
        found |= {c for c in candidates if period.contains(c) and c.end < today}
    return sorted(found)


COUNTS = ("expected", "received", "on_time", "approved", "not_due")
_RECEIVED = "(s.status IN ('submitted', 'approved') OR s.has_official_values)"


def counts_sql(dialect: Dialect) -> str:
    """The COUNTS (in their order) of a GROUP BY over the reports owed, `n` (form_id, nps, npe,
    due_before), left-joined to their submissions `s`; one placeholder: the start of today."""
    return f"""COUNT(*) AS expected,
               SUM(CASE WHEN s.id IS NOT NULL AND {_RECEIVED} THEN 1 ELSE 0 END) AS received,
               SUM(CASE WHEN s.id IS NOT NULL AND {_RECEIVED} AND {_first_submitted_column()} < n.due_before
                        THEN 1 ELSE 0 END) AS on_time,
               SUM(CASE WHEN s.id IS NOT NULL AND (s.status = 'approved' OR s.has_official_values)
                        THEN 1 ELSE 0 END) AS approved,
               SUM(CASE WHEN (s.id IS NULL OR NOT {_RECEIVED}) AND n.due_before > {dialect.timestamp_placeholder}
                        THEN 1 ELSE 0 END) AS not_due"""


def owed_values(dialect: Dialect, owed: Iterable[tuple[ReportForm, Period]]) -> tuple[str, list[Any]]:
    """VALUES rows `n` (form_id, nps, npe, due_before) of the (form, own period) reports owed."""
    d = dialect
    rows = [(form.pk, d.date(p.start), d.date(p.end), d.timestamp(_due_before(form, p))) for form, p in owed]
    return values_list(rows, ["%s", d.date_placeholder, d.date_placeholder, d.timestamp_placeholder])


def start_of(today: datetime.date) -> datetime.datetime:
    """The first moment of the day, in Vietnamese time (a due day before it has passed)."""
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))


def _due_before(form: ReportForm, period: Period) -> datetime.datetime:
    """The first moment after the due day, in Vietnamese time."""
    day_after_due = period.end + datetime.timedelta(days=form.due_day + 1)
    return timezone.make_aware(datetime.datetime.combine(day_after_due, datetime.time.min))


def compute_reporting_rates(
    *, dialect: Dialect, cursor: Any, lineage: Lineage, scope: Scope, today: datetime.date
) -> dict[tuple, dict[str, Any]]:
    d = dialect
    owed = [
        (form, period) for form in ReportForm.objects.order_by("pk") for period in _native_periods(form, scope, today)
    ]
    keys = sorted(scope.keys) if scope.keys is not None else lineage.all_keys()
    members = lineage.members(keys)
    if not owed or not members:
        return {}
    n_sql, n_params = owed_values(d, owed)
    p_sql, p_params = periods_values(d, scope.periods)
    m_sql, m_params = values_list([(m.key.level, m.key.sql_id, m.unit.id) for m in members], ["%s", "%s", "%s"])
    sql = f"""
        WITH n (form_id, nps, npe, due_before) AS (VALUES {n_sql}),
             p (pkey, periodicity, ps, pe) AS (VALUES {p_sql}),
             m (level, tgt, u) AS (VALUES {m_sql})
        SELECT n.form_id, m.level, m.tgt, p.pkey, MAX(p.periodicity), MIN(p.ps), MAX(p.pe),
               {counts_sql(d)}
        FROM n
        JOIN p ON n.nps >= p.ps AND n.npe <= p.pe
        CROSS JOIN m
        JOIN {Province._meta.db_table} u
          ON u.id = m.u AND n.npe >= u.valid_from AND (u.valid_to IS NULL OR n.npe <= u.valid_to)
        LEFT JOIN {Submission._meta.db_table} s
          ON s.province_id = m.u AND s.commune_id IS NULL
             AND s.form_id = n.form_id AND s.period_start = n.nps AND s.period_end = n.npe
        GROUP BY n.form_id, m.level, m.tgt, p.pkey
    """  # noqa: S608 - constants, table names and placeholders only
    cursor.execute(sql, [*n_params, *p_params, *m_params, d.timestamp(start_of(today))])
    rows: dict[tuple, dict[str, Any]] = {}
    for (
        form_id,
        level,
        unit,
        period,
        periodicity,
        _start,
        _end,
        expected,
        got,
        on_time,
        approved,
        not_due,
    ) in cursor.fetchall():
        parsed = Period.parse(period)
        province_id = unit or None
        rows[(form_id, level, province_id, period)] = {
            "form_id": form_id,
            "level": level,
            "province_id": province_id,
            "period": period,
            "periodicity": periodicity,
            "period_start": parsed.start,
            "period_end": parsed.end,
            "expected": int(expected),
            "received": int(got),
            "on_time": int(on_time),
            "approved": int(approved),
            "not_due": int(not_due),
        }
    return rows


def write_reporting_rates(
    *, dialect: Dialect, cursor: Any, lineage: Lineage, scope: Scope, today: datetime.date, now: datetime.datetime
) -> int:
    rows = compute_reporting_rates(dialect=dialect, cursor=cursor, lineage=lineage, scope=scope, today=today)
    existing = ReportingRate.objects.filter(period__in=scope.period_texts)
    if scope.keys is not None:
        existing = existing.filter(keys_q(scope.keys))
    return sync_rows(
        model=ReportingRate,
        existing=existing,
        new_rows=rows,
        key=lambda row: (row.form_id, row.level, row.province_id, row.period),
        compared=["periodicity", "period_start", "period_end", *COUNTS],
        now=now,
    )
