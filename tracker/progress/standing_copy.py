"""Standing rows as PostgreSQL COPY text, and the first fill of the Standing table by COPY.

A first fill writes some 190 000 standings nationally (bench_rollups). Two costs dominated it
besides computing them, and both are cut here:

- the text of the rows: each value was formatted through a lookup by its type (some four million
  values). A row's columns have known types, so each line is one f-string; the values that repeat
  (dates, a series' values, its base and target) are formatted once. Floats are written with `repr`, the shortest
  text that reads back as the same float, as before: PostgreSQL rounds that decimal to the 10
  places it keeps (half away from zero), so the stored figures are the ones the merge path stores;
- keeping the table's two B-tree indexes up to date row by row while COPY inserts, which cost the
  server more than parsing the rows. Into an empty table the indexes are dropped and built once
  after the rows, in the same transaction (so a failure restores them with the rest; readers wait
  for the commit instead of reading an empty table). Only for a large fill: building an index
  costs a sort of the whole table, which a few rows do not repay.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db import connection

from tracker.progress.deferred_indexes import _definitions

NULL = "\\N"
BATCH = 5000
# Below this many rows, the indexes are kept up to date as the rows go in.
DEFER_INDEXES_FROM = 20_000


class _Dates(dict[datetime.date, str]):
    """ISO text of dates, each formatted once (a first fill has a few hundred distinct dates)."""

    def __missing__(self, day: datetime.date) -> str:
        text = self[day] = day.isoformat()
        return text


class _Floats(dict[float, str]):
    """`repr` of the floats that repeat along a series (its values, base and target), each once."""

    def __missing__(self, number: float) -> str:
        text = self[number] = repr(number)
        return text


def copy_lines(rows: Iterable[Sequence[Any]], *, keys: bool, suffix: str = "") -> Iterator[str]:
    """COPY text lines of StandingRow tuples, in the order of standings.COLUMNS (the coefficient left
    out); with `keys`, the merge table's province_key and target_key first; `suffix` ends each line
    (a tab and the computed_at stamp). The strings are codes and periods: no tabs or backslashes."""
    dates, floats = _Dates(), _Floats()
    for (
        indicator_id,
        target_id,
        level,
        province_id,
        period,
        periodicity,
        period_end,
        status,
        final,
        flag,
        value,
        value_period,
        period_value,
        baseline_value,
        baseline_period,
        target_value,
        deadline,
        share,
        projected,
        required,
        progress,
        *_rest,
    ) in rows:
        head = f"{province_id or 0}\t{target_id or 0}\t" if keys else ""
        yield (
            f"{head}{indicator_id}\t{NULL if target_id is None else target_id}\t{level}\t"
            f"{NULL if province_id is None else province_id}\t{period}\t{periodicity}\t{dates[period_end]}\t"
            f"{status}\t{'t' if final else 'f'}\t{flag}\t{NULL if value is None else floats[value]}\t"
            f"{value_period}\t{NULL if period_value is None else floats[period_value]}\t"
            f"{NULL if baseline_value is None else floats[baseline_value]}\t{baseline_period}\t"
            f"{NULL if target_value is None else floats[target_value]}\t"
            f"{NULL if deadline is None else dates[deadline]}\t{NULL if share is None else repr(share)}\t"
            f"{NULL if projected is None else repr(projected)}\t{NULL if required is None else repr(required)}\t"
            f"{NULL if progress is None else repr(progress)}{suffix}\n"
        )


def write_lines(copy: Any, lines: Iterator[str]) -> None:
    """Send lines to an open COPY in batches (one call per line would cost more than the line)."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == BATCH:
            copy.write("".join(batch))
            batch = []
    if batch:
        copy.write("".join(batch))


@contextlib.contextmanager
def empty_table_copy(
    table: str, columns: Sequence[str], stamp: str, *, many: bool
) -> Iterator[Callable[[Sequence[Sequence[Any]]], None]]:
    """An open COPY into the empty table (PostgreSQL): a function that writes rows, as many times as
    they come (the server parses them while the caller computes the next ones); with `many`, the
    table's indexes are dropped first and built after the rows."""
    with connection.cursor() as cursor:
        deferred = _definitions(cursor, table) if many else []
        for statement in deferred:
            cursor.execute(statement["drop"])
        suffix = "\t" + stamp
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}, computed_at) FROM STDIN") as copy:

            def write(rows: Sequence[Sequence[Any]]) -> None:
                write_lines(copy, copy_lines(rows, keys=False, suffix=suffix))

            yield write
        if deferred:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in deferred:
            cursor.execute(statement["build"])
        for statement in deferred:
            if statement["attach"]:
                cursor.execute(statement["attach"])


def copy_into_empty_table(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], stamp: str) -> int:
    """COPY the rows into the empty table (PostgreSQL), its indexes built after them when many."""
    with empty_table_copy(table, columns, stamp, many=len(rows) >= DEFER_INDEXES_FROM) as write:
        write(rows)
    return len(rows)


def _copy_text(value: Any) -> str:
    """A value in COPY's text format; the strings here are codes and periods (no tabs or backslashes)."""
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# How each type of a row's values is written, found by exact type (bool before int).
_COPY_TEXT: dict[type, Any] = {
    type(None): _copy_text,
    bool: _copy_text,
    int: str,
    float: float.__repr__,
    str: str,
    datetime.date: datetime.date.isoformat,
}


def copy_line(values: Iterable[Any]) -> str:
    """One COPY text line (without its newline) of any row of values (the commune standings' rows)."""
    return "\t".join([_COPY_TEXT.get(type(value), _copy_text)(value) for value in values])
