"""What the database already holds for one batch: a fixed handful of queries, whatever the
batch size (see test_a_batch_costs_the_same_number_of_queries_whatever_its_size in
tests/imports/test_pipeline.py)."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import connection

from crm.models import Account, AccountContact, AccountRole, AccountRoleAssignment, Contact, CustomField, Firm, Tag
from crm.normalize import account_name_key, contact_name_key, normalize_email_key
from imports.extraction import CleanRow, PersonData
from imports.planning import CONTACT_FIELDS, AccountSnapshot, Catalogue, ContactSnapshot, Existing


def load_catalogue(firm: Firm) -> Catalogue:
    return Catalogue(
        tags=dict(Tag.objects.filter(firm=firm).values_list("key", "id")),
        custom_fields={
            (applies_to, key): pk
            for applies_to, key, pk in CustomField.objects.filter(firm=firm).values_list("applies_to", "key", "id")
        },
        roles=dict(AccountRole.objects.filter(firm=firm).values_list("key", "id")),
    )


def load_existing(firm: Firm, rows: list[CleanRow], *, contacts_only: bool = False,
                  account_ids: Iterable[int] = ()) -> Existing:
    """What exists for the batch's rows: accounts by name key; for rows that name no account,
    the individuals' accounts of their emails and names; contacts by email, and by name within
    those accounts; the links between them. `account_ids` adds accounts the caller knows it
    needs (a dry run's memory of links it did not write)."""
    existing = Existing()
    account_keys, emails, names = set(), set(), set()
    person_emails, person_names = set(), set()  # of rows whose account is their person's
    person_account_keys = set()  # the keys of accounts named after those people
    for row in rows:
        if row.skip is not None:
            continue
        if row.account is not None:
            if row.account.name_given:
                account_keys.add(row.account.key)
            elif row.people:
                person = row.people[0]
                if person.email_key:
                    person_emails.add(person.email_key)
                    if person.first_name:  # the next one is theirs if another holds this one
                        person_emails.update(normalize_email_key(email) for email in person.additional_emails)
                if person.has_name:
                    person_names.add(person.name_key)
                    person_account_keys.add(_own_account_key(person))
        for person in row.people:
            if person.email:
                emails.add(person.email_key)
            if person.has_name:
                names.add(person.name_key)
                if person.first_name and person.additional_emails:
                    # One of these becomes the primary email if another first name holds it
                    # (`Planner._without_shared_email`).
                    emails.update(normalize_email_key(email) for email in person.additional_emails)

    accounts: dict[int, AccountSnapshot] = {}
    if account_keys:
        for values in _select(Account, _ACCOUNT_COLUMNS, "firm_id = %s AND name_key IN {}", account_keys,
                              params=[firm.pk]):
            snapshot = accounts[values[0]] = _account_snapshot(values)
            existing.accounts.setdefault(snapshot.key, []).append(snapshot)
        for candidates in existing.accounts.values():
            candidates.sort(key=lambda snapshot: snapshot.id)
    # The accounts of the people of rows that name no account: individuals' accounts holding a
    # contact of the person's email, and individuals' accounts named after a contact of the
    # person's name (their person's own: `Planner._note_link` says the same of new links).
    by_email: list[tuple[int, str, bool]] = []  # (account id, email key, its first contact's)
    by_name: list[tuple[int, int, int]] = []  # (link id, account id, contact id)
    if person_emails:
        # With whether the contact is the account's first linked (the person it was made for).
        by_email = _select_joined(
            "SELECT l.account_id, c.email_key, NOT EXISTS (SELECT 1 FROM {link} e WHERE e.account_id = l.account_id "
            "AND e.id < l.id) FROM {link} l JOIN {contact} c ON c.id = l.contact_id "
            "WHERE c.firm_id = %s AND c.email_key IN {}", person_emails, params=[firm.pk])
    if person_names:
        # Only individuals' accounts keyed as the person's name can be named after them
        # (`persons` below): found by the account's (firm, type, name key) index, not from every
        # contact of the name, which a large firm's accounts share by thousands (all of them
        # loaded for every batch made an import's lookups grow with the rows already imported).
        by_name = _select_joined(
            "SELECT l.id, l.account_id, l.contact_id FROM {account} a JOIN {link} l ON l.account_id = a.id "
            "JOIN {contact} c ON c.id = l.contact_id WHERE a.firm_id = %s AND a.type = 'individual' "
            "AND a.name_key IN {} AND c.name_key IN {}", person_account_keys, person_names, params=[firm.pk])
    wanted = {pk for pk, *_ in by_email} | {pk for _, pk, _ in by_name} | set(account_ids)
    if wanted - accounts.keys():
        for values in _select(Account, _ACCOUNT_COLUMNS, "id IN {}", wanted - accounts.keys()):
            accounts[values[0]] = _account_snapshot(values)
    existing.accounts_by_id = accounts
    for account_id, email_key, first_contact in by_email:
        snapshot = accounts[account_id]
        if snapshot.type == "individual":
            existing.individuals_by_email.setdefault(email_key, []).append((bool(first_contact), snapshot))
    if accounts:
        ids = list(accounts)
        for account_id, tag_id in _select(Account.tags.through, ("account_id", "tag_id"), "account_id IN {}", ids):
            accounts[account_id].tag_ids.add(tag_id)
        for account_id, member_id in _select(
            Account.assignees.through, ("account_id", "membership_id"), "account_id IN {}", ids
        ):
            accounts[account_id].assignee_ids.add(member_id)
        for account_id, role_id, member_id in _select(
            AccountRoleAssignment, ("account_id", "role_id", "member_id"), "account_id IN {}", ids
        ):
            accounts[account_id].roles[role_id] = member_id

    contacts: dict[int, ContactSnapshot] = {}

    def snapshot(values: tuple) -> ContactSnapshot:
        contact = contacts.get(values[0])
        if contact is None:
            pk, *fields, additional_emails, phones, custom_values, created_by = values[:_CONTACT_WIDTH]
            contact = contacts[pk] = ContactSnapshot(
                id=pk,
                values=dict(zip(CONTACT_FIELDS, fields)),
                additional_emails=_json(additional_emails) or [],
                phones=_json(phones) or [],
                custom_values=_json(custom_values) or {},
                created_by_import_id=created_by,
            )
            if contact.values["date_of_birth"] is not None:
                contact.values["date_of_birth"] = _date(contact.values["date_of_birth"])
        return contact

    if emails:
        for values in _select(Contact, (*_CONTACT_COLUMNS, "email_key"), "firm_id = %s AND email_key IN {}",
                              emails, params=[firm.pk]):
            existing.contacts_by_email[values[-1]] = snapshot(values)
    if accounts:
        # Links of the batch's accounts, and their contacts by name: driven from the accounts
        # (a bounded set), not from the names, which a large firm's contacts share by thousands.
        links: dict[int, list[int]] = defaultdict(list)
        link_ids: dict[tuple[int, int], int] = {}
        for link_id, account_id, contact_id, login, notify, sync in _select(
            AccountContact, ("id", *_LINK_COLUMNS), "account_id IN {}", accounts
        ):
            links[contact_id].append(account_id)
            link_ids[(account_id, contact_id)] = link_id
            existing.links[(account_id, contact_id)] = (bool(login), bool(notify), bool(sync))
        if links and names:
            # Several contacts of one account may share a name (one with an email, one
            # without): a row without email means the one without, then the oldest.
            found = sorted(
                _select(Contact, (*_CONTACT_COLUMNS, "email_key", "name_key"), "id IN {} AND name_key IN {}",
                        links, names),
                key=lambda values: (bool(values[-2]), values[0]),
                reverse=True,
            )
            # An individual's account named after its person: its first contact of that name.
            first_links: dict[int, int] = {}
            for values in found:
                contact = snapshot(values)
                first, last = contact.values["first_name"], contact.values["last_name"]
                for account_id in links[values[0]]:
                    existing.contacts_by_name[(account_id, values[-1])] = contact
                    account = accounts[account_id]
                    link_id = link_ids[(account_id, contact.id)]
                    if (account.type == "individual" and (first or last)
                            and link_id < first_links.get(account_id, link_id + 1)
                            and account.key == account_name_key(f"{first} {last}")):
                        first_links[account_id] = link_id
                        existing.persons[account_id] = contact
    for account_id in sorted(existing.persons):
        contact = existing.persons[account_id]
        name_key = contact_name_key(contact.values["first_name"], contact.values["last_name"])
        if name_key in person_names:
            existing.individuals_by_name.setdefault(name_key, []).append(accounts[account_id])
    if names and contacts_only:
        # Contacts only: a person without email is the firm's one email-less contact of that
        # name; with several of that name it is ambiguous, and a new contact is made.
        found_by_name: dict[str, list[tuple]] = defaultdict(list)
        # COALESCE, not "email_key IS NULL": SQLite takes IS NULL as an equality on the unique
        # (firm, email_key) index, expects one row, and would walk every email-less contact.
        for values in _select(Contact, (*_CONTACT_COLUMNS, "name_key"),
                              "firm_id = %s AND COALESCE(email_key, '') = '' AND name_key IN {}", names,
                              params=[firm.pk]):
            found_by_name[values[-1]].append(values)
        for name_key, matches in found_by_name.items():
            if len(matches) == 1:
                existing.contacts_by_name[(None, name_key)] = snapshot(matches[0])
    if contacts:
        ids = list(contacts)
        for contact_id, tag_id in _select(Contact.tags.through, ("contact_id", "tag_id"), "contact_id IN {}", ids):
            contacts[contact_id].tag_ids.add(tag_id)
        if accounts:
            known = set(accounts)
            for account_id, contact_id, login, notify, sync in _select(AccountContact, _LINK_COLUMNS,
                                                                       "contact_id IN {}", ids):
                if account_id in known:
                    existing.links[(account_id, contact_id)] = (bool(login), bool(notify), bool(sync))
    return existing


def _own_account_key(person: PersonData) -> str:
    """The key of an account named after this person, as `persons` in `load_existing` tests it."""
    if "," in person.own_account_key:  # "Smith, Jr." as a last name: the key reads it as a person
        return account_name_key(f"{person.first_name} {person.last_name}")
    return person.own_account_key


def _account_snapshot(values: tuple) -> AccountSnapshot:
    pk, name, key, type_, company_name, client_id, custom_values, created_by, tax_id, status, *address = values
    return AccountSnapshot(id=pk, key=key, name=name, type=type_, company_name=company_name, client_id=client_id,
                           custom_values=_json(custom_values) or {}, created_by_import_id=created_by,
                           tax_id=tax_id, status=status, **dict(zip(_ADDRESS_COLUMNS, address)))


# Plain SQL, not the ORM: a batch looks up thousands of keys, and the ORM prepares every
# value of an IN list on its own (profiled: three times the cost of running the queries).
_ADDRESS_COLUMNS = ("street", "city", "state", "postal_code", "country")
_ACCOUNT_COLUMNS = ("id", "name", "name_key", "type", "company_name", "client_id", "custom_values",
                    "created_by_import_id", "tax_id", "status", *_ADDRESS_COLUMNS)
_CONTACT_COLUMNS = ("id", *CONTACT_FIELDS, "additional_emails", "phones", "custom_values", "created_by_import_id")
_CONTACT_WIDTH = len(_CONTACT_COLUMNS)
_LINK_COLUMNS = ("account_id", "contact_id", "login", "notify", "email_sync")


def _select(model, columns: tuple[str, ...], where: str, *in_lists: Iterable, params: Sequence = ()) -> list[tuple]:
    """SELECT `columns` FROM the model's table WHERE `where`: its `%s` take `params`, then each
    "IN {}" takes the values of one of `in_lists`, in order (on PostgreSQL as `= ANY(%s)`, the
    list as one array)."""
    quote = connection.ops.quote_name
    return _run(f"SELECT {', '.join(quote(column) for column in columns)} FROM {quote(model._meta.db_table)} "
                f"WHERE {where}", in_lists, params)


def _select_joined(sql: str, *in_lists: Iterable, params: Sequence = ()) -> list[tuple]:
    """`sql` with {link}, {contact} and {account} naming the tables; "IN {}" as in `_select`."""
    quote = connection.ops.quote_name
    for name, model in (("link", AccountContact), ("contact", Contact), ("account", Account)):
        sql = sql.replace("{" + name + "}", quote(model._meta.db_table))
    return _run(sql, in_lists, params)


def _run(sql: str, in_lists, params: Sequence) -> list[tuple]:
    in_lists = [list(values) for values in in_lists]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array per key kind, not thousands of parameters for the server to parse.
            arrays = [_array_literal(values) for values in in_lists]
            cursor.execute(sql.replace(" IN {}", " = ANY(%s::{}[])").format(*(kind for kind, _ in arrays)),
                           [*params, *(literal for _, literal in arrays)])
        else:
            placeholders = ["(" + ", ".join(["%s"] * len(values)) + ")" for values in in_lists]
            cursor.execute(sql.format(*placeholders), [*params, *(value for values in in_lists for value in values)])
        return cursor.fetchall()


def _array_literal(values: list) -> tuple[str, str]:
    """A PostgreSQL array literal of the keys (ids or text keys), and its element type.

    Written here rather than by psycopg's list adapter, which works element by element in
    Python (profiled: a tenth of a PostgreSQL import's time went to the lookups' arrays).
    Text elements are quoted, with backslashes and double quotes escaped: any text is safe."""
    if not values:
        return "text", "{}"
    if isinstance(values[0], int):
        return "bigint", "{" + ",".join(map(str, values)) + "}"
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"') for value in values)
    return "text", '{"' + '","'.join(escaped) + '"}'


# The empty values most stored rows hold: a fresh object each time, without parsing.
_EMPTY_JSON = {"[]": list, "{}": dict}


def _json(value):
    """JSON columns arrive as text on both backends (Django loads PostgreSQL's jsonb as text)."""
    if isinstance(value, str):
        empty = _EMPTY_JSON.get(value)
        return empty() if empty is not None else json.loads(value)
    return value


def _date(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value
