"""Snapshots of the computed tables, to compare two runs exactly."""

from django.db import connection

from tracker.progress.models import IndexScore, IndicatorValue, ReportingRate, Standing, TargetProgress

COMPUTED = (IndicatorValue, TargetProgress, Standing, IndexScore, ReportingRate)


def computed_tables(*, with_identity: bool = True) -> dict[str, list[tuple]]:
    """Every row of every computed table; without identity, ids and computation times are left out
    (to compare with a run on an emptied table)."""
    snapshot = {}
    for model in COMPUTED:
        names = [f.attname for f in model._meta.concrete_fields]
        if not with_identity:
            names = [n for n in names if n not in ("id", "computed_at")]
        rows = model.objects.values_list(*names)
        snapshot[model.__name__] = sorted(rows, key=repr)
    return snapshot


def empty_computed_tables() -> None:
    for model in COMPUTED:
        model.objects.all().delete()


def index_definitions() -> list[tuple[str, str]]:
    """The indicator-value table's indexes, as PostgreSQL would create them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname",
            [IndicatorValue._meta.db_table],
        )
        return cursor.fetchall()
