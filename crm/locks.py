"""Locks that make a firm's writers take turns where a unique key cannot.

Account names are not unique (two clients may share one), so nothing in the database stops two
imports from creating the same client at once: each batch of an import looks up, plans and
writes while it holds its firm's import lock.
"""

from django.db import connection

# The first half of PostgreSQL's two-key advisory locks: this lock's namespace.
_IMPORT_LOCK_CLASS = 0x436C_6950  # "CliP"


def firm_import_lock(firm_id: int) -> None:
    """Holds the firm's import lock until the current transaction ends.

    PostgreSQL: a transaction-level advisory lock on (namespace, firm). SQLite: nothing to do,
    since its IMMEDIATE transactions (settings) take the database's one write lock at BEGIN.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_IMPORT_LOCK_CLASS, firm_id])
