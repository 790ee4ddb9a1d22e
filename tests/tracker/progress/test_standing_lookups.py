"""The standings tables are looked up by (indicator, unit, period) on every database: a full run's
merge and its changed-series queries do it once per row, and without an index SQLite scanned the
whole table each time (the quick start's demo load did not finish in ten minutes)."""

import pytest
from django.db import connection

from tracker.progress.models import CommuneStanding, Standing

pytestmark = pytest.mark.django_db


def _indexes(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [info["columns"] for info in constraints.values() if info["index"] or info["unique"]]


@pytest.mark.parametrize(
    ("model", "unit"), [(Standing, "province_id"), (CommuneStanding, "commune_id")], ids=["province", "commune"]
)
def test_an_index_finds_a_units_standings_of_an_indicator_and_period(model, unit):
    # when
    indexes = _indexes(model._meta.db_table)

    # then: PostgreSQL's unique constraint (NULLS NOT DISTINCT) or SQLite's lookup index
    assert any(columns[:2] == ["indicator_id", unit] and "period" in columns for columns in indexes), indexes
