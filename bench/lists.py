"""The client pages of a big firm: how long each list page, search, filter, sort and an account
page with 50 contacts take, through the real views (Django's test client: queries, template,
middleware). Prints the median milliseconds of `--repeat` requests per page, one JSON line.

    python -m bench.lists --accounts 1000000                      # SQLite, seeded once, kept
    scripts/with-postgres .venv/bin/python -m bench.lists --accounts 1000000 --database postgres

One firm of N accounts and N contacts (one contact on each account, 50 more on the first
account, a tag on every tenth account and contact, a rare tag on every 5,000th account, the
last 20,000 accounts and contacts "created by" one import), seeded with one INSERT ... SELECT
per table from a row generator (a recursive CTE on SQLite, generate_series on PostgreSQL). The
SQLite database is kept under var/bench/ and reused by the next run of the same size;
PostgreSQL's throwaway cluster is seeded each time. `--bulk` also times the bulk actions over
every account (they change the data, so the kept SQLite file is then removed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from bench.timing import timed

ROOT = Path(__file__).resolve().parent.parent
FIRST_NAMES = ("Ann", "Bob", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal", "Ida", "Jo")
IMPORTED = 20_000  # the last accounts and contacts, "created by import #N"


def _generator(vendor: str, n: int) -> str:
    if vendor == "postgresql":
        return f"SELECT x FROM generate_series(0, {n - 1}) AS x"
    return f"WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < {n - 1}) SELECT x FROM g"


def _pad(vendor: str, width: int = 7) -> str:
    return f"lpad(x::text, {width}, '0')" if vendor == "postgresql" else f"printf('%0{width}d', x)"


def _first_name(vendor: str) -> str:
    return "CASE x % 10 " + " ".join(f"WHEN {i} THEN '{name}'" for i, name in enumerate(FIRST_NAMES)) + " END"


def _insert(cursor, model, n: int, expressions: dict) -> None:
    """One INSERT ... SELECT of `n` generated rows into `model`'s table. `expressions` give SQL
    for some columns in terms of the row number x (a tuple ("%s", value) is a parameter); every
    other column gets the field's default."""
    from django.db import connection
    from django.utils import timezone

    columns, values, args = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.column not in expressions:
            continue
        columns.append(connection.ops.quote_name(field.column))
        expression = expressions.get(field.column)
        if isinstance(expression, str):
            values.append(expression.replace("%", "%%"))
        else:
            if expression:
                value = expression[1]
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = timezone.now()
            else:
                value = field.get_default()
            values.append("%s")
            args.append(field.get_db_prep_save(value, connection))
    table = connection.ops.quote_name(model._meta.db_table)
    cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
                   f"FROM ({_generator(connection.vendor, n)}) AS rows", args)


