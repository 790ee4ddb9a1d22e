"""A first fill of the indicator-value table builds its indexes after the rows, not along with them.

Keeping four B-tree indexes up to date row by row costs about ten times the insert itself
(measured on one year of the national-scale benchmark: 77,420 rows in 75 ms into the bare table,
750 ms with its indexes), while building an index once over the filled table is a single sorted
pass. So when a full recompute starts on PostgreSQL with the table empty, its secondary indexes
and unique constraints are dropped and built again when the years are done, as pg_restore does:
each index in a connection of its own, side by side, then the table's statistics, while the
caller goes on (target progress reads the table meanwhile); unique constraints are then attached
to their rebuilt indexes.

The statements are saved in RollupState in the same transaction that drops the indexes, so a run
killed in between leaves them behind and the next full recompute (the sweep starts one, since the
fill-state row is still pending) builds the indexes before it writes. Recomputations never write
the same rows side by side (RollupState lock), so the missing unique constraints cannot be
violated meanwhile; readers only see slower queries over a table that is being filled anyway.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connection

from tracker.progress.models import IndicatorValue, RollupState

BUILDERS = 2  # the machine's cores; each build is one sorted pass over the table
ANALYZED = ("indicator_id", "level", "province_id", "period", "periodicity", "period_start", "period_end")


def _definitions(cursor: Any, table: str) -> list[dict[str, str]]:
    """How to drop, build and (for a unique constraint) attach each non-primary index of the table,
    the longest builds first, so that the builders finish together: unique constraints, then full
    indexes before partial ones, more columns first, text keys (slower to compare) first. Builds
    say IF NOT EXISTS, so that a build committed before a crash is not attempted twice."""
    quote = connection.ops.quote_name
    cursor.execute(
        """SELECT index_class.relname, pg_get_indexdef(i.indexrelid), c.conname
           FROM pg_index i
           JOIN pg_class index_class ON index_class.oid = i.indexrelid
           LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype = 'u'
           WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
           ORDER BY c.conname IS NULL, i.indpred IS NOT NULL, i.indnatts DESC,
                    (SELECT bool_or(a.attlen = -1) FROM pg_attribute a
                     WHERE a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)) DESC,
                    index_class.relname""",
        [table],
    )
    statements = []
    for index, index_sql, constraint in cursor.fetchall():
        build = re.sub(r"^CREATE (UNIQUE )?INDEX ", r"CREATE \1INDEX IF NOT EXISTS ", index_sql)
        if constraint:
            drop = f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(constraint)}"
            attach = f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(constraint)} UNIQUE USING INDEX {quote(index)}"
        else:
            drop, attach = f"DROP INDEX {quote(index)}", ""
        statements.append({"drop": drop, "build": build, "attach": attach})
    return statements


def defer_if_empty(state: RollupState) -> bool:
    """Drop the indexes of an empty IndicatorValue table (PostgreSQL only); True when dropped.

    Runs in the caller's transaction, which holds the lock on `state`."""
    if connection.vendor != "postgresql" or state.deferred_indexes or IndicatorValue.objects.exists():
        return False
    with connection.cursor() as cursor:
        statements = _definitions(cursor, IndicatorValue._meta.db_table)
        for statement in statements:
            cursor.execute(statement["drop"])
    state.deferred_indexes = statements
    state.save(update_fields=["deferred_indexes"])
    return bool(statements)


def _build_in_own_connection(sql: str) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            cursor.execute(sql)
    finally:
        connection.close()  # this thread's connection


@contextlib.contextmanager
def rebuilding(state: RollupState, *, in_background: bool) -> Iterator[None]:
    """Build the indexes a first fill dropped (its own, or an interrupted one's) while the body runs;
    refresh the statistics with them; attach the unique constraints when it ends.

    Runs in the caller's transaction, which holds the lock on `state`. In the background, each
    build commits in a connection of its own; `in_background=False` (a caller's transaction that
    other connections cannot see into, as in tests) builds them first, in this transaction."""
    statements = state.deferred_indexes
    if not statements:
        yield
        return
    builds = [statement["build"] for statement in statements]
    # The planner's statistics still describe an empty table; gathering them needs no index. Only
    # the columns queries select rows by: the figures' own statistics would cost half as much
    # again, and autovacuum gathers them soon after.
    analyze = f"ANALYZE {connection.ops.quote_name(IndicatorValue._meta.db_table)} ({', '.join(ANALYZED)})"
    if not in_background:
        with connection.cursor() as cursor:
            for sql in [*builds, analyze]:
                cursor.execute(sql)
        yield
    else:
        with ThreadPoolExecutor(max_workers=BUILDERS, thread_name_prefix="rollup-index") as pool:
            futures = [pool.submit(_build_in_own_connection, sql) for sql in [*builds, analyze]]
            yield
            for future in futures:
                future.result()
    with connection.cursor() as cursor:
        for statement in statements:
            if statement["attach"]:
                cursor.execute(statement["attach"])
    state.deferred_indexes = []
    state.save(update_fields=["deferred_indexes"])
