"""The database's fastest bulk insert, for the high-volume tables (sale lines): COPY on
PostgreSQL, executemany on SQLite. Rows are tuples in ``columns`` order; values are
Python dates, Decimals, ints, strings or None. And what bulk writes need afterwards:
sequences moved past explicit keys, planner statistics refreshed, SQLite's write-ahead
log copied into the database while no one waits for it."""

import datetime
import time
from collections.abc import Iterable, Sequence

from django.db import connection


def bulk_insert(
    table: str, columns: Sequence[str], rows: Iterable[tuple], *, sqlite_ready: bool = False
) -> int:
    """``sqlite_ready``: the caller already wrote dates as ISO text and Decimals as text
    (the high-volume path skips the per-value conversion)."""
    rows = list(rows)
    if not rows:
        return 0
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return len(rows)
    marks = ", ".join(["%s"] * len(columns))
    params = rows if sqlite_ready else [tuple(_sqlite(v) for v in row) for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", params)
    return len(rows)


def _sqlite(value):
    if value is None or isinstance(value, int | str | float):
        return value
    if isinstance(value, datetime.datetime):
        # As Django stores them on SQLite: naive UTC, space-separated.
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)  # Decimal: exact text, stored with numeric affinity


def drop_indexes(model) -> list[str]:
    """Drop ``model``'s secondary indexes (its ``Meta.indexes``) and return the statements
    that build them again: a big insert into a table that is empty or nearly so is faster
    with its indexes built once at the end than grown row by row. Inside a transaction, a
    failure leaves them as they were."""
    editor = connection.schema_editor(atomic=False)
    statements = []
    with connection.cursor() as cursor:
        for index in model._meta.indexes:
            statements.append(str(index.create_sql(model, editor)))
            cursor.execute(f"DROP INDEX {editor.quote_name(index.name)}")
    return statements


def reset_sequences(*models) -> None:
    """After inserting explicit primary keys, move PostgreSQL's id sequences past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


# Writing this many rows' worth of accounts (a generated territory, a big import) changes
# a table enough that PostgreSQL's planner needs fresh statistics: without them it can
# scan a whole table for one account's rows (40 s an account page at 100,000 accounts)
# until autovacuum gets round to it.
ANALYZE_AFTER = 1000


def analyze(*models) -> None:
    """Fresh planner statistics for these models' tables now (PostgreSQL; SQLite plans
    without them)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# How much of the write-ahead log (pages) may stay uncopied after a large write: what
# SQLite's own automatic checkpoint leaves behind between its runs anyway.
WAL_LEFT_PAGES = 1000


def settle_write_ahead_log(*, seconds: float = 120.0, pause: float = 0.05) -> bool:
    """SQLite, after a large write (an import): copy the write-ahead log into the database
    file now, with PASSIVE checkpoints (they never wait for, nor block, anyone's reads or
    writes), retried while people's reads still hold a view from before the write. True
    when at most ``WAL_LEFT_PAGES`` are left to copy; False after ``seconds``.

    Why: the write's own commit copies only what no reader still sees, which under use
    is little. What is left waits for the *last* connection to close, which copies it
    all while holding the database exclusively: every page that opens a connection
    meanwhile waits. A 970,000-line import left about 1 GB, and near its end every
    request waited about 10 s (benchmarks/README.md). Copied here, that close has
    nothing left to do. A no-op on PostgreSQL and inside a transaction."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return True
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while True:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            _busy, log, copied = cursor.fetchone()
            if log - copied <= WAL_LEFT_PAGES:  # also a database not in WAL mode: -1, -1
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)
