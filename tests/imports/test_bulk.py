"""The import writer's plain inserts (imports/bulk.py): on PostgreSQL they are COPY streams, so
every value must arrive exactly as given, conflicts must be skipped only when asked, and new
ids must come back in the rows' order. The same tests run on SQLite (its executemany path)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.models import Account, AccountContact, Contact, Tag
from imports import bulk
from imports.writing import ACCOUNT_COLUMNS, CONTACT_COLUMNS

pytestmark = pytest.mark.django_db(transaction=True)
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's COPY and staging table")

AWKWARD = [
    "tab\there",
    "line\nbreak and\r\ncarriage return",
    "back\\slash and \\N and \\. alone",
    "Zoë Ångström — 東京 🚀",
    "quotes ' and \" and , and ;",
    "",
]


def _contact_row(firm, index: int, *, email: str | None, notes: str, phones, custom, birth):
    json, date = bulk.json_adapter(), bulk.date_adapter()
    now = bulk.datetime_value(timezone.now())
    return (firm.pk, "", f"First{index}", "", f"Last{index}", "", email or "", email, f"first{index} last{index}",
            json([f"alt{index}@example.com"]), json(phones), "1 Main St", "Springfield", "IL", "62701", "US",
            date(birth), "", notes, json(custom), None, now, now)


def _account_row(firm, name: str, custom: dict):
    json = bulk.json_adapter()
    now = bulk.datetime_value(timezone.now())
    return (firm.pk, name, name.casefold(), "individual", "", "", json(custom), json(["Tax returns"]), None,
            now, now, "active", "", "", "", "", "", "")


def test_new_ids_come_back_in_the_rows_order_and_each_holds_its_row(firm):
    rows = [_contact_row(firm, index, email=f"p{index}@example.com" if index % 2 else None, notes=text,
                         phones=[f"+1 217 555 01{index:02}", text], custom={"7": text, "nested": {"list": [1, None]}},
                         birth=datetime.date(1980 + index, 2, 28) if index % 3 else None)
            for index, text in enumerate(AWKWARD)]
    with transaction.atomic():
        ids = bulk.insert_returning_ids(Contact, CONTACT_COLUMNS, rows)
    assert ids == sorted(ids) and len(set(ids)) == len(rows)
    for index, (pk, text) in enumerate(zip(ids, AWKWARD)):
        contact = Contact.objects.get(pk=pk)
        assert contact.first_name == f"First{index}"
        assert contact.notes == text
        assert contact.phones == [f"+1 217 555 01{index:02}", text]
        assert contact.custom_values == {"7": text, "nested": {"list": [1, None]}}
        assert contact.additional_emails == [f"alt{index}@example.com"]
        assert contact.email_key == (f"p{index}@example.com" if index % 2 else None)
        assert contact.date_of_birth == (datetime.date(1980 + index, 2, 28) if index % 3 else None)


def test_records_created_afterwards_get_ids_after_the_inserted_ones(firm):
    with transaction.atomic():
        ids = bulk.insert_returning_ids(Account, ACCOUNT_COLUMNS, [_account_row(firm, f"Client {n}", {})
                                                                   for n in range(5)])
    later = Account.objects.create(firm=firm, name="Made by hand", name_key="made by hand")
    assert later.pk > max(ids)
    assert Account.objects.get(pk=ids[2]).folders == ["Tax returns"]


def test_json_values_keep_their_structure(firm):
    custom = {"12": "a\tb\\c\nd", "13": ["x", 1, 2.5, True, None], "14": {"é": "東京"}}
    with transaction.atomic():
        [pk] = bulk.insert_returning_ids(Account, ACCOUNT_COLUMNS, [_account_row(firm, "Acme", custom)])
    assert Account.objects.get(pk=pk).custom_values == custom


def test_ignore_conflicts_skips_rows_a_unique_constraint_refuses_and_keeps_the_rest(firm):
    with transaction.atomic():
        account_ids = bulk.insert_returning_ids(Account, ACCOUNT_COLUMNS, [_account_row(firm, f"C{n}", {})
                                                                           for n in range(3)])
    tags = [Tag.objects.create(firm=firm, name=name, key=name) for name in ("vip", "new")]
    through = Account.tags.through
    with transaction.atomic():
        bulk.insert(through, ("account", "tag"), [(account_ids[0], tags[0].pk)])
    with transaction.atomic():
        # One already stored, one repeated within the batch, two new.
        bulk.insert(through, ("account", "tag"), [(account_ids[0], tags[0].pk), (account_ids[1], tags[0].pk),
                                                  (account_ids[1], tags[0].pk), (account_ids[2], tags[1].pk)],
                    ignore_conflicts=True)
    stored = sorted(through.objects.values_list("account_id", "tag_id"))
    assert stored == sorted([(account_ids[0], tags[0].pk), (account_ids[1], tags[0].pk),
                             (account_ids[2], tags[1].pk)])


def test_pairs_of_records_made_in_the_transaction_are_added_once_and_stored_pairs_are_skipped(firm):
    """`insert_pairs`: a pair naming a record the transaction created cannot be stored yet, so
    on PostgreSQL it skips the staging table; a repeat of it within the rows still comes once."""
    with transaction.atomic():
        [old] = bulk.insert_returning_ids(Account, ACCOUNT_COLUMNS, [_account_row(firm, "Old", {})])
    tags = [Tag.objects.create(firm=firm, name=name, key=name) for name in ("vip", "new")]
    through = Account.tags.through
    through.objects.create(account_id=old, tag_id=tags[0].pk)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        [made] = bulk.insert_returning_ids(Account, ACCOUNT_COLUMNS, [_account_row(firm, "Made", {})])
        bulk.insert_pairs(through, ("account", "tag"), [(made, tags[0].pk), (made, tags[1].pk), (made, tags[0].pk)],
                          created=lambda row: row[0] == made)
        staged = [query["sql"] for query in queries.captured_queries if "TEMPORARY" in query["sql"]]
        bulk.insert_pairs(through, ("account", "tag"), [(old, tags[0].pk), (old, tags[1].pk)],
                          created=lambda row: row[0] == made)
    assert staged == []
    assert sorted(through.objects.values_list("account_id", "tag_id")) == sorted(
        [(old, tags[0].pk), (old, tags[1].pk), (made, tags[0].pk), (made, tags[1].pk)])


def test_without_ignore_conflicts_a_conflict_is_django_integrity_error(firm):
    """The pipeline retries a batch on IntegrityError (a key another import took meanwhile):
    the COPY path must raise Django's error, not psycopg's."""
    with transaction.atomic():
        [account_id] = bulk.insert_returning_ids(Account, ACCOUNT_COLUMNS, [_account_row(firm, "Acme", {})])
        [contact_id] = bulk.insert_returning_ids(Contact, CONTACT_COLUMNS, [
            _contact_row(firm, 1, email="a@example.com", notes="", phones=[], custom={}, birth=None)])
    link = (account_id, contact_id, True, False, False, "not_invited", None, bulk.datetime_value(timezone.now()))
    columns = ("account", "contact", "login", "notify", "email_sync", "invitation", "queued_by_import", "created_at")
    with transaction.atomic():
        bulk.insert(AccountContact, columns, [link])
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert(AccountContact, columns, [link])
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_returning_ids(Contact, CONTACT_COLUMNS, [
            _contact_row(firm, 2, email="a@example.com", notes="", phones=[], custom={}, birth=None)])
    assert AccountContact.objects.get().login is True
    assert Contact.objects.count() == 1


@postgres_only
def test_staging_tables_can_be_used_again_in_one_transaction_and_go_with_it(firm):
    with transaction.atomic():
        account_ids = bulk.insert_returning_ids(Account, ACCOUNT_COLUMNS, [_account_row(firm, f"C{n}", {})
                                                                           for n in range(2)])
        tag = Tag.objects.create(firm=firm, name="vip", key="vip")
        for account_id in [*account_ids, account_ids[0]]:
            bulk.insert(Account.tags.through, ("account", "tag"), [(account_id, tag.pk)], ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE %s AND relpersistence = 't'",
                       [bulk._STAGING + "%"])
        assert cursor.fetchone()[0] == 0
    assert Account.tags.through.objects.count() == 2


@postgres_only
def test_new_ids_come_from_the_tables_sequence_even_outside_a_transaction(firm):
    ids = bulk.insert_returning_ids(Account, ACCOUNT_COLUMNS, [_account_row(firm, "Solo", {})])
    again = bulk.insert_returning_ids(Account, ACCOUNT_COLUMNS, [_account_row(firm, "Solo 2", {})])
    assert again[0] > ids[0]
    assert list(Account.objects.order_by("pk").values_list("name", flat=True)) == ["Solo", "Solo 2"]


def _planner_rows(model) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        return cursor.fetchone()[0]


@postgres_only
def test_a_bulk_load_gathers_statistics_each_time_it_has_doubled_the_tables(firm):
    """Autovacuum analyzes a table at most once a minute: an import into an empty firm planned
    every lookup as if its tables were empty (sequential scans) until it did."""
    def add_accounts(first: int, count: int) -> None:
        with transaction.atomic():
            bulk.insert(Account, ACCOUNT_COLUMNS, [_account_row(firm, f"Client {n}", {}) for n in range(first, first + count)])

    with bulk.bulk_load() as load:
        add_accounts(0, 1200)
        load.written(1200)  # the first batch into empty tables: analyzed
        assert _planner_rows(Account) == 1200
        add_accounts(1200, 1000)
        load.written(1000)  # 2,200 rows: not yet twice what the statistics know
        assert _planner_rows(Account) == 1200
        add_accounts(2200, 300)
        load.written(300)  # 2,500: doubled since
        assert _planner_rows(Account) == 2500
    # The columns the import's lookups filter on have statistics.
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname FROM pg_stats WHERE tablename = %s", [Account._meta.db_table])
        assert {"firm_id", "name_key", "type"} <= {name for (name,) in cursor.fetchall()}
