"""Plain INSERTs for the import writer, and the connection tuning of a bulk run.

Django's bulk_create builds a model instance and prepares every value of every field through
the field machinery; at a million rows that costs more than the database itself (profiled:
~70% of a batch's write time). The import knows exactly which columns it writes and already
holds clean values, so it inserts tuples directly.

One single-row statement run with executemany, not a multi-row VALUES list: the sqlite3
module keeps up to 128 compiled statements, and a compiled 30,000-parameter INSERT weighs
megabytes — a cache full of them was most of a large import's memory. JSON values are sent as
their text (`json_adapter`), dates and datetimes through the connection's own adapters, so
SQLite and PostgreSQL both receive what they expect.

On PostgreSQL the rows go through COPY (psycopg 3's `Cursor.copy` with `write_row`): one
stream per table and batch instead of a statement per row. A COPY cannot skip a row, so rows
that may meet a unique constraint (`ignore_conflicts`) are copied into a temporary staging
table and moved with one `INSERT … SELECT … ON CONFLICT DO NOTHING`; rows whose new ids the
writer needs get them reserved from the table's sequence in one query and are copied with them.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext

from django.db import DatabaseError, connection, models, transaction

from crm.models import Account, AccountContact, AccountRoleAssignment, Contact

logger = logging.getLogger(__name__)



def _names(model: type[models.Model], fields: Sequence[str]) -> tuple[str, str]:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    return table, columns


def _placeholders(width: int) -> str:
    return "(" + ", ".join(["%s"] * width) + ")"


def insert(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence], *,
           ignore_conflicts: bool = False) -> None:
    """INSERT the rows (tuples in `fields` order); with ignore_conflicts, rows that would
    break a unique constraint are skipped, as bulk_create(ignore_conflicts=True) does."""
    if not rows:
        return
    table, columns = _names(model, fields)
    if connection.vendor == "postgresql":
        if ignore_conflicts:
            _copy_ignoring_conflicts(table, columns, rows)
        else:
            _copy(table, columns, rows)
        return
    verb = "INSERT OR IGNORE INTO" if ignore_conflicts else "INSERT INTO"
    with connection.cursor() as cursor:
        cursor.executemany(f"{verb} {table} ({columns}) VALUES {_placeholders(len(fields))}", rows)


def insert_pairs(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence], *,
                 created: Callable[[Sequence], bool]) -> None:
    """INSERT rows of a table whose unique key is its first two columns (an account's tags,
    assignees and roles, a contact's tags, account–contact links), skipping those the table
    already holds, as `insert(ignore_conflicts=True)` does.

    `created(row)`: whether the row's key names a record this transaction created. The table
    cannot hold such a row yet, so only a repeat within `rows` could conflict: on PostgreSQL
    those rows are copied straight into the table (a repeat dropped here, the first kept, as
    ON CONFLICT DO NOTHING keeps it), and only the others go through the staging table. An
    import into a new firm creates nearly every account it links, so most of its links skip the
    staging table's COPY and INSERT … SELECT."""
    if connection.vendor != "postgresql":
        insert(model, fields, rows, ignore_conflicts=True)
        return
    seen: set[tuple] = set()
    fresh, others = [], []
    for row in rows:
        if not created(row):
            others.append(row)
        elif (key := (row[0], row[1])) not in seen:
            seen.add(key)
            fresh.append(row)
    insert(model, fields, fresh)
    insert(model, fields, others, ignore_conflicts=True)


def insert_returning_ids(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence]) -> list[int]:
    """INSERT the rows and return their new primary keys, in the rows' order."""
    if not rows:
        return []
    if connection.vendor == "sqlite":
        return _sqlite_insert_with_ids(model, fields, rows)
    return _postgresql_insert_with_ids(model, fields, rows)


def _copy(table: str, columns: str, rows: Sequence[Sequence]) -> None:
    """COPY the rows into the table: psycopg adapts each value as it would a query parameter
    (text with tabs, newlines and backslashes escaped; None as NULL; Jsonb; dates)."""
    sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # When queries are being counted (assertNumQueries, CaptureQueriesContext, DEBUG), the
        # COPY is logged as "N times: COPY …" like an executemany, so it is seen as a write.
        logged = cursor.debug_sql(sql, rows, many=True) if hasattr(cursor, "debug_sql") else nullcontext()
        # The raw psycopg cursor: Django's wrapper has no copy(); the wrapper above turns
        # psycopg's errors into Django's (a unique violation is an IntegrityError, retried).
        with logged, cursor.cursor.copy(sql) as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)


_STAGING = "clientport_bulk_staging"
_staging_numbers = itertools.count(1)


def _copy_ignoring_conflicts(table: str, columns: str, rows: Sequence[Sequence]) -> None:
    """COPY into a temporary table of the same columns, then one INSERT … SELECT that skips
    what a unique constraint refuses. The staging table goes with the transaction (ON COMMIT
    DROP): three statements, no DROP; each call gets its own name within the transaction."""
    staging = f"{_STAGING}_{next(_staging_numbers)}"
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "
                       f"SELECT {columns} FROM {table} WITH NO DATA")
        _copy(staging, columns, rows)
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} ON CONFLICT DO NOTHING")


