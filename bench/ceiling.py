"""The raw ceiling: the same file parsed with the csv module, cleaned with the same validators
(email-validator, phonenumbers) and written with plain sqlite3 executemany of accounts,
contacts and tag links — no mapping, no matching, no change log, no Django.

It is what an import of this file could cost at the very least on this machine; the real
import is reported as a fraction of it.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import phonenumbers
from email_validator import EmailNotValidError, validate_email

SCHEMA = """
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
CREATE TABLE account (id INTEGER PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE, type TEXT);
CREATE TABLE contact (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, phone TEXT,
                      street TEXT, city TEXT, state TEXT, postal_code TEXT);
CREATE UNIQUE INDEX contact_email ON contact(email) WHERE email != '';
CREATE TABLE account_contact (account_id INTEGER, contact_id INTEGER, UNIQUE(account_id, contact_id));
CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT UNIQUE);
CREATE TABLE account_tag (account_id INTEGER, tag_id INTEGER, UNIQUE(account_id, tag_id));
"""
BATCH = 1000


def _email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        return ""


def _phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_valid_number(number):
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def run(csv_path: Path, db_path: Path) -> int:
    """Imports the bench file the raw way; returns the number of data rows read."""
    db_path.unlink(missing_ok=True)
    db = sqlite3.connect(db_path, isolation_level=None)
    db.executescript(SCHEMA)
    tags: dict[str, int] = {}
    accounts: dict[str, int] = {}
    total = 0
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
    db.close()
    return total


def batch_records(batch, col, accounts, tags, *, next_account: int, next_contact: int, new_tag):
    """The rows of a batch as the tables' records, with the same validators as the import: new
    accounts, contacts, links and account tags (`new_tag(name)` inserts a tag, returns its id).
    Shared by both ceilings, so SQLite's and PostgreSQL's differ only in how they write."""
    new_accounts, contacts, links, account_tags = [], [], [], []
    for row in batch:
        first, last = row[col["First Name"]].strip(), row[col["Last Name"]].strip()
        email = _email(row[col["Email"]].strip()) if row[col["Email"]].strip() else ""
        name = row[col["Client Name"]].strip() or f"{first} {last}".strip() or email
        if not name:
            continue
        key = " ".join(name.split()).casefold()
        account_id = accounts.get(key)
        if account_id is None:
            account_id = accounts[key] = next_account
            next_account += 1
            new_accounts.append((account_id, name, key, row[col["Client Type"]].strip().lower()))
        contact_id = next_contact
        next_contact += 1
        contacts.append((contact_id, first, last, email, _phone(row[col["Phone"]]), row[col["Street"]],
                         row[col["City"]], row[col["State"]], row[col["ZIP"]]))
        links.append((account_id, contact_id))
        for tag in filter(None, (t.strip() for t in row[col["Tags"]].split(","))):
            if tag not in tags:
                tags[tag] = new_tag(tag)
            account_tags.append((account_id, tags[tag]))
    return new_accounts, contacts, links, account_tags


def _write(db, batch, col, accounts, tags) -> int:
    db.execute("BEGIN IMMEDIATE")
    next_contact = (db.execute("SELECT COALESCE(MAX(id), 0) FROM contact").fetchone()[0]) + 1
    next_account = (db.execute("SELECT COALESCE(MAX(id), 0) FROM account").fetchone()[0]) + 1
    new_accounts, contacts, links, account_tags = batch_records(
        batch, col, accounts, tags, next_account=next_account, next_contact=next_contact,
        new_tag=lambda tag: db.execute("INSERT INTO tag (name) VALUES (?) RETURNING id", (tag,)).fetchone()[0])
    db.executemany("INSERT INTO account VALUES (?, ?, ?, ?)", new_accounts)
    db.executemany("INSERT OR IGNORE INTO contact VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", contacts)
    db.executemany("INSERT OR IGNORE INTO account_contact VALUES (?, ?)", links)
    db.executemany("INSERT OR IGNORE INTO account_tag VALUES (?, ?)", account_tags)
    db.execute("COMMIT")
    return len(batch)
