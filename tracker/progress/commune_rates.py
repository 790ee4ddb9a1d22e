"""Commune reporting rates per form and period: per commune, and per province over its communes.

The definitions of `reporting_rates` (ReportingRate), one level down. A commune report of form F
is *expected* for every period of F's periodicity that has ended, from `F.commune_reporting_from`
on, from every commune in force at the end of that period; a quarter or year of a monthly form
adds up its months. *Received* once submitted and not sent back (or carrying official figures
while a correction is under way), *on time* when first submitted by the due date (period end +
F's due days), *approved* once it carries official figures, *not due* while not received and its
due day has not passed. A province's row (commune empty) adds up its communes' rows: "98/102 xã
đã được duyệt" is its `approved`/`expected`.

One GROUP BY over the communes in force joined to their reports, per scope (periods x provinces);
merged with `sync_rows`, so a rerun writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from kpis.models import ReportForm
from kpis.periods import InvalidPeriod, Period
from provinces.models import Commune
from tracker.progress.models import CommuneReportingRate
from tracker.progress.reporting_rates import COUNTS, _native_periods, counts_sql, owed_values, start_of
from tracker.progress.scope import Scope
from tracker.progress.sql import Dialect, in_list, periods_values
from tracker.progress.writers import sync_rows
from tracker.reporting.models import Submission


def commune_forms() -> list[tuple[ReportForm, Period]]:
    """The forms reported at commune level, each with its first commune period."""
    out = []
    for form in ReportForm.objects.exclude(commune_reporting_from="").order_by("pk"):
        try:
            out.append((form, Period.parse(form.commune_reporting_from)))
        except InvalidPeriod:
            continue
    return out


def compute_commune_rates(
    *,
    dialect: Dialect,
    cursor: Any,
    periods: Sequence[Period],
    province_ids: Sequence[int] | None,
    today: datetime.date,
) -> dict[tuple, dict[str, Any]]:
    d = dialect
    scope = Scope(tuple(periods))
    owed = [
        (form, period)
        for form, first in commune_forms()
        for period in _native_periods(form, scope, today)
        if period.start >= first.start
    ]
    if not owed or not periods:
        return {}
    n_sql, n_params = owed_values(d, owed)
    p_sql, p_params = periods_values(d, periods)
    only, only_params = "", []
    if province_ids is not None:
        if not province_ids:
            return {}
        only, only_params = f"AND c.province_id IN ({in_list(len(province_ids))})", list(province_ids)
    sql = f"""
        WITH n (form_id, nps, npe, due_before) AS (VALUES {n_sql}),
             p (pkey, periodicity, ps, pe) AS (VALUES {p_sql})
        SELECT n.form_id, c.province_id, c.id, p.pkey, MAX(p.periodicity),
               {counts_sql(d)}
        FROM n
        JOIN p ON n.nps >= p.ps AND n.npe <= p.pe
        JOIN {Commune._meta.db_table} c
          ON n.npe >= c.valid_from AND (c.valid_to IS NULL OR n.npe <= c.valid_to) {only}
        LEFT JOIN {Submission._meta.db_table} s
          ON s.commune_id = c.id AND s.form_id = n.form_id AND s.period_start = n.nps AND s.period_end = n.npe
        GROUP BY n.form_id, c.province_id, c.id, p.pkey
    """  # noqa: S608 - constants, table names and placeholders only
    cursor.execute(sql, [*n_params, *p_params, d.timestamp(start_of(today)), *only_params])
    rows: dict[tuple, dict[str, Any]] = {}
    for form_id, province_id, commune_id, period, periodicity, *counts in cursor.fetchall():
        parsed = Period.parse(period)
        row: dict[str, Any] = {
            "form_id": form_id,
            "province_id": province_id,
            "commune_id": commune_id,
            "period": period,
            "periodicity": periodicity,
            "period_start": parsed.start,
            "period_end": parsed.end,
            **{name: int(count) for name, count in zip(COUNTS, counts, strict=True)},
        }
        rows[(form_id, province_id, commune_id, period)] = row
        total = rows.setdefault(
            (form_id, province_id, None, period), {**row, "commune_id": None, **dict.fromkeys(COUNTS, 0)}
        )
        for name in COUNTS:
            total[name] += row[name]
    return rows


def write_commune_rates(
    *,
    dialect: Dialect,
    cursor: Any,
    periods: Sequence[Period],
    province_ids: Sequence[int] | None,
    today: datetime.date,
    now: datetime.datetime,
) -> int:
    """Recompute and merge the commune reporting rates of the provinces (None: all) for the periods."""
    rows = compute_commune_rates(
        dialect=dialect, cursor=cursor, periods=periods, province_ids=province_ids, today=today
    )
    existing = CommuneReportingRate.objects.filter(period__in=[str(p) for p in periods])
    if province_ids is not None:
        existing = existing.filter(province_id__in=list(province_ids))
    return sync_rows(
        model=CommuneReportingRate,
        existing=existing,
        new_rows=rows,
        key=lambda row: (row.form_id, row.province_id, row.commune_id, row.period),
        compared=["periodicity", "period_start", "period_end", *COUNTS],
        now=now,
    )


# -- selectors ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneRate:
    form_id: int
    province_id: int
    commune_id: int | None  # None: the province over its communes
    period: str
    expected: int
    received: int
    on_time: int
    approved: int
    not_due: int

    @property
    def late_or_missing(self) -> int:
        """Reports received late, or not received although due."""
        return self.expected - self.on_time - self.not_due


def commune_rates(
    *, province_id: int, period: Period | str, form_ids: Sequence[int] | None = None
) -> dict[tuple[int, int | None], CommuneRate]:
    """{(form id, commune id or None for the province's total): rate} for one period. One query."""
    rows = CommuneReportingRate.objects.filter(province_id=province_id, period=str(period))
    if form_ids is not None:
        rows = rows.filter(form_id__in=list(form_ids))
    return {
        (r.form_id, r.commune_id): CommuneRate(
            r.form_id,
            r.province_id,
            r.commune_id,
            r.period,
            r.expected,
            r.received,
            r.on_time,
            r.approved,
            r.not_due,
        )
        for r in rows.order_by()
    }


def province_coverage(*, form_id: int, period: Period | str, province_ids: Sequence[int] | None = None) -> dict:
    """{province id: (approved, expected)} of commune reports for a form and period (the provinces'
    total rows). One query."""
    rows = CommuneReportingRate.objects.filter(Q(commune__isnull=True), form_id=form_id, period=str(period))
    if province_ids is not None:
        rows = rows.filter(province_id__in=list(province_ids))
    return {p: (a, e) for p, a, e in rows.values_list("province_id", "approved", "expected")}
