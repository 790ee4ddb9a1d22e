"""The one-pass measure of a series (series_measure) and the first fill by COPY give exactly the standings
of the reference, point by point through progress_measure.standing: every column of every row."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from provinces.models import Province
from tracker.progress.models import Standing
from tracker.progress.scope import Lineage
from tracker.progress.services import rollups_recompute_all
from tracker.progress.standings import COLUMNS, _decimal, compute_standings
from tracker.progress.writers import as_read_back

pytestmark = pytest.mark.django_db

NUMERIC = {
    "value",
    "period_value",
    "baseline_value",
    "target_value",
    "share_of_way",
    "projected_value",
    "required_monthly_change",
    "progress_value",
}


@pytest.fixture
def every_case(two_provinces, monthly_reports, data_element_factory, indicator_factory, target_factory):
    """Series that reach each branch of the measure:
    - ONLINE_SHARE (a rate, limit 100): a national target whose deadline (12/2024) passed, met by
      Cao Bằng and missed by Hải Phòng; a 2030 target with the catalogue's baseline (40 % in 2024);
      Hải Phòng's 120 % in 2024-03 is beyond the limit (data quality);
    - BALANCE (a mean that goes negative, no limit): Hải Phòng's own target of 10 from a base of -5
      (opposite signs: sdg-build's complex modulus), Cao Bằng's own target of 0 (replaced by 0.001)
      from a negative base, and the national trend;
    - WAIT_DAYS (lower is better, trend from the base period 2024-03);
    - COVERAGE (a rate with its limit, no target): the trend damped near the limit."""
    hai_phong, cao_bang = two_provinces
    former = {p.code: p for p in Province.objects.former()}
    for code, space in [("ONLINE", "sum"), ("RECEIVED", "sum"), ("COVERED", "sum"), ("HOUSEHOLDS", "sum")]:
        data_element_factory(code=code, time_aggregation="sum", space_aggregation=space)
    data_element_factory(code="BALANCE", time_aggregation="last", space_aggregation="mean", min_value=None)
    data_element_factory(code="WAIT", time_aggregation="last", space_aggregation="mean")
    online = indicator_factory(
        code="ONLINE_SHARE", numerator="ONLINE", denominator="RECEIVED", factor=Decimal(100), natural_limit=100
    )
    balance = indicator_factory(code="BALANCE", numerator="BALANCE")
    indicator_factory(code="WAIT_DAYS", numerator="WAIT", direction="lower", base_period="2024-03")
    indicator_factory(
        code="COVERAGE", numerator="COVERED", denominator="HOUSEHOLDS", factor=Decimal(100), natural_limit=100
    )
    target_factory(indicator=online, value=Decimal(80), deadline=datetime.date(2024, 12, 31))
    target_factory(
        indicator=online,
        value=Decimal(95),
        deadline=datetime.date(2030, 12, 31),
        baseline_period="2024",
        baseline_value=Decimal(40),
    )
    target_factory(
        indicator=balance,
        province=hai_phong,
        value=Decimal(10),
        deadline=datetime.date(2027, 12, 31),
        baseline_period="2024-01",
        baseline_value=Decimal(-5),
    )
    target_factory(indicator=balance, province=cao_bang, value=Decimal(0), deadline=datetime.date(2027, 6, 30))
    series = {
        "31": [
            ("2024-01", 50, -5, 12, 70),
            ("2024-02", 55, -3, 11, 80),
            ("2024-03", 120, -1, 13, 90),
            ("2024-06", 60, 2, 9, 95),
            ("2025-03", 70, 4, 8, 97),
        ],
        "04": [
            ("2024-01", 40, -8, 20, 40),
            ("2024-02", 70, -6, 22, 38),
            ("2024-12", 85, -9, 15, 45),
            ("2025-01", 82, -2, 14, 50),
        ],
    }
    for code, points in series.items():
        for period, online_count, balance_value, wait, covered in points:
            values = {"ONLINE": online_count, "RECEIVED": 100, "BALANCE": balance_value, "WAIT": wait}
            monthly_reports.approved(former[code], period, COVERED=covered, HOUSEHOLDS=100, **values)
    return two_provinces


def _stored() -> list[tuple]:
    read = as_read_back if connection.vendor == "sqlite" else (lambda value: value)
    return sorted((tuple(read(value) for value in row) for row in Standing.objects.values_list(*COLUMNS)), key=_order)


def _order(row: tuple) -> tuple:
    """indicator, unit, target, period (None first)."""
    return (row[0], row[3] or 0, row[1] or 0, row[4])


def _as_stored(rows) -> list[tuple]:
    """The reference rows as numeric(30, 10) keeps them (and SQLite reads them back)."""
    read = as_read_back if connection.vendor == "sqlite" else (lambda value: value)
    out = []
    for row in rows:
        values = dict(zip(COLUMNS, row, strict=False))
        out.append(tuple(read(_decimal(values[name])) if name in NUMERIC else values[name] for name in COLUMNS))
    return sorted(out, key=_order)


def test_the_one_pass_measure_gives_the_reference_standings_exactly(every_case):
    # given: the figures computed
    rollups_recompute_all()
    keys, today = Lineage.load().all_keys(), timezone.localdate()

    # when
    reference = compute_standings(keys=keys, today=today, reference=True)
    fast = compute_standings(keys=keys, today=today)

    # then: the same rows, float for float (repr tells -0.0 from 0.0), and the same latest ones
    assert repr(fast.rows) == repr(reference.rows)
    assert repr(fast.latest) == repr(reference.latest)
    # the data set reaches every branch it is meant to
    statuses = {row.status for row in reference.rows}
    assert {"missed", "target_achieved", "data_quality", "not_available"} <= statuses
    assert {row.flag for row in reference.rows} >= {"beyond_limit"}
    assert any(row.final for row in reference.rows)
    assert any(row.coefficient is not None and row.coefficient < 1 for row in reference.rows)
    opposite = [
        row
        for row in reference.rows
        if row.baseline_value == -5 and row.target_value == 10 and row.progress_value is not None
    ]
    assert opposite


def test_the_first_fill_stores_the_reference_standings_exactly(every_case):
    # when: a full recompute into empty tables (on PostgreSQL: COPY while computing, indexes after)
    rollups_recompute_all()

    # then: every column of every stored row is the reference's, as the database keeps it
    reference = compute_standings(keys=Lineage.load().all_keys(), today=timezone.localdate(), reference=True)
    stored = _stored()
    assert len(stored) == len(reference.rows) > 40
    assert stored == _as_stored(reference.rows)
    # a second run finds nothing to change
    assert rollups_recompute_all() == 0
