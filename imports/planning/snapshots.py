"""What exists, as the planner reads it: the stored records' field names, a batch's snapshot of
the database (`Existing`, loaded by `imports.existing`) and the firm's `Catalogue`."""

from __future__ import annotations

from dataclasses import dataclass, field

ACCOUNT_FIELDS = ("name", "type", "company_name", "client_id")
# Account fields that follow the additive rule as they are (fill empty; replace with overwrite).
# The status is never empty on a stored account: only *overwrite* changes it.
ACCOUNT_MERGED_FIELDS = ("company_name", "client_id", "status", "street", "city", "state", "postal_code", "country",
                         "tax_id")
CONTACT_FIELDS = (
    "prefix", "first_name", "middle_name", "last_name", "suffix", "email", "date_of_birth", "tax_id",
    "street", "city", "state", "postal_code", "country", "notes",
)
NAME_FIELDS = ("prefix", "first_name", "middle_name", "last_name", "suffix")


@dataclass
class AccountSnapshot:
    id: int
    key: str
    name: str
    type: str
    company_name: str
    client_id: str
    custom_values: dict
    created_by_import_id: int | None
    status: str = "active"
    street: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    tax_id: str = ""
    tag_ids: set[int] = field(default_factory=set)
    assignee_ids: set[int] = field(default_factory=set)
    roles: dict[int, int] = field(default_factory=dict)  # role id -> membership id


@dataclass
class ContactSnapshot:
    id: int
    values: dict  # CONTACT_FIELDS -> value
    additional_emails: list[str]
    phones: list[str]
    custom_values: dict
    created_by_import_id: int | None
    tag_ids: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Catalogue:
    """Firm-wide lookups loaded once per import: tags, custom fields, roles by key.

    Nobody changes a catalogue in place: what the writer creates comes back as ids in its
    result, and the pipeline hands the planner and the writer `extended` copies."""

    tags: dict[str, int] = field(default_factory=dict)  # tag key -> id
    custom_fields: dict[tuple[str, str], int] = field(default_factory=dict)  # (applies_to, key) -> id
    roles: dict[str, int] = field(default_factory=dict)  # role key -> id

    def extended(self, *, tags: dict[str, int] | None = None,
                 custom_fields: dict[tuple[str, str], int] | None = None,
                 roles: dict[str, int] | None = None) -> Catalogue:
        """This catalogue with the given definitions added (itself when there are none)."""
        if not (tags or custom_fields or roles):
            return self
        return Catalogue(tags={**self.tags, **(tags or {})},
                         custom_fields={**self.custom_fields, **(custom_fields or {})},
                         roles={**self.roles, **(roles or {})})


@dataclass
class Existing:
    """What the database holds for one batch's keys."""

    # Account-name key -> the accounts of that key, oldest first (names are not unique).
    accounts: dict[str, list[AccountSnapshot]] = field(default_factory=dict)
    # The individual accounts of the batch's people, for rows that name no account:
    # email key -> accounts whose contact has that email (named after that person first);
    # contact name key -> (account, its contact of that name), oldest account first.
    individuals_by_email: dict[str, list[tuple[bool, AccountSnapshot]]] = field(default_factory=dict)
    individuals_by_name: dict[str, list[AccountSnapshot]] = field(default_factory=dict)
    accounts_by_id: dict[int, AccountSnapshot] = field(default_factory=dict)  # every account above
    # Account id -> the contact an individual's account is named after (its first linked of that
    # name), for the accounts above and the batch's names.
    persons: dict[int, ContactSnapshot] = field(default_factory=dict)
    contacts_by_email: dict[str, ContactSnapshot] = field(default_factory=dict)
    # (account id or None for unlinked contacts, name key) -> snapshot
    contacts_by_name: dict[tuple[int | None, str], ContactSnapshot] = field(default_factory=dict)
    # (account id, contact id) -> link switches (login, notify, email_sync)
    links: dict[tuple[int, int], tuple[bool, bool, bool]] = field(default_factory=dict)