def _postgresql_insert_with_ids(model, fields, rows) -> list[int]:
    """PostgreSQL: the ids come from the table's own sequence, reserved in one query (other
    writers at the same time get others), and the rows are copied with them."""
    table, columns = _names(model, fields)
    pk = connection.ops.quote_name(model._meta.pk.column)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # The sequence's name first: nextval(pg_get_serial_sequence(…)) looks it up again for
        # every id (measured: 9 ms per 1,000 ids against 1.8 ms with the name as a parameter).
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s) ORDER BY 1", [sequence, len(rows)])
        ids = [row[0] for row in cursor.fetchall()]
        _copy(table, f"{pk}, {columns}", [(pk_value, *row) for pk_value, row in zip(ids, rows)])
    return ids


def _sqlite_insert_with_ids(model, fields, rows) -> list[int]:
    """SQLite: the batch's transaction is IMMEDIATE, so this connection is the only writer
    until it commits and can hand out the ids itself, after the highest ever used (the
    AUTOINCREMENT sequence, so ids of deleted rows are never reused)."""
    if not connection.in_atomic_block:
        raise RuntimeError("insert_returning_ids on SQLite must run inside transaction.atomic()")
    table, columns = _names(model, fields)
    pk = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"COALESCE((SELECT MAX({pk}) FROM {table}), 0))",
            [model._meta.db_table],
        )
        first = cursor.fetchone()[0] + 1
        ids = list(range(first, first + len(rows)))
        cursor.executemany(
            f"INSERT INTO {table} ({pk}, {columns}) VALUES {_placeholders(len(fields) + 1)}",
            [(pk_value, *row) for pk_value, row in zip(ids, rows)],
        )
    return ids


def json_adapter():
    """A function preparing a value for a JSON column of `insert`, looked up once per batch: it
    runs for every JSON cell of a million-row import. The JSON text itself, on both backends: on
    SQLite that is what adapt_json_value gives, and PostgreSQL's COPY reads a jsonb column from
    its text (psycopg's Jsonb wrapper would dump the same text, one wrapper object a cell).
    The empty list and object most cells hold are not dumped at all."""
    dumps = json.dumps

    def adapt(value):
        if value is None:
            return None
        if not value and isinstance(value, (list, dict)):
            return "[]" if isinstance(value, list) else "{}"
        return dumps(value)

    return adapt


def date_adapter():
    """A function preparing a date for a date column (looked up once, see json_adapter)."""
    return connection.ops.adapt_datefield_value


def datetime_value(value):
    return connection.ops.adapt_datetimefield_value(value)


# SQLite copies the write-ahead log into the database (and syncs it) when the log passes
# `wal_autocheckpoint` pages, 1,000 (4 MB) by default: after nearly every import batch. The
# same index pages change batch after batch, so a larger interval writes each of them back
# once instead of every time. 16,384 pages: a log of at most ~64 MB.
BULK_WAL_AUTOCHECKPOINT = 16_384


class BulkLoad:
    """A long run of write batches on this connection (`bulk_load`). On PostgreSQL it keeps the
    planner's statistics of the tables an import grows: autovacuum analyzes a table at most once
    a minute, so an import into an empty firm ran every lookup with the statistics of empty
    tables (sequential scans, each batch's lookups 5-30 ms instead of under 1), slower with
    every batch. `written` runs ANALYZE on them after a batch whenever the import has doubled
    them since their statistics were gathered: a dozen times for a million rows."""

    FIRST_ANALYZE_ROWS = 1_000  # into (nearly) empty tables: after the first batch

    def __init__(self):
        self.rows_written = 0
        self._next_analyze = None

    def written(self, rows: int) -> None:
        """A batch of `rows` file rows was committed."""
        if connection.vendor != "postgresql":
            return
        self.rows_written += rows
        if self._next_analyze is None:
            # The tables' size when their statistics were gathered (-1: never; 0: empty).
            with connection.cursor() as cursor:
                cursor.execute("SELECT COALESCE(MAX(reltuples), 0) FROM pg_class WHERE oid = %s::regclass",
                               [_quoted_table(_ANALYZED[0][0])])
                known = max(int(cursor.fetchone()[0]), 0)
            self._next_analyze = max(known, self.FIRST_ANALYZE_ROWS)
        if self.rows_written >= self._next_analyze:
            with connection.cursor() as cursor:
                quote = connection.ops.quote_name
                cursor.execute("ANALYZE " + ", ".join(
                    f"{_quoted_table(model)} ({', '.join(quote(column) for column in columns)})"
                    for model, columns in _ANALYZED))
            self._next_analyze = 2 * self.rows_written


def _quoted_table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# The tables an import grows and looks up again in its later batches (`imports.existing`), and
# the columns those lookups filter and join on. Only those: statistics of every column of
# the wide account and contact tables made ANALYZE 8% of the server's work in an import; the
# rest of the columns are autovacuum's, which analyzes the grown tables within a minute.
_ANALYZED = (
    (Account, ("id", "firm_id", "name_key", "type")),
    (Contact, ("id", "firm_id", "email_key", "name_key")),
    (AccountContact, ("id", "account_id", "contact_id")),
    (Account.tags.through, ("account_id",)),
    (Account.assignees.through, ("account_id",)),
    (Contact.tags.through, ("contact_id",)),
    (AccountRoleAssignment, ("account_id",)),
)


@contextmanager
def bulk_load() -> Iterator[BulkLoad]:
    """Tunes this connection for a long run of write batches, and restores it afterwards."""
    load = BulkLoad()
    if connection.vendor != "sqlite":
        yield load
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA wal_autocheckpoint={BULK_WAL_AUTOCHECKPOINT}")
    try:
        yield load
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA wal_autocheckpoint={int(before)}")
        except DatabaseError:  # a broken connection is closed anyway: keep the real error
            logger.warning("Could not restore wal_autocheckpoint on a failed connection.", exc_info=True)
