"""Merging freshly computed rows into a computed table: insert new, update changed, delete vanished.

Rows that come out the same are not touched, so recomputing twice leaves the table identical
(ids and computed_at included) and a nightly run over unchanged figures writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Mapping, Sequence
from decimal import Context, Decimal, InvalidOperation, localcontext
from typing import Any, cast

from django.db import connection, models

STORED_DECIMALS = Decimal("1e-10")
# numeric(30, 10) holds 20 integer digits; anything larger is not a figure anyone can use.
LARGEST = Decimal("1e20")


def stored(value: Decimal | None, exponent: Decimal = STORED_DECIMALS) -> Decimal | None:
    """A decimal as the database will keep it, or None when it cannot be kept."""
    if value is None:
        return None
    with localcontext() as context:
        context.prec = 60
        try:
            if not value.is_finite() or abs(value) >= LARGEST:
                return None
            return value.quantize(exponent)
        except InvalidOperation:
            return None


def as_read_back(value: Any) -> Any:
    """A value as SQLite gives it back: it keeps decimals as floats of 15 digits."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return value
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):
        return value
    with localcontext() as context:
        context.prec = 60
        return Context(prec=15).create_decimal_from_float(float(value)).quantize(Decimal(1).scaleb(exponent))


def _same(value: Any) -> Any:
    return value


def sync_rows(
    *,
    model: type[models.Model],
    existing: models.QuerySet,
    new_rows: Mapping[Any, dict[str, Any]],
    key: Callable[[Any], Hashable],
    compared: Sequence[str],
    now: datetime.datetime,
) -> int:
    """Make `existing` (the rows of the scope) equal to `new_rows` (keyed like `key(row)`)."""
    current = {key(row): row for row in existing.order_by()}
    # PostgreSQL gives decimals back exactly; only SQLite needs them rounded like its floats.
    read_back = as_read_back if connection.vendor == "sqlite" else _same
    to_create: list[dict[str, Any]] = []
    to_update: list[models.Model] = []
    for row_key, values in new_rows.items():
        row = current.pop(row_key, None)
        if row is None:
            to_create.append(values)
            continue
        if any(read_back(getattr(row, name)) != read_back(values[name]) for name in compared):
            for name in compared:
                setattr(row, name, values[name])
            row.computed_at = now  # type: ignore[attr-defined]
            to_update.append(row)
    stale = [row.pk for row in current.values()]
    if stale:
        model._default_manager.filter(pk__in=stale).delete()
    if to_update:
        model._default_manager.bulk_update(to_update, [*compared, "computed_at"], batch_size=1000)
    if to_create:
        _create(model, to_create, now)
    return len(stale) + len(to_update) + len(to_create)


def _create(model: type[models.Model], rows: list[dict[str, Any]], now: datetime.datetime) -> None:
    """Insert new rows. On PostgreSQL through COPY: a first fill creates tens of thousands of rows,
    and building model instances for bulk_create would cost more than the database's work."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**values, computed_at=now) for values in rows], batch_size=1000)
        return
    fields = [cast(models.Field, model._meta.get_field(name)) for name in [*rows[0], "computed_at"]]
    json_fields = {position for position, field in enumerate(fields) if field.get_internal_type() == "JSONField"}
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for values in rows:
            row = [*values.values(), now]
            for position in json_fields:
                row[position] = fields[position].get_db_prep_save(row[position], connection)
            copy.write_row(row)
