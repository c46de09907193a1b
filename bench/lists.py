"""The client lists on a big firm: how long the accounts list takes per sort, deep pages, a
filter, and a bulk action over every account matching a filter.

    python -m bench.lists 200000                # a fresh SQLite database
    scripts/with-postgres .venv/bin/python -m bench.lists 200000   # PostgreSQL (DATABASE_URL)

Builds one firm of that many accounts (a contact on each, a second on every third account,
a tag on every tenth) with bulk INSERTs, then times the list pages through Django's test
client (the whole request: queries, template, middleware). Prints one JSON line: the median
milliseconds of three requests per page, and the seconds of each bulk action.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PAGES = {
    "name": "", "-name": "sort=-name", "type": "sort=type", "status": "sort=-status",
    "created": "sort=-created", "contacts": "sort=-contacts", "page 2000": "page=2000",
    "search": "q=Client+12345", "tag": "tag={tag}", "tag, by contacts": "tag={tag}&sort=-contacts",
}


def build(accounts: int):
    from crm import services
    from crm.models import Account, AccountContact, Contact, User
    from crm.normalize import account_name_key

    owner = User.objects.create_user(email="owner@bench.example", password="bench-password", full_name="Owner")
    firm = services.firm_create(name="Bench Firm", slug="bench", owner=owner)
    tag = services.tag_get_or_create(firm=firm, name="VIP")
    batch = 5000
    for start in range(0, accounts, batch):
        stop = min(start + batch, accounts)
        made = Account.objects.bulk_create([
            Account(firm=firm, name=f"Client {n:06}", name_key=account_name_key(f"Client {n:06}"),
                    type=("individual", "company", "other")[n % 3], status="inactive" if n % 7 == 0 else "active")
            for n in range(start, stop)])
        people = Contact.objects.bulk_create([
            Contact(firm=firm, first_name="Pat", last_name=f"Client {n:06}", email=f"p{n}@bench.example",
                    email_key=f"p{n}@bench.example", name_key=f"pat client {n:06}")
            for n in range(start, stop)])
        links = [AccountContact(account=account, contact=person) for account, person in zip(made, people)]
        links += [AccountContact(account=account, contact=people[(i + 1) % len(people)])
                  for i, account in enumerate(made) if i % 3 == 0]
        AccountContact.objects.bulk_create(links)
        Account.tags.through.objects.bulk_create([Account.tags.through(account_id=a.pk, tag_id=tag.pk)
                                                  for i, a in enumerate(made) if i % 10 == 0])
    return firm, owner, tag


def timed(call, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("accounts", type=int, nargs="?", default=200_000)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp(prefix='clientport-lists-')) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientport.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    firm, owner, tag = build(args.accounts)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result = {"database": connection.vendor, "accounts": args.accounts,
              "build_s": round(time.perf_counter() - started, 1), "list_ms": {}}
    client = Client()
    client.force_login(owner)
    for label, query in PAGES.items():
        url = "/clients/accounts/?" + query.format(tag=tag.pk)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        result["list_ms"][label] = timed(lambda: client.get(url))
    new_tag = "Bench tag"
    bulk_url = "/clients/accounts/bulk/"

    def bulk(action: dict) -> float:
        started = time.perf_counter()
        response = client.post(bulk_url, {"all_matching": "1", "filter": "", **action})
        assert response.status_code in (200, 302), response.status_code
        return round(time.perf_counter() - started, 2)

    result["bulk_s"] = {
        "add a tag to all": bulk({"action": "add_tags", "new_tag": new_tag}),
        "set status of all": bulk({"action": "set_status", "status": "active"}),
        "delete: confirmation page (count)": bulk({"action": "delete"}),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