def seed(accounts: int) -> None:
    """The firm, its owner, tags and import; N accounts and N contacts through raw SQL."""
    from django.db import connection, transaction
    from django.utils import timezone

    from crm import services
    from crm.models import Account, AccountContact, Contact, User
    from imports.models import ImportJob

    vendor = connection.vendor
    owner = User.objects.create_user(email="owner@bench.example", password="bench-password", full_name="Owner")
    firm = services.firm_create(name="Bench Firm", slug="bench", owner=owner)
    vip = services.tag_get_or_create(firm=firm, name="VIP")
    rare = services.tag_get_or_create(firm=firm, name="Rare")
    job = ImportJob.objects.create(firm=firm, created_by=owner)
    now = ("%s", timezone.now())
    pad, first = _pad(vendor), _first_name(vendor)
    imported = f"CASE WHEN x >= {accounts - IMPORTED} THEN {job.pk} ELSE NULL END"
    with transaction.atomic(), connection.cursor() as cursor:
        _insert(cursor, Account, accounts, {
            "id": "x + 1", "firm_id": str(firm.pk),
            "name": f"'Client ' || {pad}", "name_key": f"'client ' || {pad}", "client_id": f"'C-' || {pad}",
            "type": "CASE x % 3 WHEN 0 THEN 'individual' WHEN 1 THEN 'company' ELSE 'other' END",
            "status": "CASE WHEN x % 7 = 0 THEN 'inactive' ELSE 'active' END",
            "created_at": now, "updated_at": now, "created_by_import_id": imported,
        })
        # N contacts, then 50 more (ids N+1 .. N+50) for the first account's page.
        _insert(cursor, Contact, accounts + 50, {
            "id": "x + 1", "firm_id": str(firm.pk), "first_name": first, "last_name": f"'Person' || {pad}",
            "email": f"'p' || {pad} || '@bench.example'", "email_key": f"'p' || {pad} || '@bench.example'",
            "name_key": f"lower({first}) || '|person' || {pad}",
            "created_at": now, "updated_at": now, "created_by_import_id": imported,
        })
        _insert(cursor, AccountContact, accounts + 50, {
            "account_id": f"CASE WHEN x < {accounts} THEN x + 1 ELSE 1 END", "contact_id": "x + 1",
        })
        _insert(cursor, Account.tags.through, accounts // 10, {"account_id": "x * 10 + 1", "tag_id": str(vip.pk)})
        _insert(cursor, Account.tags.through, accounts // 5000, {"account_id": "x * 5000 + 3", "tag_id": str(rare.pk)})
        _insert(cursor, Contact.tags.through, accounts // 10, {"contact_id": "x * 10 + 1", "tag_id": str(vip.pk)})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if vendor == "postgresql":  # the ids above were given, not drawn from the sequences
            for model in (Account, Contact, AccountContact):
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


def pages(accounts: int) -> dict:
    """Each page to time: its label and URL."""
    from crm.models import Account, Contact, Tag
    from crm.views.paging import _encode
    from imports.models import ImportJob

    vip, rare = Tag.objects.get(name="VIP"), Tag.objects.get(name="Rare")
    job = ImportJob.objects.get()
    middle = f"{accounts // 2:07d}"
    deep_account = Account.objects.get(name_key=f"client {middle}")
    deep_contact = Contact.objects.get(email_key=f"p{middle}@bench.example")
    contact_cursor = _encode([deep_contact.last_name, deep_contact.first_name, deep_contact.email, deep_contact.pk])
    accounts_url, contacts_url = "/clients/accounts/", "/clients/contacts/"
    return {
        "accounts: first page": accounts_url,
        "accounts: a deep page (the middle)": f"{accounts_url}?after={_encode([deep_account.name_key, deep_account.pk])}",
        "accounts: the page before it": f"{accounts_url}?before={_encode([deep_account.name_key, deep_account.pk])}",
        "accounts: sorted by name, descending": f"{accounts_url}?sort=-name",
        "accounts: sorted by type": f"{accounts_url}?sort=type",
        "accounts: sorted by status, descending": f"{accounts_url}?sort=-status",
        "accounts: newest first": f"{accounts_url}?sort=-created",
        "accounts: by contacts (refused beyond the limit)": f"{accounts_url}?sort=-contacts",
        "accounts: search a name prefix": f"{accounts_url}?q=Client+{middle[:5]}",
        "accounts: search a client ID": f"{accounts_url}?q=C-{middle}",
        "accounts: search a contact's email prefix": f"{accounts_url}?q=p{middle}@",
        "accounts: search a contact's last name": f"{accounts_url}?q=person{middle}",
        "accounts: filter tag": f"{accounts_url}?tag={vip.pk}",
        "accounts: filter a rare tag": f"{accounts_url}?tag={rare.pk}",
        "accounts: filter type": f"{accounts_url}?type=company",
        "accounts: filter status": f"{accounts_url}?status=inactive",
        "accounts: created by import #N": f"{accounts_url}?import={job.pk}",
        "accounts: tag + type + status": f"{accounts_url}?tag={vip.pk}&type=individual&status=active",
        "accounts: tag + type, sorted by status": f"{accounts_url}?tag={vip.pk}&type=company&sort=-status",
        "contacts: first page": contacts_url,
        "contacts: a deep page (the middle)": f"{contacts_url}?after={contact_cursor}",
        "contacts: newest first": f"{contacts_url}?sort=-created",
        "contacts: search a name": f"{contacts_url}?q=Ann+Person{middle[:5]}",
        "contacts: search a last name": f"{contacts_url}?q=person{middle}",
        "contacts: search an email prefix": f"{contacts_url}?q=p{middle[:5]}",
        "contacts: search by account name": f"{contacts_url}?q=Client+{middle}",
        "contacts: filter tag": f"{contacts_url}?tag={vip.pk}",
        "contacts: created by import #N": f"{contacts_url}?import={job.pk}",
        "account page with 50 contacts": "/clients/accounts/1/",
    }


def bulk_actions(client) -> dict:
    def bulk(action: dict) -> float:
        started = time.perf_counter()
        response = client.post("/clients/accounts/bulk/", {"all_matching": "1", "filter": "", **action})
        assert response.status_code in (200, 302), response.status_code
        return round(time.perf_counter() - started, 2)

    return {
        "add a tag to all": bulk({"action": "add_tags", "new_tag": "Bench tag"}),
        "set status of all": bulk({"action": "set_status", "status": "active"}),
        "delete: confirmation page (count)": bulk({"action": "delete"}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=200_000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--bulk", action="store_true", help="also time the bulk actions over every account")
    args = parser.parse_args()
    cached = None
    if args.database == "sqlite":
        cached = ROOT / "var" / "bench" / f"lists-{args.accounts}.sqlite3"
        cached.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{cached}"
    elif not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("--database postgres needs DATABASE_URL: run it under scripts/with-postgres")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientport.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from crm.models import User

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seeded = User.objects.filter(email="owner@bench.example").exists()
    if not seeded:
        seed(args.accounts)
    result = {"database": connection.vendor, "accounts": args.accounts, "contacts": args.accounts + 50,
              "seed_s": None if seeded else round(time.perf_counter() - started, 1),
              "loadavg": Path("/proc/loadavg").read_text().split()[:3], "median_ms": {}}
    client = Client()
    client.force_login(User.objects.get(email="owner@bench.example"))
    for label, url in pages(args.accounts).items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        result["median_ms"][label] = timed(lambda: client.get(url), args.repeat)
    result["slowest_ms"] = max(result["median_ms"].values())
    if args.bulk:
        result["bulk_s"] = bulk_actions(client)
        if cached is not None:
            connection.close()
            cached.unlink()
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
