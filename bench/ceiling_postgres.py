"""The raw ceiling on PostgreSQL: the file parsed and cleaned exactly as bench/ceiling.py does
(the csv module, email-validator, phonenumbers), written with plain psycopg COPY of accounts,
contacts, links and tag links, one transaction per batch — no mapping, no matching, no change
log, no Django. Where the SQLite ceiling says INSERT OR IGNORE (a repeated email, a tag an
account already has), rows go through a staging table and INSERT … ON CONFLICT DO NOTHING,
the cheapest way PostgreSQL has to skip them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import psycopg

from bench.ceiling import BATCH, batch_records

SCHEMA = """
CREATE TABLE account (id bigint PRIMARY KEY, name text NOT NULL, name_key text NOT NULL UNIQUE, type text);
CREATE TABLE contact (id bigint PRIMARY KEY, first_name text, last_name text, email text, phone text,
                      street text, city text, state text, postal_code text);
CREATE UNIQUE INDEX contact_email ON contact(email) WHERE email != '';
CREATE TABLE account_contact (account_id bigint, contact_id bigint, UNIQUE(account_id, contact_id));
CREATE TABLE tag (id bigserial PRIMARY KEY, name text UNIQUE);
CREATE TABLE account_tag (account_id bigint, tag_id bigint, UNIQUE(account_id, tag_id));
"""


def run(csv_path: Path, url: str, *, measure) -> tuple[int, dict]:
    """Imports the bench file the raw way into the (empty) database at `url`; returns the
    number of data rows read and what `measure` (bench.worker's `CpuTime`, given the server
    process of the connection) counted while it ran."""
    tags: dict[str, int] = {}
    accounts: dict[str, int] = {}
    total = 0
    with psycopg.connect(url) as db:
        cpu = measure(db.info.backend_pid)
        db.execute(SCHEMA)
        db.commit()
        with csv_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            col = {name: index for index, name in enumerate(header)}
            batch: list[list[str]] = []
            for row in reader:
                batch.append(row)
                if len(batch) == BATCH:
                    total += _write(db, batch, col, accounts, tags)
                    batch = []
            if batch:
                total += _write(db, batch, col, accounts, tags)
        used = cpu.stop(db.info.backend_pid)  # before the connection closes: its server process ends with it
    return total, used


def _copy(cursor, table: str, columns: str, rows) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _copy_ignoring_conflicts(cursor, table: str, columns: str, rows) -> None:
    cursor.execute(f"CREATE TEMPORARY TABLE staging ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA")
    _copy(cursor, "staging", columns, rows)
    cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM staging ON CONFLICT DO NOTHING")
    cursor.execute("DROP TABLE staging")


def _write(db, batch, col, accounts, tags) -> int:
    with db.transaction(), db.cursor() as cursor:
        next_contact = cursor.execute("SELECT COALESCE(MAX(id), 0) FROM contact").fetchone()[0] + 1
        next_account = cursor.execute("SELECT COALESCE(MAX(id), 0) FROM account").fetchone()[0] + 1
        new_accounts, contacts, links, account_tags = batch_records(
            batch, col, accounts, tags, next_account=next_account, next_contact=next_contact,
            new_tag=lambda tag: cursor.execute("INSERT INTO tag (name) VALUES (%s) RETURNING id",
                                               (tag,)).fetchone()[0])
        _copy(cursor, "account", "id, name, name_key, type", new_accounts)
        _copy_ignoring_conflicts(cursor, "contact",
                                 "id, first_name, last_name, email, phone, street, city, state, postal_code", contacts)
        _copy(cursor, "account_contact", "account_id, contact_id", links)
        _copy_ignoring_conflicts(cursor, "account_tag", "account_id, tag_id", account_tags)
    return len(batch)
