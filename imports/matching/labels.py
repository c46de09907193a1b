"""Each target's own label ("Account name", "Contact 2 email"): the wizard's field names and the
export's headers, which map straight back to their targets."""

from __future__ import annotations

from imports.mapping import MAX_PEOPLE_PER_ROW, NAMED_FIELDS, PERSON_FIELDS, person_prefix


_ACCOUNT_LABELS = {
    "name": "Account name", "type": "Account type", "company_name": "Company name", "client_id": "Client ID",
    "tags": "Tags", "assignees": "Assignees", "status": "Account status", "street": "Account street",
    "street2": "Account address line 2", "city": "Account city", "state": "Account state/region",
    "postal_code": "Account postal code", "country": "Account country", "tax_id": "Account EIN/tax ID",
}
_PERSON_LABELS = {
    "full_name": "Full name", "prefix": "Prefix", "first_name": "First name", "middle_name": "Middle name",
    "last_name": "Last name", "suffix": "Suffix", "email": "Email", "additional_emails": "Additional emails",
    "phone": "Phone", "date_of_birth": "Date of birth", "tax_id": "SSN/TIN",
}
_CONTACT_LABELS = {
    "street": "Street address", "street2": "Address line 2", "city": "City", "state": "State/Region",
    "postal_code": "Postal code", "country": "Country", "notes": "Notes", "tags": "Contact tags",
    "business_street": "Business street", "business_street2": "Business address line 2",
    "business_city": "Business city", "business_state": "Business state/region",
    "business_postal_code": "Business postal code", "business_country": "Business country",
}


def target_label(target: str, field: str = "") -> str:
    """The human name of a target; also a header that maps straight back to it.

    Use it for the wizard's field list and for export headers: `match_header(target_label(t))`
    is `t` (round trip: export, edit, re-import).
    """
    record, _, attribute = target.partition(".")
    if attribute in NAMED_FIELDS:
        return field or ("Role" if attribute == "role" else "Custom field")
    if record == "account":
        return _ACCOUNT_LABELS[attribute]
    if record == "contact":
        return _PERSON_LABELS.get(attribute) or _CONTACT_LABELS[attribute]
    label = _PERSON_LABELS[attribute]
    if not label[:2].isupper():  # keep "SSN/TIN" as written
        label = label[0].lower() + label[1:]
    return f"Contact {record.removeprefix('contact')} {label}"


def _label_targets() -> list[str]:
    targets = [f"account.{a}" for a in _ACCOUNT_LABELS]
    targets += [f"contact.{a}" for a in (*_PERSON_LABELS, *_CONTACT_LABELS)]
    for index in range(2, MAX_PEOPLE_PER_ROW + 1):
        targets += [f"{person_prefix(index)}.{a}" for a in PERSON_FIELDS]
    return targets
