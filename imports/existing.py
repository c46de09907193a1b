"""What the database already holds for one batch: a fixed handful of queries, whatever the
batch size (see test_a_batch_costs_the_same_number_of_queries_whatever_its_size in
tests/imports/test_pipeline.py)."""

from __future__ import annotations

from collections import defaultdict

from crm.models import Account, AccountContact, AccountRole, AccountRoleAssignment, Contact, CustomField, Firm, Tag
from imports.extraction import CleanRow
from imports.planning import CONTACT_FIELDS, AccountSnapshot, Catalogue, ContactSnapshot, Existing

_CONTACT_COLUMNS = ("id", *CONTACT_FIELDS, "additional_emails", "phones", "custom_values", "created_by_import_id")


def load_catalogue(firm: Firm) -> Catalogue:
    return Catalogue(
        tags=dict(Tag.objects.filter(firm=firm).values_list("key", "id")),
        custom_fields={
            (applies_to, key): pk
            for applies_to, key, pk in CustomField.objects.filter(firm=firm).values_list("applies_to", "key", "id")
        },
        roles=dict(AccountRole.objects.filter(firm=firm).values_list("key", "id")),
    )


def load_existing(firm: Firm, rows: list[CleanRow], *, contacts_only: bool = False) -> Existing:
    existing = Existing()
    account_keys = {row.account.key for row in rows if row.account is not None and row.skip is None}
    emails, names = set(), set()
    for row in rows:
        if row.skip is None:
            for person in row.people:
                if person.email:
                    emails.add(person.email_key)
                if person.has_name:
                    names.add(person.name_key)

    accounts = {}
    if account_keys:
        for values in Account.objects.filter(firm=firm, name_key__in=account_keys).order_by().values(
            "id", "name", "name_key", "type", "company_name", "client_id", "custom_values", "created_by_import_id"
        ):
            key = values.pop("name_key")
            accounts[values["id"]] = existing.accounts[key] = AccountSnapshot(**values)
        if accounts:
            ids = list(accounts)
            for account_id, tag_id in Account.tags.through.objects.filter(account_id__in=ids).order_by().values_list(
                "account_id", "tag_id"
            ):
                accounts[account_id].tag_ids.add(tag_id)
            for account_id, member_id in Account.assignees.through.objects.filter(account_id__in=ids).values_list(
                "account_id", "membership_id"
            ):
                accounts[account_id].assignee_ids.add(member_id)
            for account_id, role_id, member_id in AccountRoleAssignment.objects.filter(account_id__in=ids).values_list(
                "account_id", "role_id", "member_id"
            ):
                accounts[account_id].roles[role_id] = member_id

    contacts: dict[int, ContactSnapshot] = {}

    def snapshot(values: dict) -> ContactSnapshot:
        contact = contacts.get(values["id"])
        if contact is None:
            contact = contacts[values["id"]] = ContactSnapshot(
                id=values["id"],
                values={name: values[name] for name in CONTACT_FIELDS},
                additional_emails=values["additional_emails"] or [],
                phones=values["phones"] or [],
                custom_values=values["custom_values"] or {},
                created_by_import_id=values["created_by_import_id"],
            )
        return contact

    if emails:
        for values in Contact.objects.filter(firm=firm, email_key__in=emails).order_by().values(
            *_CONTACT_COLUMNS, "email_key"
        ):
            existing.contacts_by_email[values["email_key"]] = snapshot(values)
    if names and accounts:
        # Driven from the batch's accounts (a bounded set), not from the names: a common name
        # is shared by thousands of contacts of a large firm.
        links: dict[int, list[tuple[int, tuple[bool, bool, bool]]]] = defaultdict(list)
        for account_id, contact_id, login, notify, sync in AccountContact.objects.filter(
            account_id__in=list(accounts)
        ).order_by().values_list("account_id", "contact_id", "login", "notify", "email_sync"):
            links[contact_id].append((account_id, (login, notify, sync)))
        if links:
            # Several contacts of one account may share a name (one with an email, one
            # without): a row without email means the one without, then the oldest.
            found = sorted(
                Contact.objects.filter(pk__in=list(links), name_key__in=names).order_by().values(
                    *_CONTACT_COLUMNS, "email_key", "name_key"
                ),
                key=lambda values: (bool(values["email_key"]), values["id"]),
                reverse=True,
            )
            for values in found:
                contact = snapshot(values)
                for account_id, _ in links[values["id"]]:
                    existing.contacts_by_name[(account_id, values["name_key"])] = contact
    if names and contacts_only:
        # Contacts only: a person without email is the firm's one email-less contact of that
        # name; with several of that name it is ambiguous, and a new contact is made.
        found_by_name: dict[str, list[dict]] = defaultdict(list)
        for values in Contact.objects.filter(firm=firm, name_key__in=names, email_key="").order_by().values(
            *_CONTACT_COLUMNS, "name_key"
        ):
            found_by_name[values["name_key"]].append(values)
        for name_key, matches in found_by_name.items():
            if len(matches) == 1:
                existing.contacts_by_name[(None, name_key)] = snapshot(matches[0])
    if contacts:
        ids = list(contacts)
        for contact_id, tag_id in Contact.tags.through.objects.filter(contact_id__in=ids).order_by().values_list(
            "contact_id", "tag_id"
        ):
            contacts[contact_id].tag_ids.add(tag_id)
        if accounts:
            for account_id, contact_id, login, notify, sync in AccountContact.objects.filter(
                account_id__in=list(accounts), contact_id__in=ids
            ).order_by().values_list("account_id", "contact_id", "login", "notify", "email_sync"):
                existing.links[(account_id, contact_id)] = (login, notify, sync)
    return existing
