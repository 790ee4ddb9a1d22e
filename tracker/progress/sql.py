"""The few places where PostgreSQL and SQLite need different SQL.

The engine's SQL is written once; these helpers supply the vendor-specific fragments. SQL text is
only ever assembled from constants, table names from model metadata and column names generated
here; every value travels as a query parameter.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.backends.base.base import BaseDatabaseWrapper

if TYPE_CHECKING:
    from kpis.periods import Period


@dataclass(frozen=True)
class Dialect:
    connection: BaseDatabaseWrapper

    @property
    def is_postgres(self) -> bool:
        return self.connection.vendor == "postgresql"

    # Placeholders that make PostgreSQL type VALUES columns (psycopg binds on the client side).
    @property
    def date_placeholder(self) -> str:
        return "CAST(%s AS date)" if self.is_postgres else "%s"

    @property
    def number_placeholder(self) -> str:
        return "CAST(%s AS numeric)" if self.is_postgres else "CAST(%s AS REAL)"

    @property
    def timestamp_placeholder(self) -> str:
        return "CAST(%s AS timestamptz)" if self.is_postgres else "%s"

    def date(self, day: datetime.date) -> Any:
        return self.connection.ops.adapt_datefield_value(day)

    def timestamp(self, moment: datetime.datetime) -> Any:
        return self.connection.ops.adapt_datetimefield_value(moment)

    def number(self, value: Decimal) -> Any:
        return str(value) if self.is_postgres else float(value)

    def divide(self, numerator: str, denominator: str) -> str:
        # SQLite divides integers as integers; PostgreSQL numeric division is exact to 20 digits.
        if self.is_postgres:
            return f"({numerator}) / NULLIF({denominator}, 0)"
        return f"CAST({numerator} AS REAL) / NULLIF({denominator}, 0)"

    def mean_of_one(self, value: str) -> str:
        """AVG over a single row, computed without grouping: PostgreSQL's AVG divides the numeric sum
        by the count (so the result carries the division's scale); SQLite's AVG returns a float."""
        if self.is_postgres:
            return f"({value}) / CAST(1 AS numeric)"
        return f"CAST({value} AS REAL)"

    def prepare(self, cursor: Any) -> None:
        """Session settings for the big set-based statements, reset when the transaction ends."""
        if self.is_postgres:
            # JIT compilation costs seconds on these one-off statements and saves nothing.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '128MB'")
            # Merging on text keys sorts with the database collation, which is slow; these joins
            # of one scope's rows fit in memory, so hashing is always the better plan.
            cursor.execute("SET LOCAL enable_mergejoin = off")


def values_list(rows: Sequence[Sequence[Any]], placeholders: Sequence[str]) -> tuple[str, list[Any]]:
    """`(%s, %s), (%s, %s)` for the rows, with per-column placeholders, and the flat parameters."""
    row_sql = "(" + ", ".join(placeholders) + ")"
    params: list[Any] = []
    for row in rows:
        params.extend(row)
    return ", ".join([row_sql] * len(rows)), params


def periods_values(dialect: Dialect, periods: Iterable[Period]) -> tuple[str, list[Any]]:
    """VALUES rows (period text, periodicity, start, end) of the periods, and their parameters."""
    d = dialect
    rows = [(str(p), p.periodicity.value, d.date(p.start), d.date(p.end)) for p in periods]
    return values_list(rows, ["%s", "%s", d.date_placeholder, d.date_placeholder])


def in_list(count: int) -> str:
    return ", ".join(["%s"] * count)
