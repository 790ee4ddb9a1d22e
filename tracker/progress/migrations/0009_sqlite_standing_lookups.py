"""SQLite gets the lookup indexes that PostgreSQL's unique constraints on the standings give.

Standing and CommuneStanding are unique per (indicator, unit, target, period) with NULLS NOT
DISTINCT, which Django creates on PostgreSQL only. Without an index on those columns SQLite looked
every stored standing up by scanning the whole table, once per computed row, when a full run merged
the commune standings: `make run`'s demo load did not finish in ten minutes. These plain indexes
serve the same lookups (the merge's and the changed-series queries'); PostgreSQL keeps its unique
indexes and gets nothing more to write.
"""

from django.db import migrations

LOOKUPS = {
    "progress_standing_lookup": "progress_standing (indicator_id, province_id, period)",
    "progress_cst_lookup": "progress_communestanding (indicator_id, commune_id, period)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, columns in LOOKUPS.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in LOOKUPS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("progress", "0008_c_scale_chunks")]

    operations = [migrations.RunPython(create, drop)]
