"""`clientport export`: a firm's accounts and contacts as CSV (one row per contact, headers the
automatic mapping recognises, so export -> edit -> re-import is a bulk update) or as JSON in
the shape docs/crm-rules.md ("Export") gives. A tax ID (a contact's SSN/TIN, an account's EIN) never leaves in full: it is
not exported at all, so a re-import leaves the stored number as it is."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.db.models import Prefetch

from crm.models import Account, AccountContact, AccountRoleAssignment, Contact, CustomField, Firm
from imports.report import formula_safe

CHUNK = 500

# Each header is the target's label (imports.matching.target_label), so the file re-imports as is.
ACCOUNT_HEADERS = [
    "Account name", "Account type", "Company name", "Client ID", "Account status", "Account street", "Account city",
    "Account state/region", "Account postal code", "Account country", "Account tags", "Team members",
]
CONTACT_HEADERS = [
    "Prefix", "First name", "Middle name", "Last name", "Suffix", "Email", "Additional emails", "Phone",
    "Street", "City", "State", "Postal code", "Country", "Date of birth", "Notes", "Contact tags",
]


def _custom_text(value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)


def _custom_json(values: dict, fields: dict[str, CustomField]) -> dict:
    return {fields[key].name: value for key, value in values.items() if key in fields}


def _accounts(firm: Firm) -> Iterator[Account]:
    queryset = Account.objects.filter(firm=firm).order_by("name_key").prefetch_related(
        "tags", "assignees__user",
        Prefetch("role_assignments", queryset=AccountRoleAssignment.objects.select_related("role", "member__user")),
        Prefetch("contact_links", queryset=AccountContact.objects.select_related("contact").prefetch_related("contact__tags").order_by("pk")),
    )
    yield from queryset.iterator(chunk_size=CHUNK)


def _contact_json(contact: Contact, fields: dict[str, CustomField], link: AccountContact | None = None) -> dict:
    return {
        "first_name": contact.first_name,
        "middle_name": contact.middle_name,
        "last_name": contact.last_name,
        "primary_email": contact.email,
        "emails": contact.all_emails,
        "phones": list(contact.phones),
        "address": {
            "street": contact.street, "city": contact.city, "state": contact.state,
            "postal_code": contact.postal_code, "country": contact.country,
        },
        "date_of_birth": contact.date_of_birth.isoformat() if contact.date_of_birth else None,
        "tags": [tag.name for tag in contact.tags.all()],
        "custom": _custom_json(contact.custom_values, fields),
        "login": bool(link and link.login),
        "notify": bool(link and link.notify),
        "email_sync": bool(link and link.email_sync),
    }


def _field_maps(firm: Firm) -> tuple[dict[str, CustomField], dict[str, CustomField]]:
    fields = list(CustomField.objects.filter(firm=firm))
    return (
        {str(f.pk): f for f in fields if f.applies_to == "account"},
        {str(f.pk): f for f in fields if f.applies_to == "contact"},
    )


def export_accounts_json(firm: Firm, out) -> int:
    account_fields, contact_fields = _field_maps(firm)
    count = 0
    out.write("[")
    for account in _accounts(firm):
        item = {
            "name": account.name,
            "type": account.type,
            "company_name": account.company_name,
            "client_id": account.client_id,
            "status": account.status,
            "address": {
                "street": account.street, "city": account.city, "state": account.state,
                "postal_code": account.postal_code, "country": account.country,
            },
            "tags": [tag.name for tag in account.tags.all()],
            "assignees": [member.user.email for member in account.assignees.all()],
            "roles": {ra.role.name: ra.member.user.email for ra in account.role_assignments.all()},
            "custom": _custom_json(account.custom_values, account_fields),
            "folders": list(account.folders),
            "contacts": [_contact_json(link.contact, contact_fields, link) for link in account.contact_links.all()],
        }
        out.write(("," if count else "") + "\n" + json.dumps(item, ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count


def export_contacts_json(firm: Firm, out) -> int:
    _, contact_fields = _field_maps(firm)
    count = 0
    out.write("[")
    contacts = Contact.objects.filter(firm=firm).order_by("last_name", "first_name", "pk").prefetch_related(
        "tags", Prefetch("account_links", queryset=AccountContact.objects.select_related("account").order_by("pk"))
    )
    for contact in contacts.iterator(chunk_size=CHUNK):
        links = list(contact.account_links.all())
        item = _contact_json(contact, contact_fields, links[0] if len(links) == 1 else None)
        if len(links) > 1:  # switches live on each link: say them per account
            item["login"] = any(link.login for link in links)
            item["notify"] = any(link.notify for link in links)
            item["email_sync"] = any(link.email_sync for link in links)
        item["accounts"] = [link.account.name for link in links]
        out.write(("," if count else "") + "\n" + json.dumps(item, ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count


def _contact_cells(contact: Contact | None, contact_fields: list[CustomField]) -> list[str]:
    if contact is None:
        return [""] * (len(CONTACT_HEADERS) + len(contact_fields))
    cells = [
        contact.prefix, contact.first_name, contact.middle_name, contact.last_name, contact.suffix, contact.email,
        "; ".join(contact.additional_emails), "; ".join(contact.phones), contact.street, contact.city,
        contact.state, contact.postal_code, contact.country,
        contact.date_of_birth.isoformat() if contact.date_of_birth else "", contact.notes,
        ", ".join(tag.name for tag in contact.tags.all()),
    ]
    cells += [_custom_text(contact.custom_values.get(str(f.pk))) for f in contact_fields]
    return cells


def export_accounts_csv(firm: Firm, out) -> int:
    """One row per contact of each account (an account without contacts gets one row)."""
    account_fields = list(CustomField.objects.filter(firm=firm, applies_to="account").order_by("name"))
    contact_fields = list(CustomField.objects.filter(firm=firm, applies_to="contact").order_by("name"))
    roles = list(firm.account_roles.order_by("name"))
    writer = csv.writer(out, lineterminator="\r\n")
    headers = (ACCOUNT_HEADERS + [r.name for r in roles] + [f.name for f in account_fields]
               + CONTACT_HEADERS + [f.name for f in contact_fields])
    writer.writerow([formula_safe(h) for h in headers])  # role and field names are user text too
    rows = 0
    for account in _accounts(firm):
        held = {ra.role_id: ra.member.user.email for ra in account.role_assignments.all()}
        account_cells = [
            account.name, account.get_type_display(), account.company_name, account.client_id,
            account.get_status_display(), account.street, account.city, account.state, account.postal_code,
            account.country, ", ".join(tag.name for tag in account.tags.all()),
            ", ".join(member.user.email for member in account.assignees.all()),
            *[held.get(role.pk, "") for role in roles],
            *[_custom_text(account.custom_values.get(str(f.pk))) for f in account_fields],
        ]
        contacts = [link.contact for link in account.contact_links.all()] or [None]
        for contact in contacts:
            writer.writerow([formula_safe(c) for c in account_cells + _contact_cells(contact, contact_fields)])
            rows += 1
    return rows


def export_contacts_csv(firm: Firm, out) -> int:
    contact_fields = list(CustomField.objects.filter(firm=firm, applies_to="contact").order_by("name"))
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([formula_safe(h) for h in CONTACT_HEADERS + [f.name for f in contact_fields]])
    rows = 0
    for contact in Contact.objects.filter(firm=firm).order_by("last_name", "first_name", "pk").prefetch_related(
        "tags"
    ).iterator(chunk_size=CHUNK):
        writer.writerow([formula_safe(c) for c in _contact_cells(contact, contact_fields)])
        rows += 1
    return rows
