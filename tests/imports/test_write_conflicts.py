"""What the import's batch retries and locks rest on, checked against the real database:
PostgreSQL's deadlock and serialisation failures reach Django as errors the pipeline retries,
and a firm's import lock keeps out another import of that firm only.

(tests/imports/test_concurrency.py runs two imports at once; these pin down the pieces.)
"""

import os
import urllib.parse

import pytest
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction

from crm.locks import _IMPORT_LOCK_CLASS, firm_import_lock
from imports.pipeline import _retryable

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's errors and advisory locks")


def postgres_error(sqlstate: str) -> DatabaseError:
    """The error Django raises when PostgreSQL reports `sqlstate`."""
    with pytest.raises(DatabaseError) as raised, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DO $$ BEGIN RAISE EXCEPTION 'reported by the test' USING ERRCODE = '{sqlstate}'; END $$")
    return raised.value


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize("sqlstate, cause", [("40P01", "DeadlockDetected"), ("40001", "SerializationFailure")])
def test_deadlocks_and_serialisation_failures_reach_django_as_errors_the_pipeline_retries(sqlstate, cause):
    error = postgres_error(sqlstate)
    assert type(error) is OperationalError
    assert type(error.__cause__).__name__ == cause and error.__cause__.sqlstate == sqlstate
    assert _retryable(error)


@postgres_only
@pytest.mark.django_db
def test_other_database_errors_are_not_retried():
    unique = postgres_error("23505")
    assert type(unique) is IntegrityError and _retryable(unique)  # a key somebody else took
    lock_timeout = postgres_error("55P03")
    assert type(lock_timeout) is OperationalError and not _retryable(lock_timeout)


def test_an_operational_error_without_a_cause_is_not_retried():
    assert not _retryable(OperationalError("database is locked"))
    assert _retryable(IntegrityError("UNIQUE constraint failed: crm_contact.firm_id, crm_contact.email_key"))


@postgres_only
@pytest.mark.django_db(transaction=True)  # the lock lasts until the outermost transaction ends
def test_the_import_lock_keeps_out_another_import_of_the_firm_only(firm, other_firm):
    import psycopg

    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    other_process = psycopg.connect(urllib.parse.urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"])),
                                    autocommit=True)

    def other_process_gets(firm_id) -> bool:
        return other_process.execute("SELECT pg_try_advisory_xact_lock(%s, %s)",
                                     [_IMPORT_LOCK_CLASS, firm_id]).fetchone()[0]

    try:
        with transaction.atomic():
            firm_import_lock(firm.pk)
            assert not other_process_gets(firm.pk)
            assert other_process_gets(other_firm.pk)
        assert other_process_gets(firm.pk)  # released with the transaction
    finally:
        other_process.close()
