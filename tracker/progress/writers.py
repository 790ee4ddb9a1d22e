"""Merging freshly computed rows into a computed table: insert new, update changed, delete vanished.

Rows that come out the same are not touched, so recomputing twice leaves the table identical
(ids and computed_at included) and a nightly run over unchanged figures writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Mapping, Sequence
from decimal import Context, Decimal, InvalidOperation, localcontext
from typing import Any

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
    """A value as the database gives it back: SQLite keeps decimals as floats of 15 digits."""
    if connection.vendor != "sqlite" or not isinstance(value, Decimal) or not value.is_finite():
        return value
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):
        return value
    with localcontext() as context:
        context.prec = 60
        return Context(prec=15).create_decimal_from_float(float(value)).quantize(Decimal(1).scaleb(exponent))


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
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    for row_key, values in new_rows.items():
        row = current.pop(row_key, None)
        if row is None:
            to_create.append(model(**values, computed_at=now))
            continue
        if any(as_read_back(getattr(row, name)) != as_read_back(values[name]) for name in compared):
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
        model._default_manager.bulk_create(to_create, batch_size=1000)
    return len(stale) + len(to_update) + len(to_create)
