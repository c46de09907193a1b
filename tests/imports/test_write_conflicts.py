"""What the import's batch retries and locks rest on, checked against the real database: a batch
that meets PostgreSQL's deadlock or serialisation failure, or a unique key somebody else took, is
planned and written again; any other database error fails the import; and a firm's import lock
keeps out another import of that firm only.

(tests/imports/test_concurrency.py runs two imports at once; these pin down the pieces.)
"""

import threading

import pytest
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction

from crm.locks import firm_import_lock
from crm.models import Account
from imports import pipeline
from imports.models import ImportJob
from tests.imports.conftest import make_mapping, upload

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's errors and advisory locks")

COLUMNS = {"Client": "account.name", "First": "contact.first_name", "Last": "contact.last_name",
           "Email": "contact.email"}
ROWS = [list(COLUMNS), ["Acme LLC", "Ann", "Lee", "ann@acme.example"],
        ["Brown Family", "Bo", "Brown", "bo@brown.example"]]


def postgres_error(sqlstate: str) -> DatabaseError:
    """The error Django raises when PostgreSQL reports `sqlstate`."""
    with pytest.raises(DatabaseError) as raised, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DO $$ BEGIN RAISE EXCEPTION 'reported by the test' USING ERRCODE = '{sqlstate}'; END $$")
    return raised.value


def import_meeting(error: Exception, firm, owner, monkeypatch) -> list[int]:
    """Imports ROWS one row a batch; the first batch's write meets `error` once, after writing.
    Returns the batches written, in order (a batch planned again appears twice)."""
    job = upload(firm, owner, ROWS, mapping=make_mapping(COLUMNS))
    real_write_batch = pipeline.write_batch
    written = []

    def write_then_meet_the_error_once(plan, *args, **kwargs):
        written.append(kwargs["rows_done"])
        result = real_write_batch(plan, *args, **kwargs)
        if len(written) == 1:
            raise error
        return result

    monkeypatch.setattr(pipeline, "write_batch", write_then_meet_the_error_once)
    pipeline.run_pipeline(ImportJob.objects.get(pk=job.pk), dry_run=False, batch_size=1)
    return written


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize("sqlstate, error_type, cause", [("40P01", OperationalError, "DeadlockDetected"),
                                                         ("40001", OperationalError, "SerializationFailure"),
                                                         ("23505", IntegrityError, "UniqueViolation")])
def test_a_batch_that_meets_a_deadlock_or_a_taken_key_is_written_again(sqlstate, error_type, cause, firm, owner,
                                                                        monkeypatch):
    error = postgres_error(sqlstate)
    assert type(error) is error_type
    assert type(error.__cause__).__name__ == cause and error.__cause__.sqlstate == sqlstate
    assert import_meeting(error, firm, owner, monkeypatch) == [1, 1, 2]
    assert sorted(Account.objects.filter(firm=firm).values_list("name", flat=True)) == ["Acme LLC", "Brown Family"]


@postgres_only
@pytest.mark.django_db
def test_a_lock_timeout_fails_the_import_and_leaves_nothing_of_its_batch(firm, owner, monkeypatch):
    lock_timeout = postgres_error("55P03")
    assert type(lock_timeout) is OperationalError
    with pytest.raises(OperationalError):
        import_meeting(lock_timeout, firm, owner, monkeypatch)
    assert not Account.objects.filter(firm=firm).exists()


@pytest.mark.django_db
def test_an_operational_error_without_a_cause_fails_the_import(firm, owner, monkeypatch):
    with pytest.raises(OperationalError):
        import_meeting(OperationalError("database is locked"), firm, owner, monkeypatch)
    assert not Account.objects.filter(firm=firm).exists()


@pytest.mark.django_db
def test_a_unique_key_somebody_else_took_is_planned_again(firm, owner, monkeypatch):
    taken = IntegrityError("UNIQUE constraint failed: crm_contact.firm_id, crm_contact.email_key")
    assert import_meeting(taken, firm, owner, monkeypatch) == [1, 1, 2]
    assert Account.objects.filter(firm=firm).count() == 2


def another_connection_takes_the_lock(firm_id: int) -> bool:
    """Whether another database session (another worker) gets `firm_id`'s import lock within 0.2 s."""
    outcome = []

    def take():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '200ms'")
                firm_import_lock(firm_id)
            outcome.append(True)
        except OperationalError:
            outcome.append(False)
        finally:
            connection.close()

    thread = threading.Thread(target=take)
    thread.start()
    thread.join()
    return outcome[0]


@postgres_only
@pytest.mark.django_db(transaction=True)  # the lock lasts until the outermost transaction ends
def test_the_import_lock_keeps_out_another_import_of_the_firm_only(firm, other_firm):
    with transaction.atomic():
        firm_import_lock(firm.pk)
        assert not another_connection_takes_the_lock(firm.pk)
        assert another_connection_takes_the_lock(other_firm.pk)
    assert another_connection_takes_the_lock(firm.pk)  # released with the transaction
